/**
 * Opening the management sub-engine's parts from a validated `[mgmt]` section (config.ts): its
 * SQLite store, DID resolver, Cashu redeemer and advisor key. Imported by the engine factory only
 * when `mgmtWanted` (runtime/node/compose/engine-factory.ts), so a daemon without remote
 * management never loads these adapters (issue 19 §4).
 */
import { DEFAULT_POLICY } from '../../core/mgmt/index.ts';
import { CashuRedeemer } from '../../../services/cashu/redeemer.ts';
import { MgmtStore } from '../../../services/mgmt-store/mgmt-store.ts';
import { HiveDidResolver } from '../../../services/mgmt/did-resolver.ts';
import { KeyFileSigner } from '../../../services/mgmt/key-file.ts';
import type { MgmtSettings } from './config.ts';
import type { MgmtEngineOptions } from './mgmt-engine.ts';

/** The opened parts of a management sub-engine; `close` releases the store. */
export interface OpenedMgmt {
  readonly options: MgmtEngineOptions;
  close(): void;
}

/**
 * Open the store and key and build the sub-engine's options. Called only when `mgmtWanted(s)`
 * (management on, or an advisor key set); otherwise there is nothing to compose.
 * @throws Error when the store cannot be opened or the advisor key file is unreadable / too open
 *   (startup errors).
 */
export function openMgmt(s: MgmtSettings): OpenedMgmt {
  const store = new MgmtStore(s.store_path);
  try {
    const resolver = new HiveDidResolver(s.gatekeeper_url ? { gatekeeperUrl: s.gatekeeper_url } : {});
    const options: MgmtEngineOptions = {
      fleet: { store, resolver, trustedIssuers: s.trusted_issuers, receiptRetentionDays: s.receipt_retention_days },
      ...(s.enabled
        ? { managed: { cashu: new CashuRedeemer(s.allowed_mints), policy: { ...DEFAULT_POLICY, ...s.policy } } }
        : {}),
      ...(s.advisor_key_file !== undefined ? { advisor: { key: KeyFileSigner.load(s.advisor_key_file) } } : {}),
    };
    return { options, close: () => store.close() };
  } catch (e) {
    store.close();
    throw e;
  }
}
