/**
 * `HidSigner`: the `Signer` and `DigestSigner` ports (runtime/core/ports.ts) over a Hivebox Signer reached through any
 * `ReportTransport` (node-hid, /dev/hidrawN, the simulator socket, the in-process simulator).
 *
 * - Connects lazily and reconnects after an unplug without a daemon restart: the next call runs
 *   the opener (discovery) again. An unplug during a request fails it with `SignerUnavailable`.
 * - One approval at a time: a second `sign`/`signDigest` while one waits gets `SignerBusy` at once.
 * - Public keys are cached per connection, so `publicKey` answers during a pending approval.
 * - Every returned signature is checked by public-key recovery against the slot key.
 * - `pending()` / `status()` expose the waiting approval for `hivebox status` and MQTT.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import type { z } from 'zod';
import type { ApprovalSummary, DigestSignature, DigestSigner, SignerError, SignerPurpose, SignerSignature } from '../../runtime/core/ports.ts';
import { err, ok, type Result } from '../../runtime/core/result.ts';
import { recoverSigner, zbase32 } from '../../runtime/core/crypto/lnsign.ts';
import { fromHex, isNodeId, toHex, utf8, type NodeId } from '../../runtime/core/types.ts';
import { realClock, secureRandom, type Clock, type RandomBytes } from '../clock.ts';
import { CMD, KEEPALIVE_STATUS, MAX_MESSAGE_BYTES, PROTOCOL_VERSION, REQUEST_NONCE_BYTES } from '../framing/constants.ts';
import type { Frame } from '../framing/packetize.ts';
import { decodeMessage, encodeMessage, InfoResponse, PubkeyResponse, SignDigestResponse, SignResponse, SUMMARY_LIMITS } from '../protocol/messages.ts';
import { clipUtf8, isSignerPurpose } from '../protocol/purposes.ts';
import type { TransportOpener } from '../transport/report-transport.ts';
import { describeChannelError, HOST_TIMEOUTS_MS, SignerChannel, type ChannelError, type TransactOptions } from './channel.ts';
import { PendingApprovalTracker, type PendingApproval } from './pending-approval.ts';
import { fromChannelError, fromErrorAnswer, refused, unavailable } from './signer-errors.ts';

/** Options of a {@link HidSigner}. */
export interface HidSignerOptions {
  /** Opens the transport (with discovery); called again to reconnect after an unplug. */
  readonly opener: TransportOpener;
  readonly clock?: Clock;
  /** Source of INIT and request nonces (default: the CSPRNG). */
  readonly random?: RandomBytes;
  /** Host SIGN timeout in ms (default: device `timeout_s` + 5 s). */
  readonly sign_timeout_ms?: number;
}

/** Device identity from INFO. */
export type SignerDeviceInfo = Omit<InfoResponse, 'nonce'>;

/** What `hivebox status` shows about the signer. */
export interface SignerStatus {
  readonly connected: boolean;
  readonly transport: string | null;
  readonly device: SignerDeviceInfo | null;
  readonly pending: PendingApproval | null;
  /** Why the last connection ended or failed, if it did. */
  readonly last_error: string | null;
}

interface Connection {
  readonly channel: SignerChannel;
  readonly info: SignerDeviceInfo;
  readonly pubkeys: Map<SignerPurpose, NodeId>;
}

type SignResult = { ok: true; value: SignerSignature } | { ok: false; error: SignerError };
type DigestResult = { ok: true; value: DigestSignature } | { ok: false; error: SignerError };
type KeyResult = { ok: true; node_id: NodeId } | { ok: false; error: SignerError };

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

/** The host driver of a Hivebox Signer. */
export class HidSigner implements DigestSigner {
  private conn: Connection | null = null;
  private connecting: Promise<Result<Connection, SignerError>> | null = null;
  private queue: Promise<unknown> = Promise.resolve();
  private signing = false;
  private lastError: string | null = null;
  private readonly tracker = new PendingApprovalTracker();
  private readonly clock: Clock;
  private readonly random: RandomBytes;

  constructor(private readonly opts: HidSignerOptions) {
    this.clock = opts.clock ?? realClock;
    this.random = opts.random ?? secureRandom;
  }

  /** The approval waiting on the button, or null. */
  pending(): PendingApproval | null {
    return this.tracker.value;
  }

  /** Subscribe to pending-approval changes (for MQTT). @returns unsubscribe. */
  onPendingChange(listener: (p: PendingApproval | null) => void): () => void {
    return this.tracker.subscribe(listener);
  }

