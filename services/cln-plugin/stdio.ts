/**
 * Binds `HiveboxPlugin` to the process: lightningd's requests arrive on stdin as concatenated JSON
 * objects (framed by `JsonFrameReader`, any read boundaries), answers go to stdout, diagnostics
 * before init to stderr. stdin closing means lightningd is gone: the plugin exits.
 */
import pkg from '../../package.json' with { type: 'json' };
import { describeFrameError, JsonFrameReader } from '../lightning-rpc/json-frames.ts';
import { PLUGIN_LIMITS } from './limits.ts';
import { HiveboxPlugin } from './plugin.ts';

/** Run the plugin on this process's stdin/stdout until lightningd closes stdin or sends `shutdown`. */
export async function runPlugin(): Promise<void> {
  const plugin = new HiveboxPlugin(
    {
      write: (text) => void process.stdout.write(text),
      stderr: (text) => void process.stderr.write(text),
      exit: (code) => process.exit(code),
    },
    pkg.version,
  );
  const reader = new JsonFrameReader(PLUGIN_LIMITS.max_request_chars);
  const decoder = new TextDecoder();
  for await (const chunk of Bun.stdin.stream()) {
    const { frames, error } = reader.push(decoder.decode(chunk, { stream: true }));
    for (const f of frames) plugin.onFrame(f);
    if (error) {
      process.stderr.write(`hivebox-plugin: unreadable input from lightningd (${describeFrameError(error)}); exiting\n`);
      process.exit(1);
    }
  }
  plugin.onEnd();
}
