/**
 * Loading the configuration: defaults ← TOML file ← `HIVEBOX_<SECTION>_<KEY>` environment
 * variables ← `--set section.key=value` flags (later wins). The result is validated by
 * `CONFIG_SCHEMA`; any bad key or value is a `ConfigError` naming the key and where it came from.
 */
import { readFileSync } from 'node:fs';
import { err, ok, type Result } from '../core/result.ts';
import { CONFIG_SCHEMA, type HiveboxConfig } from './schema.ts';
import { describeTomlError, parseTomlText } from './toml.ts';

/** Environment variables with a meaning of their own, not config keys (the CLI's store, signer and node defaults: runtime/cli/configured.ts). */
export const RESERVED_ENV = new Set(['HIVEBOX_CONFIG', 'HIVEBOX_BUN', 'HIVEBOX_STORE', 'HIVEBOX_MGMT_DB', 'HIVEBOX_SIGNER', 'HIVEBOX_SIGNER_KEY', 'HIVEBOX_NODE_ID']);

/** Where configuration values come from. */
export interface ConfigSources {
  /** TOML file path (`--config FILE`, else `HIVEBOX_CONFIG`); absent = defaults only. */
  readonly file?: string;
  /** Environment (normally `process.env`). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `section.key=value` overrides from the command line. */
  readonly sets?: readonly string[];
  /** Home directory for `~` expansion. */
  readonly home?: string;
}

/** Why the configuration was refused; `message` names the key and its source. */
export interface ConfigError {
  readonly kind: 'file_missing' | 'toml_syntax' | 'unknown_key' | 'invalid_value' | 'bad_override';
  readonly message: string;
}

type Tree = Record<string, unknown>;

/** A flag or env value: TOML scalar syntax when it parses (numbers, booleans, 0o660, quoted strings), else the raw text. */
function parseScalar(text: string): unknown {
  const r = parseTomlText(`v = ${text}`);
  return r.ok ? r.value.v : text;
}

/**
 * Names that are never config keys because plain objects inherit them (`constructor`, `toString`, …)
 * or because assigning them rewires a prototype (`__proto__`, `prototype`). Refused wherever they
 * appear, so no lookup can reach `Object.prototype` and no assignment can pollute it.
 */
function isPrototypeName(name: string): boolean {
  return name === '__proto__' || name === 'prototype' || Object.hasOwn(Object.prototype, name);
}

/** The first key anywhere in a parsed TOML tree that is a prototype name, as a dotted path. */
function prototypeKeyIn(value: unknown, path: string): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [k, v] of Object.entries(value)) {
    const here = path === '' ? k : `${path}.${k}`;
    if (isPrototypeName(k)) return here;
    const inner = prototypeKeyIn(v, here);
    if (inner !== undefined) return inner;
  }
  return undefined;
}

/** Why `section.key` from `source` cannot be set: an unknown section or a prototype name; undefined when it may. */
function refusedName(section: string, key: string, source: string): ConfigError | undefined {
  if (!Object.hasOwn(CONFIG_SCHEMA.shape, section) || isPrototypeName(key)) return { kind: 'unknown_key', message: `unknown config key "${section}.${key}" (from ${source})` };
  return undefined;
}

/** Set `tree[section][key]`, reading only own properties (the names were checked by `refusedName`). */
function setPath(tree: Tree, section: string, key: string, value: unknown): void {
  const s = Object.hasOwn(tree, section) ? tree[section] : undefined;
  const sec: Tree = typeof s === 'object' && s !== null && !Array.isArray(s) ? (s as Tree) : {};
  sec[key] = value;
  tree[section] = sec;
}

function expandHome(path: string, home: string | undefined): string {
  return home !== undefined && path.startsWith('~/') ? `${home}${path.slice(1)}` : path;
}

/**
 * Build the configuration from its sources.
 * @returns the validated config, or the first problem found (file missing, TOML syntax, unknown
 *   key, bad value, malformed override) with a message naming key and source.
 */
