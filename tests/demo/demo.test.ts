/**
 * `hivebox demo` as a test: the fleet forms over the real plugin protocol on a reduced slice of the
 * real 2026-02-03 graph (fast), once on the full graph, and through the CLI with `--json`; a graph
 * that cannot be loaded ends with formed = false, the reason and exit 1.
 */
import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EXIT } from '../../runtime/cli/exit-codes.ts';
import { DEFAULT_GRAPH_PATH } from '../../runtime/cli/commands/plan-graph.ts';
import { runDemo, type DemoSummary } from '../../runtime/demo/run-demo.ts';
import { realChannels } from '../simnet/fixtures/graph-slice.ts';

const MAIN = join(import.meta.dir, '../../runtime/cli/main.ts');
let dir: string;
let slice: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'hbx-demo-test-'));
  slice = join(dir, 'slice-listchannels.json');
  writeFileSync(slice, JSON.stringify({ channels: await realChannels(6_000) }));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** The summary's shape: exactly the keys issue 3 §3 names. */
function expectSummaryShape(s: DemoSummary): void {
  expect(Object.keys(s)).toEqual(['formed', 'graph', 'nodes', 'planner', 'seconds']);
  expect(Object.keys(s.planner)).toEqual(['top', 'saturated', 'underserved']);
  for (const n of s.nodes) expect(Object.keys(n)).toEqual(['node_id', 'tier', 'members', 'membership_hash']);
  for (const e of [...s.planner.top, ...s.planner.saturated, ...s.planner.underserved]) expect(Object.keys(e)).toEqual(['node_id', 'alias', 'hive_share', 'public_capacity_sat']);
}

/** Lines of the commentary matching `re`, in order. */
const matching = (lines: string[], re: RegExp) => lines.filter((l) => re.test(l));

