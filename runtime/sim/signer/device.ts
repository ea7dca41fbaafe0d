/**
 * The reference model of a Hivebox Signer: the device side of hw/PROTOCOL.md, byte for byte.
 * It takes 64-byte OUT reports from any host (`receive`) and broadcasts 64-byte IN reports to
 * every listener, like a USB HID device whose hidraw node several processes have open.
 *
 * Stands for the firmware of the USB signer (a microcontroller with a button and a small screen):
 * CTAPHID channel allocation and framing, INFO / GET_PUBKEY / SIGN / SIGN_DIGEST / CANCEL / PING, on-device
 * purpose checks and display, keepalives while waiting, the approval timeout, and BUSY when a
 * second approval is requested. Keys live in `DeviceKeyStore`; the button is injected.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { didKeyFromPublicKey } from '../../core/mgmt/index.ts';
import type { SignerPurpose } from '../../core/ports.ts';
import { toHex, utf8 } from '../../core/types.ts';
import type { Clock } from '../../../hw/clock.ts';
import {
  APP_ERR,
  BROADCAST_CID,
  CMD,
  DEFAULT_APPROVAL_TIMEOUT_S,
  HID_ERR,
  INIT_NONCE_BYTES,
  KEEPALIVE_INTERVAL_MS,
  KEEPALIVE_STATUS,
  PROTOCOL_VERSION,
  REASSEMBLY_TIMEOUT_MS,
} from '../../../hw/framing/constants.ts';
import { encodeInitResponse, encodeKeepalive } from '../../../hw/framing/control-payloads.ts';
import { hidErrorCode } from '../../../hw/framing/errors.ts';
import { packetize, type Frame } from '../../../hw/framing/packetize.ts';
import { Reassembler } from '../../../hw/framing/reassembler.ts';
import { DIGEST_FORMAT, DIGEST_PURPOSES, describeDigestDocument } from '../../../hw/protocol/digest-documents.ts';
import { decodeMessage, encodeMessage, InfoRequest, PubkeyRequest, SignDigestRequest, SignRequest } from '../../../hw/protocol/messages.ts';
import { describeSignText, isSignerPurpose, PURPOSE_SLOTS } from '../../../hw/protocol/purposes.ts';
import type { ApprovalPrompt, Button, ButtonDecision } from './button.ts';
import type { DeviceKeyStore } from './key-store.ts';

/** What the device's screen shows, for a log sink. */
export type DeviceEvent =
  | { readonly kind: 'prompt'; readonly prompt: ApprovalPrompt }
  | { readonly kind: 'outcome'; readonly prompt: ApprovalPrompt; readonly result: 'approved' | 'rejected' | 'timeout' | 'cancelled' };

/** Options of a simulated device. */
export interface DeviceOptions {
  readonly keys: DeviceKeyStore;
  readonly button: Button;
  readonly clock: Clock;
  /** Device-side approval timeout in s (10..600, default 60). */
  readonly timeout_s?: number;
  /** Firmware version `[major, minor, build]` (default 1.0.0). */
  readonly firmware?: readonly [number, number, number];
  /** Screen events (prompts and their outcomes). */
  readonly onEvent?: (e: DeviceEvent) => void;
}

/** Most channels the device keeps; the least recently used is recycled beyond this. */
export const MAX_CHANNELS = 8;
/** SIGN and SIGN_DIGEST nonces remembered for NONCE_REUSED. */
export const NONCE_MEMORY = 64;

/** A request that passed every check and waits only for the operator (SIGN or SIGN_DIGEST). */
interface SignJob {
  readonly cid: number;
  /** Command the answer goes out as. */
  readonly cmd: number;
  readonly nonce: Uint8Array;
  /** Keys of the `approved` answer besides `nonce` and `status` (signs when called). */
  readonly approved: () => Record<string, unknown>;
}

interface PendingApproval extends SignJob {
  readonly prompt: ApprovalPrompt;
  readonly deadline_ms: number;
  cancelKeepalive: () => void;
  cancelTimeout: () => void;
  disarm: () => void;
}

/** A simulated Hivebox Signer. */
export class SimulatedSignerDevice {
  private readonly listeners = new Set<(report: Uint8Array) => void>();
  private readonly reassembler = new Reassembler();
  private readonly channels = new Map<number, number>();
  private readonly nonces: string[] = [];
  private nextCid = 1;
  private pending: PendingApproval | null = null;
  private cancelReassemblyTimer: (() => void) | null = null;
  private readonly timeout_s: number;
  private readonly firmware: readonly [number, number, number];

