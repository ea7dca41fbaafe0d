/**
 * `loadGraphFile` on disk: format detection from bytes (gzip / xz / plain, gossmap or JSON), companion
 * node files, and typed errors for missing, corrupt, truncated and unknown files.
 */
import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { companionCandidates, loadGraphFile } from '../../services/graph/load.ts';
import { unwrap } from '../../services/graph/decompress.ts';
import { nodeId } from '../planner/small-graph.ts';
import { FILES } from './real-graphs.ts';

const dir = mkdtempSync(join(tmpdir(), 'hivebox-graph-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const channels = {
  channels: [
    { source: nodeId(1), destination: nodeId(2), short_channel_id: '600000x1x0', direction: 0, public: true, amount_msat: 5_000_000_000, active: true, base_fee_millisatoshi: 0, fee_per_millionth: 1, delay: 40 },
  ],
};

test('plain JSON listchannels with a listnodes companion found by name', async () => {
  await Bun.write(join(dir, 'listchannels-x.json'), JSON.stringify(channels));
  await Bun.write(join(dir, 'listnodes-x.json'), JSON.stringify({ nodes: [{ nodeid: nodeId(2), alias: 'two' }] }));
  const r = await loadGraphFile(join(dir, 'listchannels-x.json'));
  expect(r.ok).toBe(true);
  if (!r.ok) return;
  expect(r.value.nodesPath).toBe(join(dir, 'listnodes-x.json'));
  expect(r.value.graph.aliases).toEqual(['', 'two']);
  expect(r.value.graph.activeCapacitySat[0]).toBe(5_000_000);
});

test('progress stages are reported in order', async () => {
  const stages: string[] = [];
  await loadGraphFile(FILES.compressed2026, { onProgress: (s) => stages.push(s) });
  expect(stages).toEqual(['read', 'decompress', 'read', 'decompress', 'names', 'decode']);
});

test('companion names follow CLN and listchannels/listnodes naming', () => {
  expect(companionCandidates('/d/gossip-store-2026-02-03.compressed')).toEqual(['/d/gossip-store-2026-02-03-node-map.xz', '/d/gossip-store-2026-02-03-node-map']);
  expect(companionCandidates('/d/channels_5-14-19.json.gz')).toEqual(['/d/nodes_5-14-19.json.gz']);
});

test('missing file, unknown bytes, truncated gzip, corrupt xz, zip bomb → typed errors', async () => {
  const missing = await loadGraphFile(join(dir, 'nope.json'));
  expect(!missing.ok && missing.error.kind).toBe('FileUnreadable');

  await Bun.write(join(dir, 'junk.bin'), new Uint8Array([1, 2, 3, 4]));
  const junk = await loadGraphFile(join(dir, 'junk.bin'));
  expect(!junk.ok && junk.error.kind).toBe('UnknownFormat');

  const gz = gzipSync(JSON.stringify(channels));
  await Bun.write(join(dir, 'cut.json.gz'), gz.subarray(0, gz.length - 12));
  const cut = await loadGraphFile(join(dir, 'cut.json.gz'));
  expect(!cut.ok && cut.error).toMatchObject({ kind: 'DecompressFailed', codec: 'gzip' });

  const xz = await Bun.file(FILES.json2019xz).bytes();
  const bad = xz.slice(0, 4096);
  bad[2000] = bad[2000]! ^ 0xff;
  await Bun.write(join(dir, 'bad.json.xz'), bad);
  const badXz = await loadGraphFile(join(dir, 'bad.json.xz'));
  expect(!badXz.ok && badXz.error).toMatchObject({ kind: 'DecompressFailed', codec: 'xz' });

  const bomb = await unwrap(gzipSync(new Uint8Array(2_000_000)), 1_000_000);
  expect(!bomb.ok && bomb.error.kind).toBe('TooLarge');
  const xzBomb = await unwrap(xz, 1_000_000);
  expect(!xzBomb.ok && xzBomb.error.kind).toBe('TooLarge');
});

test('a gossmap-compressed file without its node map says which file is missing', async () => {
  await Bun.write(join(dir, 'lonely.compressed'), await Bun.file(FILES.compressed2026).bytes());
  const r = await loadGraphFile(join(dir, 'lonely.compressed'));
  expect(r.ok || r.error).toMatchObject({ kind: 'FileUnreadable', path: join(dir, 'lonely-node-map.xz') });
});