describe('hivebox demo', () => {
  test('reduced real graph: A, B, C end with the same members and hash; every handshake step is printed in order', async () => {
    const lines: string[] = [];
    const { summary, report } = await runDemo({ graphPath: slice, say: (l) => lines.push(l), progress: () => {}, press_after_ms: 50 });
    expect(summary.reason).toBeUndefined();
    expect(summary.formed).toBe(true);
    expectSummaryShape(summary);
    expect(summary.nodes.map((n) => n.tier)).toEqual(['member', 'member', 'member']);
    expect(new Set(summary.nodes.map((n) => n.membership_hash)).size).toBe(1);
    expect(summary.nodes.every((n) => n.members.length === 3)).toBe(true);
    expect(report).toContain('Top');

    for (const joiner of ['B', 'C']) {
      const between = new RegExp(`^\\[(A|${joiner})\\] → (A|${joiner})  (HELLO|CHALLENGE|ATTEST|WELCOME) `);
      expect(matching(lines, between).map((l) => l.split(/\s+/).slice(0, 4).join(' '))).toEqual([`[${joiner}] → A HELLO`, `[A] → ${joiner} CHALLENGE`, `[${joiner}] → A ATTEST`, `[A] → ${joiner} WELCOME`]);
      expect(matching(lines, new RegExp(`^\\[A\\] admitted ${joiner} as neophyte \\(ticket\\)$`))).toHaveLength(1);
      expect(matching(lines, new RegExp(`^\\[${joiner}\\] joined hive_[0-9a-f]{16} through A$`))).toHaveLength(1);
    }
    expect(matching(lines, /^\[A\] Press the button on your Hivebox signer to approve: invite to hive_[0-9a-f]{16}, valid 24 h, requires splice \(60 s\)$/)).toHaveLength(2);
    expect(matching(lines, /^\[A signer\] .*pressed$/)).toHaveLength(2);
    expect(matching(lines, /^\[A\] → B  FULL_SYNC /).length).toBeGreaterThanOrEqual(2);
    // B and C are promoted by vouches before the planner counts them: quorum 1 for B, 2 for C.
    expect(matching(lines, /^\[(B|C)\] lightning-cli hive-promote|^\[(A|B)\] lightning-cli hive-vouch/).map((l) => l.replace(/request [0-9a-f]{16}…, /, ''))).toEqual([
      '[B] lightning-cli hive-promote → quorum 1',
      '[A] lightning-cli hive-vouch B → B promoted to member',
      '[C] lightning-cli hive-promote → quorum 2',
      '[A] lightning-cli hive-vouch C → vouches 1/2',
      '[B] lightning-cli hive-vouch C → C promoted to member',
    ]);
    expect(matching(lines, /^planner: 3 full members \(A, B, C\) on the real graph$/)).toHaveLength(1);
  }, 120_000);

  test('--mixed: two CLN nodes and an LND node form, promote and run the planner on the graph read through LND', async () => {
    const lines: string[] = [];
    const { summary, report } = await runDemo({ graphPath: slice, say: (l) => lines.push(l), progress: () => {}, press_after_ms: 50, mixed: true });
    expect(summary.reason).toBeUndefined();
    expect(summary.formed).toBe(true);
    expectSummaryShape(summary);
    expect(summary.nodes.map((n) => n.tier)).toEqual(['member', 'member', 'member']);
    expect(new Set(summary.nodes.map((n) => n.membership_hash)).size).toBe(1);
    expect(report).toContain('Top');
    expect(matching(lines, /^\[C\] hivebox hive-join /)).toHaveLength(1);
    expect(matching(lines, /^\[A\] → C  WELCOME /)).toHaveLength(1);
    expect(matching(lines, /^planner: 3 full members \(A, B, C\) on the real graph, read through C's LND \(DescribeGraph\)$/)).toHaveLength(1);
    expect(summary.planner.top.length).toBeGreaterThan(0);
  }, 120_000);

  test('hivebox demo --json on the reduced graph: exit 0 and one summary object on stdout', async () => {
    const p = Bun.spawn([process.execPath, MAIN, 'demo', '--json', '--graph', slice, '--top', '3'], { stdout: 'pipe', stderr: 'pipe' });
    const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
    expect(code).toBe(EXIT.ok);
    expect(stderr).toMatch(/^loading the mainnet graph slice-listchannels\.json: read… decompress… decode… [\d,]+ nodes, [\d,]+ channels \(\d+ ms\)$/m);
    const summary = JSON.parse(stdout) as DemoSummary;
    expectSummaryShape(summary);
    expect(summary.formed).toBe(true);
    expect(summary.planner.top.length).toBeLessThanOrEqual(3);
  }, 120_000);

  test('a graph that cannot be loaded: formed false with the reason, exit 1', async () => {
    const p = Bun.spawn([process.execPath, MAIN, 'demo', '--json', '--graph', join(dir, 'missing.json')], { stdout: 'pipe', stderr: 'pipe' });
    const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
    expect(code).toBe(EXIT.failure);
    const summary = JSON.parse(stdout) as DemoSummary;
    expect(summary).toMatchObject({ formed: false, reason: expect.stringContaining('cannot load the graph'), nodes: [] });
    expect(stderr).toContain('hivebox demo: the fleet did not form: cannot load the graph');
  }, 120_000);

  test('--wait-factor outside 1-10: exit 64 naming the option, nothing started', async () => {
    for (const bad of ['0', '11', 'slow']) {
      const p = Bun.spawn([process.execPath, MAIN, 'demo', '--graph', slice, '--wait-factor', bad], { stdout: 'pipe', stderr: 'pipe' });
      const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
      expect(code).toBe(EXIT.usage);
      expect(stderr).toContain(`--wait-factor must be a number from 1 to 10, got "${bad}"`);
      expect(stdout).toBe('');
    }
  }, 60_000);

  test('full 2026-02-03 mainnet graph: the fleet forms and the planner finds saturated and underserved targets', async () => {
    const { summary } = await runDemo({ graphPath: DEFAULT_GRAPH_PATH, say: () => {}, progress: () => {}, press_after_ms: 50 });
    expect(summary).toMatchObject({ formed: true, graph: { nodes: 17_324, channels: 50_808 } });
    expectSummaryShape(summary);
    expect(summary.planner.top).toHaveLength(10);
    expect(summary.planner.saturated.length).toBeGreaterThan(0);
    expect(summary.planner.saturated.every((e) => e.hive_share >= 0.2 && e.public_capacity_sat >= 100_000_000)).toBe(true);
    expect(summary.planner.underserved.every((e) => e.hive_share < 0.05 && e.public_capacity_sat >= 100_000_000)).toBe(true);
  }, 120_000);
});