  /** Connection, device and pending-approval state; no I/O. */
  status(): SignerStatus {
    const c = this.conn;
    return { connected: c !== null, transport: c?.channel.transport.name ?? null, device: c?.info ?? null, pending: this.tracker.value, last_error: this.lastError };
  }

  /**
   * INFO from the device: connects if needed, otherwise asks the connected device again, so a
   * periodic call (the daemon's status tick) notices a device that was unplugged or went silent.
   */
  async info(): Promise<Result<SignerDeviceInfo, SignerError>> {
    if (this.signing) return err({ kind: 'SignerBusy' });
    return this.exclusive(async () => {
      const existing = this.conn !== null && this.conn.channel.closed === null;
      const c = await this.connect();
      if (!c.ok || !existing) return c.ok ? ok(c.value.info) : c;
      const again = await this.fetchInfo(c.value.channel);
      if (!again.ok) return err(unavailable(again.error));
      return ok(again.value);
    });
  }

  /** PING: echo `payload` (0..7,609 bytes) through the device. */
  async ping(payload: Uint8Array): Promise<Result<Uint8Array, SignerError>> {
    if (this.signing) return err({ kind: 'SignerBusy' });
    if (payload.length > MAX_MESSAGE_BYTES) return err(refused(`ping payload over ${MAX_MESSAGE_BYTES} bytes`));
    return this.exclusive(async () => {
      const c = await this.connect();
      if (!c.ok) return c;
      const r = await this.transact(c.value.channel, CMD.PING, payload, { timeout_ms: HOST_TIMEOUTS_MS.command });
      if (!r.ok) return err(fromChannelError(r.error, false));
      return sameBytes(r.value.payload, payload) ? ok(r.value.payload) : err(unavailable('PING echo differs'));
    });
  }

  /**
   * The 66-hex public key of `purpose`'s slot (GET_PUBKEY), cached per connection. During a
   * pending approval only cached keys are answered; others get `SignerBusy`.
   */
  async publicKey(purpose: SignerPurpose): Promise<KeyResult> {
    if (!isSignerPurpose(purpose)) return { ok: false, error: refused(`unknown purpose ${String(purpose)}`) };
    const cached = this.conn?.pubkeys.get(purpose);
    if (cached) return { ok: true, node_id: cached };
    if (this.signing) return { ok: false, error: { kind: 'SignerBusy' } };
    const r = await this.exclusive(async () => {
      const c = await this.connect();
      return c.ok ? this.fetchPubkey(c.value, purpose) : c;
    });
    return r.ok ? { ok: true, node_id: r.value } : r;
  }

  /**
   * SIGN `text` (Lightning signmessage format) for `purpose`; approval purposes wait for the
   * button. The summary is clipped to the wire limits (PROTOCOL.md §3.3).
   * @returns the verified signature, or ApprovalRejected / ApprovalTimeout / SignerBusy /
   *   SignerUnavailable / SignerRefused (with the device's reason).
   */
  async sign(text: string, opts: { purpose: SignerPurpose; summary: ApprovalSummary }): Promise<SignResult> {
    const { purpose } = opts;
    if (!isSignerPurpose(purpose)) return err(refused(`unknown purpose ${String(purpose)}`));
    const summary = normalizeSummary(opts.summary);
    if (!summary.ok) return summary;
    return this.approval(CMD.SIGN, purpose, summary.value, SignResponse, (nonce) => ({ nonce, purpose, text, summary: { title: summary.value.title, fields: { ...summary.value.fields } } }), (a, key) => {
      const zbase = zbase32.encode(a.signature);
      if (recoverSigner(text, zbase) !== key || toHex(a.pubkey) !== key) return err(refused('signature from the signer does not verify against its key'));
      return ok({ zbase, node_id: key });
    });
  }

