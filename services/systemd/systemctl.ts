/**
 * Reading and restarting systemd units through the `systemctl` command (systemd 252, Debian
 * bookworm). The CLI is the stable, documented interface to the manager's D-Bus API and needs no
 * extra library; the daemon runs as the unprivileged `hivebox` user, so restarts are authorised by
 * the polkit rule systemd/50-hivebox-units.rules (only the units Hivebox supervises).
 */
import { err, ok, type Result } from '../../runtime/core/result.ts';

/** `ActiveState` / `SubState` of a unit as `systemctl show` reports them. */
export interface UnitState {
  /** active, reloading, inactive, failed, activating, deactivating (org.freedesktop.systemd1.Unit). */
  readonly active_state: string;
  /** Unit-type specific, e.g. running, dead, exited, auto-restart. */
  readonly sub_state: string;
  /** not-found when the unit file does not exist, loaded otherwise (masked, error, …). */
  readonly load_state: string;
}

/** Why a systemctl call failed. */
export type UnitError =
  | { readonly kind: 'BadUnitName'; readonly unit: string }
  | { readonly kind: 'SystemctlFailed'; readonly exit_code: number | null; readonly stderr: string };

/** The unit operations the supervisor needs. */
export interface UnitControl {
  state(unit: string): Promise<Result<UnitState, UnitError>>;
  /** Queue a restart job (`--no-block`: the next probe sees the outcome; a stuck unit never blocks a round). */
  restart(unit: string): Promise<Result<void, UnitError>>;
}

/** systemd unit names: `name.service` etc. (systemd.unit(5) "valid unit names"), no option injection. */
const UNIT_RE = /^[A-Za-z0-9:_.\\@-]{1,255}\.(service|socket|target|timer|path|mount)$/;

/** True when `unit` is a plain unit name systemctl cannot mistake for an option. */
export function isUnitName(unit: string): boolean {
  return UNIT_RE.test(unit) && !unit.startsWith('-');
}

/** Parse `systemctl show -p LoadState,ActiveState,SubState` output (`Key=value` lines). */
export function parseShow(text: string): UnitState {
  const kv = new Map(text.split('\n').map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)] as const));
  return { active_state: kv.get('ActiveState') ?? '', sub_state: kv.get('SubState') ?? '', load_state: kv.get('LoadState') ?? '' };
}

/**
 * A {@link UnitControl} over the `systemctl` binary.
 * @param bin path of systemctl (default `systemctl` from PATH).
 * @param timeout_ms kill a call that hangs (D-Bus stuck) after this long; default 10 s.
 */
export function systemctl(bin = 'systemctl', timeout_ms = 10_000): UnitControl {
  const run = async (args: string[]): Promise<Result<string, UnitError>> => {
    const p = Bun.spawn([bin, '--no-ask-password', ...args], { stdout: 'pipe', stderr: 'pipe', timeout: timeout_ms });
    const [out, errText, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
    return code === 0 ? ok(out) : err({ kind: 'SystemctlFailed', exit_code: p.signalCode ? null : code, stderr: errText.trim() });
  };
  return {
    async state(unit) {
      if (!isUnitName(unit)) return err({ kind: 'BadUnitName', unit });
      const r = await run(['show', '--property=LoadState,ActiveState,SubState', '--', unit]);
      return r.ok ? ok(parseShow(r.value)) : r;
    },
    async restart(unit) {
      if (!isUnitName(unit)) return err({ kind: 'BadUnitName', unit });
      const r = await run(['restart', '--no-block', '--', unit]);
      return r.ok ? ok(undefined) : r;
    },
  };
}
