/**
 * services/store: the membership store (bun:sqlite, WAL, migrations) behind the core's
 * `StoreWrite` effects. See README.md.
 */
export { MembershipStore, openMembershipStore, type AnyEffect, type StoreDump, type StoreError } from './membership-store.ts';
export { MIGRATIONS, SCHEMA_VERSION } from './schema.ts';
