/**
 * The decoders the fuzz run drives (issue 15 item "reliability suite"): every parser that reads bytes
 * or text from outside the process — Hive wire messages in both framings, management 49152/49153 and
 * their TLV streams, credential revocation gossip, invite tickets (spec and cl-hive), the daemon IPC
 * lines both ways, the plugin's stdin framing into the plugin itself, lightningd's JSON framing, the
 * config loader (TOML file, environment, `--set`), the signer's CBOR messages, swarm binding frames,
 * L402 identifiers and management credentials. Each `run` returns whether the input was accepted or
 * refused with a typed error; an exception escaping it is a finding. Seeds are valid inputs built with
 * the project's own encoders.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorAnswer, SignResponse, decodeMessage, encodeMessage } from '../../hw/protocol/messages.ts';
import { loadConfig } from '../../runtime/config/index.ts';
import { buildRequest } from '../../runtime/core/mgmt/advisor.ts';
import { buildCredential, parseCredential } from '../../runtime/core/mgmt/credential.ts';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from '../../runtime/core/mgmt/messages.ts';
import { decodeRevocationGossip, encodeRevocationGossip } from '../../runtime/core/mgmt/revocation-gossip.ts';
import { decodeTlvStream } from '../../runtime/core/mgmt/tlv.ts';
import { decodeBinding } from '../../runtime/core/swarm/binding.ts';
import { encodeBindingFrame, parseBindingFrame } from '../../runtime/core/swarm/frame.ts';
import { SWARM_LIMITS } from '../../runtime/core/swarm/limits.ts';
import { decodeTicket, encodeTicket } from '../../runtime/core/ticket/codec.ts';
import { decodeClhiveTicket } from '../../runtime/core/ticket/legacy.ts';
import { decodeHiveMessage } from '../../runtime/core/wire/decode.ts';
import { encodeHiveMessage } from '../../runtime/core/wire/encode.ts';
import { HiveboxPlugin, type DaemonLink } from '../../services/cln-plugin/plugin.ts';
import { decodeDaemonLine } from '../../services/daemon-ipc/daemon-lines.ts';
import { decodePluginLine } from '../../services/daemon-ipc/protocol.ts';
import { decodeIdentifier, encodeIdentifier } from '../../services/l402/identifier.ts';
import { JsonFrameReader } from '../../services/lightning-rpc/json-frames.ts';
import { ALL_TYPES, samplePayload } from '../wire/fixtures.ts';

/** One decoder under fuzz. */
export interface FuzzTarget {
  readonly name: string;
  /** Valid inputs the mutator starts from. */
  readonly seeds: readonly Uint8Array[];
  /** Decode one input: true when accepted, false when refused with a typed error; throwing is a finding. */
  run(input: Uint8Array): boolean;
  /** Share of the run's inputs (1 = the default share). */
  readonly weight?: number;
}

const enc = new TextEncoder();
const text = (b: Uint8Array) => new TextDecoder().decode(b);
const hex = (n: number, byte: number) => byte.toString(16).padStart(2, '0').repeat(n);
const NODE = `02${hex(32, 0x11)}`;
const SK = new Uint8Array(32).fill(7);

/** Every Hive message type in both framings, from the wire tests' sample payloads. */
function wireSeeds(): Uint8Array[] {
  return ALL_TYPES.flatMap((type) =>
    (['spec', 'clhive'] as const).flatMap((framing) => {
      const e = encodeHiveMessage(type, samplePayload(type, framing), framing);
      return e.ok ? [e.value] : [];
    }),
  );
}

function mgmtSeeds(): { req: Uint8Array; res: Uint8Array; tlv: Uint8Array } {
  const cmd = { schema: 'hive:fee-policy/v1', action: 'set_anchor', params: { channel_id: '800000x1x0', target_fee_ppm: 110 } };
  const req = encodeRequest(buildRequest(cmd, JSON.stringify({ id: 'urn:uuid:1', type: ['HiveManagementCredential'] }), null, 5n, 1_800_000_000, SK));
  const res = encodeResponse({ request_nonce: 5n, status: 0, result: '{"status":"accepted"}', state_hash: new Uint8Array(32).fill(3), signature: new Uint8Array(65).fill(1), receipt: '{"receipt_id":"00"}' });
  return { req, res, tlv: req.subarray(2) };
}

