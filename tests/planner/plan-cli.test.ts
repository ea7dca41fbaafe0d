/**
 * `hivebox plan` and `hivebox planner explain|log` as a user runs them: real graph files, JSON
 * output, the progress line on stderr, and exit codes for bad flags and bad files.
 */
import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../runtime/cli/exit-codes.ts';
import { FILES } from '../graph/real-graphs.ts';

const MAIN = join(import.meta.dir, '../../runtime/cli/main.ts');
const dir = mkdtempSync(join(tmpdir(), 'hivebox-plan-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const FLEET_2019 = '02809e936f0e82dfce13bcc47c77112db068f569e1db29e7bf98bcdd68b838ee84,0331f80652fb840239df8dc99205792bba2e559a05469915804c08420230e23c7c,03864ef025fde8fb587d989186ce6a4a186895ee44a926bfc370e2c366597a3f8f';

async function hivebox(...args: string[]) {
  const p = Bun.spawn(['bun', MAIN, ...args], { stdout: 'pipe', stderr: 'pipe' });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { stdout, stderr, code };
}

test('plan --json on the 2019 graph prints the report; the progress line goes to stderr', async () => {
  const r = await hivebox('plan', '--graph', FILES.json2019, '--members', FLEET_2019, '--top', '3', '--json');
  expect(r.code).toBe(EXIT.ok);
  expect(r.stderr).toMatch(/^loading graph channels_5-14-19\.json\.gz: read… decompress… decode… node ids from nodes_5-14-19\.json\.gz… done: 4,275 nodes, 37,497 channels in \d+ ms\n$/);
  const report = JSON.parse(r.stdout);
  expect(report.counts).toMatchObject({ saturated: 1, underserved: 223 });
  expect(report.top).toHaveLength(3);
  expect(report.blockheight).toBe(576_054);
});

test('plan with no --graph reads the 2026-02-03 snapshot beside the repo', async () => {
  const r = await hivebox('plan', '--top', '2');
  expect(r.code).toBe(EXIT.ok);
  expect(r.stderr).toContain('loading graph gossip-store-2026-02-03.compressed');
  expect(r.stdout).toContain('Fleet: ACINQ, Kraken 🐙⚡, WalletOfSatoshi.com');
  expect(r.stdout).toContain('Top 2 targets by hive_share');
});

test('bad flags and bad files: distinct exit codes and a clear message', async () => {
  const badMember = await hivebox('plan', '--graph', FILES.json2019, '--members', 'abc');
  expect(badMember.code).toBe(EXIT.usage);
  expect(badMember.stderr).toContain('--members: "abc" is not a 66-hex node id');
  const badTop = await hivebox('plan', '--top', '0', '--graph', FILES.json2019);
  expect(badTop.code).toBe(EXIT.usage);
  const missing = await hivebox('plan', '--graph', join(dir, 'none.json'));
  expect(missing.code).toBe(EXIT.failure);
  await Bun.write(join(dir, 'broken.json'), '{"channels":[{"source":"x"}]}');
  const broken = await hivebox('plan', '--graph', join(dir, 'broken.json'));
  expect(broken.code).toBe(EXIT.malformed);
  expect(broken.stderr).toContain('entry 0: source');
});

test('planner explain answers why a target was not proposed; planner log prints the decisions', async () => {
  const target = '03cde60a6323f7122d5178255766e38114b4722ede08f7c9e0c5df9b912cc201d6';
  const r = await hivebox('planner', 'explain', target, '--graph', FILES.compressed2026, '--members', '0242a4ae0c5bef18048fbecf995094b74bfb0f7391418d71ed394784373f41e4f3', '--json');
  expect(r.code).toBe(EXIT.ok);
  const e = JSON.parse(r.stdout);
  expect(e).toMatchObject({ found: 'decision', decision: { node_id: target, alias: 'bfx-lnd1', reason: 'age_unknown', age_days: null } });
  const log = await hivebox('planner', 'log', '--graph', FILES.json2019, '--members', FLEET_2019, '--limit', '3');
  expect(log.code).toBe(EXIT.ok);
  expect(log.stdout).toContain('cycle c1: completed');
  expect(log.stdout.split('\n').filter((l) => /^0[23][0-9a-f]{64} /.test(l))).toHaveLength(3);
});
