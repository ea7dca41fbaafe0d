/**
 * `hivebox firstboot`'s work (I/O shell around settings.ts / render.ts / redact.ts): read
 * hivebox.toml from the boot partition, merge it with what the box already holds, generate missing
 * broker passwords, write every system file whole (temp + rename), blank the imported secrets in
 * the boot file, and record the outcome in the status file the daemon's health reads.
 *
 * Order, so that a crash at any point leaves whole files and a rerun finishes the job: stored
 * settings first (the box's copy of the secrets), then the system files, then the boot file's
 * secrets are blanked (only after everything they feed is written), then the status file.
 * Runs on every boot (hivebox-firstboot.service); with an unchanged boot file it rewrites the same
 * content. Bad or missing settings never stop the box: they become status problems.
 */
import { describeTomlError, parseTomlText } from '../config/toml.ts';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../core/result.ts';
import { type Accounts, ensureDir, readAccounts, removeIfExists, writeFileAtomic } from './atomic-write.ts';
import { redactSecrets } from './redact.ts';
import { BOX_PATHS } from '../config/box-paths.ts';
import { OUTPUT_DIRS, renderOutputs, withGeneratedSecrets } from './render.ts';
import {
  type BootFileImport,
  type BoxSettings,
  DEFAULT_SETTINGS,
  mergeSettings,
  missingSettings,
  parseStoredSettings,
  readBootFile,
  SECRET_KEYS,
  type SettingsProblem,
} from './settings.ts';
import { describeProblems, FIRSTBOOT_STATUS_VERSION, type FirstbootStatus } from './status.ts';

/** Name of the settings file on the boot partition. */
export const BOOT_FILE = 'hivebox.toml';

/** What a run needs. */
export interface FirstbootOptions {
  /** The box's root folder: `/` on the box, a temp folder in tests and image builds. */
  readonly root: string;
  /** The boot partition's mount point on the box (`/boot/firmware`). */
  readonly bootDir: string;
  /** Unix seconds. */
  readonly now: number;
  /** n fresh random bytes (CSPRNG). */
  readonly random: (n: number) => Uint8Array;
  /** Hashes a `user:password` file in place (`mosquitto_passwd -U <file>`). */
  readonly hashMosquittoPasswd: (path: string) => void;
  /** Applies the host name to the running system (`hostname NAME`); absent in tests. */
  readonly setHostname?: (name: string) => void;
  readonly log: (line: string) => void;
}

/** What a run did. */
export interface FirstbootOutcome {
  readonly status: FirstbootStatus;
  readonly settings: BoxSettings;
  readonly written: string[];
  readonly removed: string[];
}

function readIfExists(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}

interface Sourced {
  readonly settings: BoxSettings;
  readonly source: FirstbootStatus['source'];
  readonly imported: BootFileImport | null;
  readonly problems: SettingsProblem[];
}

function source(bootText: string | null, previous: BoxSettings | null): Sourced {
  const fallback = previous ?? DEFAULT_SETTINGS;
  const kept = previous ? 'kept' : 'defaults';
  if (bootText === null) {
    const problems = previous ? [] : [{ key: BOOT_FILE, reason: 'not found on the boot partition: running with defaults' }];
    return { settings: fallback, source: kept, imported: null, problems };
  }
  const parsed = parseTomlText(bootText);
  if (!parsed.ok) {
    const reason = `not imported, TOML syntax error at ${describeTomlError(parsed.error)}`;
    return { settings: fallback, source: kept, imported: null, problems: [{ key: BOOT_FILE, reason }] };
  }
  const imported = readBootFile(parsed.value);
  return { settings: mergeSettings(fallback, imported), source: 'imported', imported, problems: imported.problems };
}

/** The boot file with the imported secrets blanked, checked by parsing it again; else a problem. */
function blankSecrets(text: string, imported: BootFileImport, now: number): { text: string | null; redacted: string[]; problems: SettingsProblem[] } {
  const keys = SECRET_KEYS.filter((k) => k in imported.values);
  if (!keys.length) return { text: null, redacted: [], problems: [] };
  const r = redactSecrets(text, keys, `imported ${new Date(now * 1000).toISOString()}; stored on the box. A new value here replaces it.`);
  const problems = r.not_found.map((key) => ({ key, reason: 'imported, but not removed from hivebox.toml: write it as a plain one-line key = "value"' }));
  const reparsed = parseTomlText(r.text);
  if (!reparsed.ok) return { text: null, redacted: [], problems: [{ key: BOOT_FILE, reason: 'secrets not removed: blanking would break the file' }] };
  const again = readBootFile(reparsed.value);
  const stillThere = r.redacted.filter((k) => k in again.values);
  if (stillThere.length) return { text: null, redacted: [], problems: stillThere.map((key) => ({ key, reason: 'imported, but not removed from hivebox.toml' })) };
  return { text: r.redacted.length ? r.text : null, redacted: r.redacted, problems };
}