/** A plugin with a link that only counts, answering into a buffer; checks every hook with an id is answered. */
function pluginHarness(): (input: Uint8Array) => boolean {
  return (input) => {
    let out = '';
    const link: DaemonLink = { connected: true, start() {}, stop() {}, sendEvent: () => true, request: async () => ({ result: {} }) };
    const plugin = new HiveboxPlugin({ write: (t) => void (out += t), stderr: () => {}, exit: () => {} }, 'fuzz', () => link);
    const reader = new JsonFrameReader(1 << 20);
    const s = text(input);
    const cut = Math.max(1, s.length >> 1);
    let ok = true;
    for (const part of [s.slice(0, cut), s.slice(cut)]) {
      const { frames, error } = reader.push(part);
      for (const f of frames) plugin.onFrame(f);
      if (error) ok = false;
    }
    return ok && out.length >= 0;
  };
}

const PLUGIN_SEED = [
  { jsonrpc: '2.0', id: 1, method: 'getmanifest', params: {} },
  { jsonrpc: '2.0', id: 2, method: 'init', params: { options: { 'hivebox-socket': '/tmp/x.sock' }, configuration: { 'lightning-dir': '/l', 'rpc-file': 'lightning-rpc', network: 'regtest' } } },
  { jsonrpc: '2.0', id: 3, method: 'custommsg', params: { peer_id: NODE, payload: `4849564500017b7d` } },
  { jsonrpc: '2.0', id: 4, method: 'openchannel', params: { openchannel: { id: NODE } } },
  { jsonrpc: '2.0', method: 'connect', params: { connect: { id: NODE, direction: 'in' } } },
  { jsonrpc: '2.0', id: 5, method: 'hive-status', params: {} },
]
  .map((m) => `${JSON.stringify(m)}\n\n`)
  .join('');

const CONFIG_SEED = `[daemon]\ntick_ms = 500\nipc_socket = "/tmp/h.sock"\n[hive]\nstore_path = "/tmp/h.db"\n[planner]\nplanner_interval_s = 3600\nunsafe_underserved_min_target_age_days = 1\n[mgmt]\nenabled = true\ntrusted_issuers = ["did:key:z6Mk"]\n[mgmt.policy]\n[log]\nlevel = "debug"\n`;

/** The config loader over a file, over `HIVEBOX_*` variables and over `--set` flags (one input each, by its first byte). */
function configHarness(): { run: (input: Uint8Array) => boolean; close: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'hbx-fuzz-cfg-'));
  const file = join(dir, 'hivebox.toml');
  return {
    run: (input) => {
      const body = text(input.subarray(1));
      const mode = (input[0] ?? 0) % 3;
      if (mode === 0) {
        writeFileSync(file, body);
        return loadConfig({ file }).ok;
      }
      const lines = body.split('\n').slice(0, 16);
      if (mode === 1) {
        const env: Record<string, string> = {};
        for (const l of lines) {
          const eq = l.indexOf('=');
          env[`HIVEBOX_${(eq < 0 ? l : l.slice(0, eq)).replace(/[^A-Za-z0-9_]/g, '_').toUpperCase()}`] = eq < 0 ? '' : l.slice(eq + 1);
        }
        return loadConfig({ env }).ok;
      }
      return loadConfig({ sets: lines }).ok;
    },
    close: () => rmSync(dir, { recursive: true, force: true }),
  };
}

const CREDENTIAL = {
  ...buildCredential({
    issuer: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
    agent_did: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK',
    node_id: NODE,
    tier: 'standard',
    permissions: { monitor: true, fee_policy: true },
    constraints: { max_fee_change_pct: 50, max_rebalance_sats: 1_000_000, max_daily_actions: 100, allowed_schemas: ['hive:fee-policy/*'] },
    compensation: { model: 'per_action', rate_sats: 10, currency: 'L402|cashu' },
    issued_at: 1_800_000_000,
    expires_at: 1_802_592_000,
    idBytes: new Uint8Array(16).fill(5),
  }),
  proof: { type: 'EcdsaSecp256k1Signature2019', verificationMethod: 'did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK#key-1', proofValue: 'z'.repeat(88) },
};