  /**
   * SIGN_DIGEST (PROTOCOL.md §3.6): the device receives `opts.document` (the JCS text), shows what
   * it derives from it, hashes it itself and, after the button, returns a compact signature.
   * `opts.summary` is not sent: the host shows the same derived title the device shows.
   * @returns the verified signature, or SignerRefused when `document` is missing, does not hash to
   *   `digest` or is not a credential/revocation the device would sign; else as {@link sign}.
   */
  async signDigest(digest: Uint8Array, opts: { purpose: SignerPurpose; summary: ApprovalSummary; document?: string }): Promise<DigestResult> {
    const { purpose, document } = opts;
    if (document === undefined) return err(refused('the Hivebox signer signs only documents it can show: pass the JCS document text'));
    if (!sameBytes(sha256(utf8(document)), digest)) return err(refused('the document does not hash to the digest'));
    // The credential/revocation schemas (runtime/core/mgmt) load on the first digest, not when the daemon starts (issue 19 §4).
    const [{ DIGEST_FORMAT, describeDigestDocument }, { nobleScheme }] = await Promise.all([import('../protocol/digest-documents.ts'), import('../../runtime/core/crypto/noble-scheme.ts')]);
    const shown = describeDigestDocument(purpose, document);
    if (!shown.ok) return err(refused(`not a document the signer signs: ${shown.error.reason}`));
    const display = { title: shown.value.title, fields: shown.value.fields };
    return this.approval(CMD.SIGN_DIGEST, purpose, display, SignDigestResponse, (nonce) => ({ nonce, purpose, format: DIGEST_FORMAT, document }), (a, key) => {
      const pub = fromHex(key)!;
      if (!sameBytes(a.digest, digest) || !sameBytes(a.pubkey, pub) || !nobleScheme.verify(a.signature, digest, pub)) {
        return err(refused('signature from the signer does not verify against its key'));
      }
      return ok({ signature: a.signature, node_id: key });
    });
  }

  /** Close the connection (the daemon is stopping). */
  async close(): Promise<void> {
    const c = this.conn;
    this.conn = null;
    await c?.channel.close();
  }

  /**
   * One approval transaction (SIGN or SIGN_DIGEST): one at a time (SignerBusy otherwise), the
   * pending approval published while it runs, the answer matched by nonce and mapped to a result.
   */
  private async approval<S extends ReturnType<typeof SignResponse | typeof SignDigestResponse>, T>(
    cmd: number,
    purpose: SignerPurpose,
    display: ApprovalSummary,
    schema: () => S,
    request: (nonce: Uint8Array) => Record<string, unknown>,
    onApproved: (answer: Extract<z.infer<S>, { status: 'approved' }>, key: NodeId) => Result<T, SignerError>,
  ): Promise<Result<T, SignerError>> {
    if (this.signing) return err({ kind: 'SignerBusy' });
    this.signing = true;
    try {
      return await this.exclusive(async () => {
        const c = await this.connect();
        if (!c.ok) return c;
        const key = await this.fetchPubkey(c.value, purpose);
        if (!key.ok) return key;
        const nonce = this.random(REQUEST_NONCE_BYTES);
        const payload = encodeMessage(request(nonce));
        if (payload.length > MAX_MESSAGE_BYTES) return err(refused(`request of ${payload.length} bytes exceeds ${MAX_MESSAGE_BYTES}`));
        const timeout_s = c.value.info.timeout_s;
        this.tracker.set({ purpose, title: display.title, fields: display.fields, started_ms: this.clock.now_ms(), seconds_left: timeout_s, waiting_for_user: false });
        const r = await this.transact(
          c.value.channel,
          cmd,
          payload,
          {
            timeout_ms: this.opts.sign_timeout_ms ?? timeout_s * 1000 + HOST_TIMEOUTS_MS.approval_margin,
            idle_ms: HOST_TIMEOUTS_MS.idle,
            onKeepalive: (k) => this.tracker.update({ seconds_left: k.seconds_left, waiting_for_user: k.status === KEEPALIVE_STATUS.UPNEEDED }),
          },
          (f) => answersNonce(f, schema, nonce),
          true,
        );
        this.tracker.set(null);
        if (!r.ok) return err(fromChannelError(r.error, true));
        const a = decodeMessage(schema, r.value.payload);
        if (!a.ok) return err(unavailable(`malformed answer (${a.error.kind})`));
        const answer = a.value as SignResponse | SignDigestResponse;
        switch (answer.status) {
          case 'approved':
            return onApproved(answer as Extract<z.infer<S>, { status: 'approved' }>, key.value);
          case 'rejected':
            return err({ kind: 'ApprovalRejected' });
          case 'timeout':
            return err({ kind: 'ApprovalTimeout', after_s: answer.after_s });
          case 'busy':
            return err({ kind: 'SignerBusy' });
          case 'cancelled':
            return err(refused('the request was cancelled on the signer'));
          case 'error':
            return err(fromErrorAnswer(answer));
        }
      });
    } finally {
      this.signing = false;
    }
  }

