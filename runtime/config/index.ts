/**
 * Configuration of hivebox: zod schema with defaults (schema.ts) and the file/env/flag loader (load.ts).
 */
export { loadConfig, RESERVED_ENV, type ConfigError, type ConfigSources } from './load.ts';
export { CONFIG_SCHEMA, DaemonSection, LightningSection, LogSection, type HiveboxConfig } from './schema.ts';