/** All targets; `close` removes the config loader's temporary file. */
export function fuzzTargets(): { targets: FuzzTarget[]; close: () => void } {
  const mgmt = mgmtSeeds();
  const cfg = configHarness();
  const ticket = encodeTicket({ hive_id: 'hive_1a2b3c4d', admin_pubkey: NODE, requirements: 1, min_version: '0.1', initial_tier: 'neophyte', issued_at: 1_800_000_000, expires_at: 1_800_086_400, ticket_id: hex(16, 0xab), signature: 'd'.repeat(104) } as never);
  const revocation = encodeRevocationGossip({ credential_id: 'urn:uuid:1', issuer: 'did:key:z6Mk', revoked_at: 1_800_000_000, reason: 'x', proof: {} }, NODE, hex(16, 0x22), 1_800_000_000);
  const binding = encodeBindingFrame({ hive_id: 'hive_1a2b3c4d', node_id: NODE, swarm_key: hex(32, 0x33), issued_at: 1_800_000_000, expires_at: 1_800_086_400, signature: 'd'.repeat(104) } as never);
  const targets: FuzzTarget[] = [
    { name: 'wire.decodeHiveMessage', seeds: wireSeeds(), run: (b) => decodeHiveMessage(b).kind === 'message', weight: 2 },
    { name: 'mgmt.decodeRequest (49152)', seeds: [mgmt.req], run: (b) => decodeRequest(b).ok, weight: 2 },
    { name: 'mgmt.decodeResponse (49153)', seeds: [mgmt.res], run: (b) => decodeResponse(b).ok },
    { name: 'mgmt.decodeTlvStream', seeds: [mgmt.tlv], run: (b) => decodeTlvStream(b, new Set([0n, 2n, 4n, 6n])).ok },
    { name: 'mgmt.decodeRevocationGossip', seeds: revocation.ok ? [revocation.value] : [], run: (b) => decodeRevocationGossip(b).kind === 'revocation' },
    { name: 'ticket.decodeTicket', seeds: [enc.encode(ticket)], run: (b) => decodeTicket(text(b)).ok },
    { name: 'ticket.decodeClhiveTicket', seeds: [enc.encode(ticket)], run: (b) => decodeClhiveTicket(text(b)).ok },
    { name: 'ipc.decodePluginLine', seeds: [enc.encode(JSON.stringify({ op: 'custommsg', peer_id: NODE, payload: '48495645' })), enc.encode(JSON.stringify({ op: 'rpc', id: 1, method: 'hive-status', params: {} }))], run: (b) => decodePluginLine(text(b)).ok },
    { name: 'ipc.decodeDaemonLine', seeds: [enc.encode(JSON.stringify({ id: 1, result: { ok: true } })), enc.encode(JSON.stringify({ op: 'ignore_list', node_ids: [NODE] }))], run: (b) => decodeDaemonLine(text(b)).ok },
    { name: 'plugin stdin framing → HiveboxPlugin', seeds: [enc.encode(PLUGIN_SEED)], run: pluginHarness(), weight: 2 },
    { name: 'config loader (TOML, env, --set)', seeds: [CONFIG_SEED, 'DAEMON_TICK_MS=500\nLOG_LEVEL=debug\nPLANNER_UNSAFE_UNDERSERVED_MIN_TARGET_AGE_DAYS=1', 'daemon.tick_ms=500\nlog.level="debug"\nhive.store_path=/tmp/h.db'].map((t, m) => Uint8Array.of(m, ...enc.encode(t))), run: cfg.run, weight: 0.5 },
    { name: 'signer CBOR messages', seeds: [encodeMessage({ nonce: new Uint8Array(16).fill(9), status: 'error', code: 3, reason: 'x' })], run: (b) => decodeMessage(ErrorAnswer, b).ok || decodeMessage(SignResponse, b).ok },
    { name: 'swarm binding frame', seeds: [binding], run: (b) => { const p = parseBindingFrame(b, SWARM_LIMITS); return p.ok && decodeBinding(p.value).ok; } },
    { name: 'l402 identifier', seeds: [encodeIdentifier(new Uint8Array(32).fill(1), new Uint8Array(32).fill(2))], run: (b) => decodeIdentifier(b) !== null },
    { name: 'mgmt credential', seeds: [enc.encode(JSON.stringify(CREDENTIAL))], run: (b) => parseCredential(text(b)).ok },
  ];
  return { targets, close: cfg.close };
}
