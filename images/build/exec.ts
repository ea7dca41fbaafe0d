/**
 * Running the external tools of the image build (mmdebstrap, mkfs.*, mtools, sfdisk, xz …) with
 * their exit status turned into a typed error that carries the tool's own output.
 */
import { err, ok, type Result } from '../../runtime/core/result.ts';

/** A tool that failed: its argv, exit code and the tail of its output. */
export interface ToolError {
  readonly argv: readonly string[];
  readonly exit_code: number;
  readonly output: string;
}

/** Options of {@link runTool}. */
export interface RunOptions {
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  /** Text written to the tool's stdin. */
  readonly stdin?: string;
  /** Stream the tool's output to our stderr (long steps) instead of capturing it. */
  readonly stream?: boolean;
}

const TAIL_CHARS = 4000;

/** Run argv to completion. @returns its stdout, or a {@link ToolError} (a missing program is exit code 127). */
export function runTool(argv: readonly string[], opts: RunOptions = {}): Result<string, ToolError> {
  let r: ReturnType<typeof Bun.spawnSync>;
  try {
    r = Bun.spawnSync([...argv], {
      env: { ...process.env, ...opts.env },
      ...(opts.cwd ? { cwd: opts.cwd } : {}),
      stdin: opts.stdin !== undefined ? new TextEncoder().encode(opts.stdin) : 'ignore',
      stdout: opts.stream ? 'inherit' : 'pipe',
      stderr: opts.stream ? 'inherit' : 'pipe',
    });
  } catch (e) {
    return err({ argv, exit_code: 127, output: e instanceof Error ? e.message : String(e) });
  }
  const out = r.stdout ? r.stdout.toString() : '';
  if (r.exitCode === 0) return ok(out);
  const text = `${out}${r.stderr ? r.stderr.toString() : ''}`;
  return err({ argv, exit_code: r.exitCode ?? -1, output: text.slice(-TAIL_CHARS) });
}

/** One line for a failed tool: `mkfs.ext4 exited 1: <output tail>`. */
export function describeToolError(e: ToolError): string {
  return `${e.argv.slice(0, 3).join(' ')} exited ${e.exit_code}${e.output.trim() ? `:\n${e.output.trim()}` : ''}`;
}