export function loadConfig(src: ConfigSources = {}): Result<HiveboxConfig, ConfigError> {
  const env = src.env ?? {};
  const origin = new Map<string, string>();
  let tree: Tree = {};
  const file = src.file ?? env.HIVEBOX_CONFIG;
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      return err({ kind: 'file_missing', message: `config file not readable: ${file}` });
    }
    const parsed = parseTomlText(text);
    if (!parsed.ok) return err({ kind: 'toml_syntax', message: `config file ${file}:${describeTomlError(parsed.error)} (TOML syntax)` });
    tree = parsed.value;
    const bad = prototypeKeyIn(tree, '');
    if (bad !== undefined) return err({ kind: 'unknown_key', message: `unknown config key "${bad}" (from file ${file})` });
    for (const [section, body] of Object.entries(tree)) {
      if (!Object.hasOwn(CONFIG_SCHEMA.shape, section)) return err({ kind: 'unknown_key', message: `unknown config key "${section}" (from file ${file})` });
      origin.set(section, `file ${file}`);
      if (typeof body === 'object' && body !== null) for (const k of Object.keys(body)) origin.set(`${section}.${k}`, `file ${file}`);
    }
  }
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('HIVEBOX_') || RESERVED_ENV.has(name) || value === undefined) continue;
    const rest = name.slice('HIVEBOX_'.length).toLowerCase();
    const cut = rest.indexOf('_');
    if (cut <= 0) return err({ kind: 'unknown_key', message: `environment variable ${name} does not name a config key (HIVEBOX_<SECTION>_<KEY>)` });
    const section = rest.slice(0, cut);
    const key = rest.slice(cut + 1);
    const refused = refusedName(section, key, `environment ${name}`);
    if (refused) return err(refused);
    setPath(tree, section, key, parseScalar(value));
    origin.set(`${section}.${key}`, `environment ${name}`);
    if (!origin.has(section)) origin.set(section, `environment ${name}`);
  }
  for (const s of src.sets ?? []) {
    const m = /^([a-z0-9_]+)\.([a-z0-9_]+)=(.*)$/s.exec(s);
    if (!m) return err({ kind: 'bad_override', message: `--set expects section.key=value, got ${JSON.stringify(s)}` });
    const refused = refusedName(m[1]!, m[2]!, `--set ${s}`);
    if (refused) return err(refused);
    setPath(tree, m[1]!, m[2]!, parseScalar(m[3]!));
    origin.set(`${m[1]}.${m[2]}`, `--set ${s}`);
    if (!origin.has(m[1]!)) origin.set(m[1]!, `--set ${s}`);
  }
  // Parsed once per process: zod's JIT path would first compile a parser for each of the ~20 object
  // schemas, which cost more than the one parse it speeds up (~7 ms of READY; issue 19 §4).
  const parsed = CONFIG_SCHEMA.safeParse(tree, { jitless: true });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const key = [path, issue.keys[0]].filter((p) => p !== '').join('.');
      return err({ kind: 'unknown_key', message: `unknown config key "${key}" (from ${origin.get(key) ?? 'config'})` });
    }
    return err({ kind: 'invalid_value', message: `config key "${path}": ${issue.message} (from ${origin.get(path) ?? 'config'})` });
  }
  const cfg = parsed.data;
  return ok({
    ...cfg,
    lightning: { ...cfg.lightning, rpc_file: expandHome(cfg.lightning.rpc_file, src.home) },
    daemon: { ...cfg.daemon, ipc_socket: expandHome(cfg.daemon.ipc_socket, src.home) },
    hive: { ...cfg.hive, store_path: expandHome(cfg.hive.store_path, src.home) },
    planner: { ...cfg.planner, graph: expandHome(cfg.planner.graph, src.home) },
    swarm: { ...cfg.swarm, sidecar_socket: expandHome(cfg.swarm.sidecar_socket, src.home), seed_file: expandHome(cfg.swarm.seed_file, src.home), script: expandHome(cfg.swarm.script, src.home) },
    mgmt: {
      ...cfg.mgmt,
      store_path: expandHome(cfg.mgmt.store_path, src.home),
      ...(cfg.mgmt.advisor_key_file !== undefined ? { advisor_key_file: expandHome(cfg.mgmt.advisor_key_file, src.home) } : {}),
    },
  });
}