  private async fetchPubkey(c: Connection, purpose: SignerPurpose): Promise<Result<NodeId, SignerError>> {
    const cached = c.pubkeys.get(purpose);
    if (cached) return ok(cached);
    const nonce = this.random(REQUEST_NONCE_BYTES);
    const r = await this.transact(c.channel, CMD.GET_PUBKEY, encodeMessage({ nonce, purpose }), { timeout_ms: HOST_TIMEOUTS_MS.command }, (f) => answersNonce(f, PubkeyResponse, nonce));
    if (!r.ok) return err(fromChannelError(r.error, false));
    const a = decodeMessage(PubkeyResponse, r.value.payload);
    if (!a.ok) return err(unavailable(`malformed GET_PUBKEY answer (${a.error.kind})`));
    if ('status' in a.value) return err(fromErrorAnswer(a.value));
    const hex = toHex(a.value.pubkey);
    if (!isNodeId(hex)) return err(unavailable('signer returned an invalid public key'));
    c.pubkeys.set(purpose, hex);
    return ok(hex);
  }

  /**
   * One transaction. After a host timeout on an approval the device is told to CANCEL; a device
   * that went silent, sent garbage, or missed a plain command's deadline is disconnected, so the
   * next call rediscovers it.
   */
  private async transact(channel: SignerChannel, cmd: number, payload: Uint8Array, opts: TransactOptions, match?: (f: Frame) => boolean, approval = false): Promise<Result<Frame, ChannelError>> {
    const r = await channel.transact(cmd, payload, opts, match);
    if (r.ok) return r;
    const k = r.error.kind;
    if (approval && (k === 'Timeout' || k === 'Silent')) await channel.cancel();
    if (k === 'Silent' || k === 'Framing' || k === 'Protocol' || (k === 'Timeout' && !approval)) {
      await channel.close();
      this.lastError = describeChannelError(r.error);
    }
    return r;
  }

  private exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private connect(): Promise<Result<Connection, SignerError>> {
    if (this.conn && this.conn.channel.closed === null) return Promise.resolve(ok(this.conn));
    this.conn = null;
    this.connecting ??= this.openConnection().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async openConnection(): Promise<Result<Connection, SignerError>> {
    const t = await this.opts.opener();
    if (!t.ok) return this.failed(t.error.reason);
    const ch = await SignerChannel.open(t.value, this.clock, this.random);
    if (!ch.ok) return this.failed(`${t.value.name}: ${describeChannelError(ch.error)}`);
    const info = await this.fetchInfo(ch.value);
    if (!info.ok) {
      await ch.value.close();
      return this.failed(`${t.value.name}: ${info.error}`);
    }
    const conn: Connection = { channel: ch.value, info: info.value, pubkeys: new Map() };
    ch.value.onClosed((reason) => {
      if (this.conn === conn) this.conn = null;
      this.lastError = reason;
    });
    this.conn = conn;
    this.lastError = null;
    return ok(conn);
  }

  /** One INFO transaction; the error is a reason text. */
  private async fetchInfo(channel: SignerChannel): Promise<Result<SignerDeviceInfo, string>> {
    const nonce = this.random(REQUEST_NONCE_BYTES);
    const r = await this.transact(channel, CMD.INFO, encodeMessage({ nonce }), { timeout_ms: HOST_TIMEOUTS_MS.command }, (f) => answersNonce(f, InfoResponse, nonce));
    if (!r.ok) return err(describeChannelError(r.error));
    const info = decodeMessage(InfoResponse, r.value.payload);
    if (!info.ok || info.value.protocol !== PROTOCOL_VERSION) return err('bad INFO answer or protocol version');
    const { nonce: _echo, ...device } = info.value;
    return ok(device);
  }

  private failed(reason: string): { ok: false; error: SignerError } {
    this.lastError = reason;
    return err(unavailable(reason));
  }
}

/** True unless `f` decodes under `schema` with a different nonce (a stale answer to drop). */
function answersNonce(f: Frame, schema: () => z.ZodType, nonce: Uint8Array): boolean {
  const d = decodeMessage(schema, f.payload);
  return !d.ok || sameBytes((d.value as { nonce: Uint8Array }).nonce, nonce);
}

/** Clip the summary to the wire limits (PROTOCOL.md §3.3) the same way the device clips its own. */
function normalizeSummary(s: ApprovalSummary): Result<ApprovalSummary, SignerError> {
  const entries = Object.entries(s.fields);
  if (entries.length > SUMMARY_LIMITS.fields) return err(refused(`summary has ${entries.length} fields, at most ${SUMMARY_LIMITS.fields}`));
  if (entries.some(([k]) => new TextEncoder().encode(k).length > SUMMARY_LIMITS.key_bytes)) return err(refused(`summary field names are limited to ${SUMMARY_LIMITS.key_bytes} bytes`));
  return ok({ title: clipUtf8(s.title, SUMMARY_LIMITS.title_bytes), fields: Object.fromEntries(entries.map(([k, v]) => [k, clipUtf8(v)])) });
}