function ownership(accounts: Accounts, mode: number, owner: string, group: string) {
  return { mode, uid: accounts.uid(owner), gid: accounts.gid(group) };
}

/**
 * Run the import. @returns what was done (the status says whether settings are missing or bad),
 * or the error that stopped it (an image defect or an I/O failure); files written before the
 * error are whole, the boot file keeps its secrets, and the status file records the error.
 */
export function runFirstboot(o: FirstbootOptions): Result<FirstbootOutcome, string> {
  const at = (p: string) => join(o.root, p);
  const bootPath = join(at(o.bootDir), BOOT_FILE);
  const written: string[] = [];
  const removed: string[] = [];
  let accounts: Accounts | null = null;
  const writeStatus = (status: FirstbootStatus) => {
    if (!accounts) return;
    writeFileAtomic(at(BOX_PATHS.status), `${JSON.stringify(status, null, 2)}\n`, ownership(accounts, 0o644, 'hivebox', 'hivebox'));
  };
  const base = { version: FIRSTBOOT_STATUS_VERSION, at: o.now, imported: [] as string[], generated: [] as string[], redacted: [] as string[] };
  try {
    accounts = readAccounts(o.root);
    for (const d of OUTPUT_DIRS) ensureDir(at(d.path), ownership(accounts, d.mode, d.owner, d.group));
    const bootText = readIfExists(bootPath);
    const previousText = readIfExists(at(BOX_PATHS.settings));
    const previous = previousText === null ? null : parseStoredSettings(previousText);
    if (previousText !== null && !previous) o.log(`firstboot: ${BOX_PATHS.settings} unreadable, starting from defaults`);
    const src = source(bootText, previous);
    const { settings, generated } = withGeneratedSecrets(src.settings, o.random);
    const template = readIfExists(at(BOX_PATHS.mosquittoTemplate));
    const outputs = template === null ? null : renderOutputs(settings, template);
    if (!outputs) return err(`${BOX_PATHS.mosquittoTemplate} missing or without exactly one listener line (image defect)`);

    writeFileAtomic(at(BOX_PATHS.settings), `${JSON.stringify(settings, null, 2)}\n`, ownership(accounts, 0o600, 'root', 'root'));
    for (const f of outputs) {
      if (f.kind === 'remove') {
        if (removeIfExists(at(f.path))) removed.push(f.path);
        continue;
      }
      const transform = f.transform === 'mosquitto-passwd' ? o.hashMosquittoPasswd : undefined;
      writeFileAtomic(at(f.path), f.content, ownership(accounts, f.mode, f.owner, f.group), transform);
      written.push(f.path);
    }
    const blank = src.imported && bootText !== null ? blankSecrets(bootText, src.imported, o.now) : { text: null, redacted: [], problems: [] };
    // The boot partition is FAT: no owners or modes to set (its mount options keep it root-only).
    if (blank.text !== null) writeFileAtomic(bootPath, blank.text, null);
    const reported = [...src.problems, ...blank.problems];
    const problems = [...reported, ...missingSettings(settings).filter((m) => !reported.some((p) => p.key === m.key))];
    const status: FirstbootStatus = {
      ...base,
      ok: problems.length === 0,
      source: src.source,
      problems,
      imported: src.imported ? Object.keys(src.imported.values) : [],
      generated,
      redacted: blank.redacted,
    };
    writeStatus(status);
    o.setHostname?.(settings.system.hostname);
    o.log(`firstboot: settings ${src.source}${status.imported.length ? ` (${status.imported.join(', ')})` : ''}; wrote ${written.length} files, removed ${removed.length}`);
    if (generated.length) o.log(`firstboot: generated ${generated.join(', ')}`);
    if (blank.redacted.length) o.log(`firstboot: removed ${blank.redacted.join(', ')} from ${bootPath}`);
    o.log(status.ok ? 'firstboot: ok' : `firstboot: degraded: ${describeProblems(problems)}`);
    return ok({ status, settings, written, removed });
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    try {
      writeStatus({ ...base, ok: false, source: 'kept', problems: [{ key: 'firstboot', reason: `failed: ${message}` }] });
    } catch {
      // The status file itself cannot be written: the error below is all there is.
    }
    return err(message);
  }
}