  constructor(private readonly opts: DeviceOptions) {
    this.timeout_s = opts.timeout_s ?? DEFAULT_APPROVAL_TIMEOUT_S;
    if (!Number.isInteger(this.timeout_s) || this.timeout_s < 10 || this.timeout_s > 600) throw new RangeError('timeout_s must be 10..600');
    this.firmware = opts.firmware ?? [1, 0, 0];
  }

  /** Device serial (USB iSerialNumber and INFO `serial`). */
  get serial(): string {
    return this.opts.keys.serial;
  }

  /** True while a SIGN waits for the button. */
  get awaitingButton(): boolean {
    return this.pending !== null;
  }

  /** Subscribe to IN reports. @returns unsubscribe. */
  onReport(listener: (report: Uint8Array) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Power loss (unplug): channels, pending approval and partial messages are gone; keys stay. */
  powerCycle(): void {
    if (this.pending) this.endPending(null);
    this.cancelReassemblyTimer?.();
    this.reassembler.reset();
    this.channels.clear();
    this.nonces.length = 0;
  }

  /** One OUT report from a host. Never throws; malformed input is answered with ERROR. */
  receive(report: Uint8Array): void {
    const now = this.opts.clock.now_ms();
    const ev = this.reassembler.push(report, now);
    switch (ev.kind) {
      case 'frame':
        this.cancelReassemblyTimer?.();
        this.handle(ev.frame);
        return;
      case 'partial':
        this.cancelReassemblyTimer?.();
        this.cancelReassemblyTimer = this.opts.clock.setTimer(REASSEMBLY_TIMEOUT_MS, () => {
          const t = this.reassembler.expire(this.opts.clock.now_ms());
          if (t?.kind === 'error' && t.cid !== null) this.sendError(t.cid, hidErrorCode(t.error));
        });
        return;
      case 'error':
        if (ev.cid !== null) this.sendError(ev.cid, hidErrorCode(ev.error));
        return;
      case 'ignored':
        return;
    }
  }

  private emit(frame: Frame): void {
    const reports = packetize(frame);
    if (!reports.ok) throw new Error(`device produced an oversize message (${reports.error.kind})`);
    for (const r of reports.value) for (const l of this.listeners) l(r);
  }

  private sendError(cid: number, code: number): void {
    this.emit({ cid, cmd: CMD.ERROR, payload: Uint8Array.of(code) });
  }

  private reply(cid: number, cmd: number, map: Record<string, unknown>): void {
    this.emit({ cid, cmd, payload: encodeMessage(map) });
  }

  private allocateChannel(): number {
    if (this.channels.size >= MAX_CHANNELS) {
      const [oldest] = [...this.channels.entries()].sort((a, b) => a[1] - b[1])[0]!;
      if (this.pending?.cid === oldest) this.endPending('cancelled');
      this.channels.delete(oldest);
    }
    while (this.nextCid === BROADCAST_CID || this.nextCid === 0 || this.channels.has(this.nextCid)) this.nextCid = (this.nextCid + 1) >>> 0;
    const cid = this.nextCid;
    this.nextCid = (this.nextCid + 1) >>> 0;
    return cid;
  }

  private handle(frame: Frame): void {
    const { cid, cmd, payload } = frame;
    if (cmd === CMD.INIT) return this.handleInit(cid, payload);
    if (cid === BROADCAST_CID || !this.channels.has(cid)) return this.sendError(cid, HID_ERR.INVALID_CHANNEL);
    this.channels.set(cid, this.opts.clock.now_ms());
    if (cmd === CMD.CANCEL) {
      if (this.pending?.cid === cid) this.endPending('cancelled');
      return;
    }
    if (this.pending?.cid === cid) return this.sendError(cid, HID_ERR.CHANNEL_BUSY);
    switch (cmd) {
      case CMD.PING:
        return this.emit({ cid, cmd, payload });
      case CMD.INFO:
        return this.handleInfo(cid, payload);
      case CMD.GET_PUBKEY:
        return this.handlePubkey(cid, payload);
      case CMD.SIGN:
        return this.handleSign(cid, payload);
      case CMD.SIGN_DIGEST:
        return this.handleSignDigest(cid, payload);
      default:
        return this.sendError(cid, HID_ERR.INVALID_CMD);
    }
  }

  private handleInit(cid: number, payload: Uint8Array): void {
    if (payload.length !== INIT_NONCE_BYTES) return this.sendError(cid, HID_ERR.INVALID_PAR);
    let channel: number;
    if (cid === BROADCAST_CID) channel = this.allocateChannel();
    else if (this.channels.has(cid)) {
      if (this.pending?.cid === cid) this.endPending('cancelled');
      channel = cid;
    } else return this.sendError(cid, HID_ERR.INVALID_CHANNEL);
    this.channels.set(channel, this.opts.clock.now_ms());
    const body = encodeInitResponse({ nonce: payload, cid: channel, protocol_version: PROTOCOL_VERSION, firmware: [...this.firmware] as [number, number, number], capabilities: 0x01 });
    this.emit({ cid, cmd: CMD.INIT, payload: body });
  }

  private handleInfo(cid: number, payload: Uint8Array): void {
    const req = decodeMessage(InfoRequest, payload);
    if (!req.ok) return this.sendError(cid, HID_ERR.INVALID_PAR);
    this.reply(cid, CMD.INFO, {
      nonce: req.value.nonce,
      model: 'Hivebox Signer',
      firmware: this.firmware.join('.'),
      protocol: PROTOCOL_VERSION,
      serial: this.serial,
      timeout_s: this.timeout_s,
    });
  }

  private handlePubkey(cid: number, payload: Uint8Array): void {
    const req = decodeMessage(PubkeyRequest, payload);
    if (!req.ok) return this.sendError(cid, HID_ERR.INVALID_PAR);
    const { nonce, purpose } = req.value;
    if (!isSignerPurpose(purpose)) return this.appError(cid, CMD.GET_PUBKEY, nonce, APP_ERR.UNKNOWN_PURPOSE, `unknown purpose ${purpose}`);
    const slot = PURPOSE_SLOTS[purpose].slot;
    this.reply(cid, CMD.GET_PUBKEY, { nonce, purpose, slot, pubkey: this.opts.keys.publicKey(slot) });
  }

  private appError(cid: number, cmd: number, nonce: Uint8Array, code: number, reason: string): void {
    this.reply(cid, cmd, { nonce, status: 'error', code, reason: reason.slice(0, 256) });
  }

  /** Steps 2–3 of §3.3 (busy, replayed nonce). @returns true when it answered and the request ends. */
  private refusedEarly(cid: number, cmd: number, nonce: Uint8Array): boolean {
    if (this.pending) {
      this.reply(cid, cmd, { nonce, status: 'busy' });
      return true;
    }
    const nonceHex = toHex(nonce);
    if (this.nonces.includes(nonceHex)) {
      this.appError(cid, cmd, nonce, APP_ERR.NONCE_REUSED, 'nonce seen before');
      return true;
    }
    this.nonces.push(nonceHex);
    if (this.nonces.length > NONCE_MEMORY) this.nonces.shift();
    return false;
  }

  private handleSign(cid: number, payload: Uint8Array): void {
    const req = decodeMessage(SignRequest, payload);
    if (!req.ok) return this.sendError(cid, HID_ERR.INVALID_PAR);
    const { nonce, purpose, text, summary } = req.value;
    if (this.refusedEarly(cid, CMD.SIGN, nonce)) return;
    if (!isSignerPurpose(purpose)) return this.appError(cid, CMD.SIGN, nonce, APP_ERR.UNKNOWN_PURPOSE, `unknown purpose ${purpose}`);
    if (utf8(text).length > 6144) return this.appError(cid, CMD.SIGN, nonce, APP_ERR.TEXT_TOO_LONG, 'text over 6144 bytes');
    const d = describeSignText(purpose, text);
    if (!d.ok) return this.appError(cid, CMD.SIGN, nonce, APP_ERR.TEXT_MALFORMED, d.error.reason);
    const rule = PURPOSE_SLOTS[purpose];
    if (d.value.signer_key !== undefined && d.value.signer_key !== toHex(this.opts.keys.publicKey(rule.slot))) {
      return this.appError(cid, CMD.SIGN, nonce, APP_ERR.WRONG_KEY, 'text names another signing key');
    }
    const fields: Record<string, string> = { ...d.value.fields };
    for (const [k, v] of Object.entries(summary.fields)) {
      if (Object.hasOwn(d.value.fields, k)) {
        if (d.value.fields[k] !== v) return this.appError(cid, CMD.SIGN, nonce, APP_ERR.SUMMARY_MISMATCH, `field ${k} does not match the text`);
      } else fields[`host: ${k}`] = v;
    }
    const slot = rule.slot;
    const job: SignJob = { cid, cmd: CMD.SIGN, nonce, approved: () => ({ signature: this.opts.keys.signLightning(slot, text), pubkey: this.opts.keys.publicKey(slot), slot }) };
    if (!rule.button) return this.answerApproved(job);
    this.startPending(job, { purpose: purpose as SignerPurpose, title: d.value.title, fields, timeout_s: this.timeout_s });
  }

  /** SIGN_DIGEST (PROTOCOL.md §3.6): hash the shown JCS document on the device, sign compact. */
  private handleSignDigest(cid: number, payload: Uint8Array): void {
    const req = decodeMessage(SignDigestRequest, payload);
    if (!req.ok) return this.sendError(cid, HID_ERR.INVALID_PAR);
    const { nonce, purpose, format, document } = req.value;
    const cmd = CMD.SIGN_DIGEST;
    if (this.refusedEarly(cid, cmd, nonce)) return;
    if (!isSignerPurpose(purpose)) return this.appError(cid, cmd, nonce, APP_ERR.UNKNOWN_PURPOSE, `unknown purpose ${purpose}`);
    if (format !== DIGEST_FORMAT || !DIGEST_PURPOSES.has(purpose)) return this.appError(cid, cmd, nonce, APP_ERR.FORMAT_UNSUPPORTED, `${purpose} is not signed in format ${format}`);
    if (utf8(document).length > 6144) return this.appError(cid, cmd, nonce, APP_ERR.TEXT_TOO_LONG, 'document over 6144 bytes');
    const d = describeDigestDocument(purpose, document);
    if (!d.ok) return this.appError(cid, cmd, nonce, APP_ERR.TEXT_MALFORMED, d.error.reason);
    const slot = PURPOSE_SLOTS[purpose].slot;
    if (d.value.issuer !== didKeyFromPublicKey(this.opts.keys.publicKey(slot))) return this.appError(cid, cmd, nonce, APP_ERR.WRONG_KEY, 'document names another issuer');
    const digest = sha256(utf8(document));
    const job: SignJob = { cid, cmd, nonce, approved: () => ({ digest, signature: this.opts.keys.signCompact(slot, digest), pubkey: this.opts.keys.publicKey(slot), slot }) };
    this.startPending(job, { purpose, title: d.value.title, fields: d.value.fields, timeout_s: this.timeout_s });
  }

  private answerApproved(job: SignJob): void {
    this.reply(job.cid, job.cmd, { nonce: job.nonce, status: 'approved', ...job.approved() });
  }

  private startPending(job: SignJob, prompt: ApprovalPrompt): void {
    const clock = this.opts.clock;
    const { cid } = job;
    const none = () => {};
    const pending: PendingApproval = {
      ...job,
      prompt,
      deadline_ms: clock.now_ms() + this.timeout_s * 1000,
      cancelKeepalive: none, cancelTimeout: none, disarm: none,
    };
    this.pending = pending;
    this.opts.onEvent?.({ kind: 'prompt', prompt });
    const keepalive = () => {
      if (this.pending !== pending) return;
      const left_s = (pending.deadline_ms - clock.now_ms()) / 1000;
      this.emit({ cid, cmd: CMD.KEEPALIVE, payload: encodeKeepalive({ status: KEEPALIVE_STATUS.UPNEEDED, seconds_left: left_s }) });
      pending.cancelKeepalive = clock.setTimer(KEEPALIVE_INTERVAL_MS, keepalive);
    };
    keepalive();
    pending.cancelTimeout = clock.setTimer(this.timeout_s * 1000, () => this.pending === pending && this.endPending('timeout'));
    pending.disarm = this.opts.button.arm(prompt, (d: ButtonDecision) => this.pending === pending && this.endPending(d === 'approve' ? 'approved' : 'rejected'));
  }

  /** End the pending approval with `result` (null: power loss, nothing is sent). */
  private endPending(result: 'approved' | 'rejected' | 'timeout' | 'cancelled' | null): void {
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    p.cancelKeepalive();
    p.cancelTimeout();
    p.disarm();
    if (result === null) return;
    this.opts.onEvent?.({ kind: 'outcome', prompt: p.prompt, result });
    if (result === 'approved') return this.answerApproved(p);
    if (result === 'timeout') return this.reply(p.cid, p.cmd, { nonce: p.nonce, status: 'timeout', after_s: this.timeout_s });
    this.reply(p.cid, p.cmd, { nonce: p.nonce, status: result });
  }
}
