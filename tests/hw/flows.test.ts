/**
 * Host driver flows against the device model over the in-process USB port, on a hand-driven clock:
 * approve, reject, device timeout, host timeout (with CANCEL), unplug mid-signature, replug and
 * retry, concurrent requests (BUSY from the host and from the device), pending-approval state,
 * the approval flow's prompt and countdown, and attacks on the host (stale or forged answers,
 * a device that signs with the wrong key, a device that goes silent).
 */
import { afterEach, describe, expect, test } from 'bun:test';
import { CMD } from '../../hw/framing/constants.ts';
import { requestApproval } from '../../hw/host/approval-flow.ts';
import { HidSigner } from '../../hw/host/hid-signer.ts';
import { describeSignerError } from '../../hw/host/signer-errors.ts';
import { decodeMessage, encodeMessage, SignResponse } from '../../hw/protocol/messages.ts';
import { recoverSigner } from '../../runtime/core/crypto/lnsign.ts';
import type { Frame } from '../../hw/framing/packetize.ts';
import { INVITE_SUMMARY, inviteText, makeRig, seededRandom, type Rig } from './fixtures.ts';
import { tapOpener } from './frame-tap.ts';
import { ManualClock } from './manual-clock.ts';
import type { ButtonAction } from '../../runtime/sim/signer/button.ts';

const rigs: Rig[] = [];
afterEach(() => rigs.splice(0).forEach((r) => r.cleanup()));

function rig(button: ButtonAction | readonly ButtonAction[], opts: { sign_timeout_ms?: number } = {}) {
  const clock = new ManualClock();
  const r = makeRig(clock, button, opts);
  rigs.push(r);
  return { clock, ...r, text: inviteText(r.adminKey) };
}

const invite = { purpose: 'invite' as const, summary: INVITE_SUMMARY };

describe('outcomes', () => {
  test('approve: the signature verifies with recoverSigner to the key GET_PUBKEY reported', async () => {
    const r = rig({ press: 'approve', after_ms: 2500 });
    const key = await r.signer.publicKey('invite');
    if (!key.ok) throw new Error(key.error.kind);
    const p = r.signer.sign(r.text, invite);
    await r.clock.advance(2500);
    const res = await p;
    if (!res.ok) throw new Error(res.error.kind);
    expect(res.value.node_id).toBe(key.node_id);
    expect(recoverSigner(r.text, res.value.zbase)).toBe(key.node_id);
    expect(res.value.zbase).toHaveLength(104);
  });

  test('reject → ApprovalRejected', async () => {
    const r = rig('reject');
    const p = r.signer.sign(r.text, invite);
    await r.clock.advance(10);
    expect(await p).toEqual({ ok: false, error: { kind: 'ApprovalRejected' } });
  });

  test('device timeout (60 s) → ApprovalTimeout', async () => {
    const r = rig('never');
    const p = r.signer.sign(r.text, invite);
    await r.clock.advance(60_000);
    expect(await p).toEqual({ ok: false, error: { kind: 'ApprovalTimeout', after_s: 60 } });
    expect(r.signer.pending()).toBeNull();
  });

  test('host timeout → ApprovalTimeout, and CANCEL clears the prompt on the device', async () => {
    const r = rig('never', { sign_timeout_ms: 5000 });
    const p = r.signer.sign(r.text, invite);
    await r.clock.advance(5000);
    expect(await p).toEqual({ ok: false, error: { kind: 'ApprovalTimeout', after_s: 5 } });
    await r.clock.advance(10);
    expect(r.device.awaitingButton).toBe(false);
    expect(r.events.at(-1)).toMatchObject({ kind: 'outcome', result: 'cancelled' });
  });

  test('a request too large for one message is refused before anything is sent', async () => {
    const r = rig('approve');
    const res = await r.signer.sign(`BAN:02${'ab'.repeat(32)}:${'x'.repeat(7600)}:1`, { purpose: 'ban', summary: { title: 'ban', fields: {} } });
    expect(res).toMatchObject({ ok: false, error: { kind: 'SignerRefused', reason: expect.stringContaining('exceeds 7609') } });
    expect(r.events).toEqual([]);
  });

  test('a text the device refuses → SignerRefused with the device reason, no prompt', async () => {
    const r = rig('approve');
    const res = await r.signer.sign(inviteText(`02${'ab'.repeat(32)}`), invite);
    expect(res).toMatchObject({ ok: false, error: { kind: 'SignerRefused' } });
    expect(r.events).toEqual([]);
  });
});

describe('unplug and replug', () => {
  test('unplug during a signature → SignerUnavailable; replug and retry signs without a restart', async () => {
    const r = rig(['never', 'approve']);
    const p = r.signer.sign(r.text, invite);
    await r.clock.advance(1500);
    expect(r.signer.pending()).not.toBeNull();
    await r.port.unplug();
    const res = await p;
    expect(res).toMatchObject({ ok: false, error: { kind: 'SignerUnavailable', reason: 'device unplugged' } });
    expect(r.signer.pending()).toBeNull();
    expect(r.signer.status()).toMatchObject({ connected: false, last_error: 'device unplugged' });

    expect(await r.signer.sign(r.text, invite)).toMatchObject({ ok: false, error: { kind: 'SignerUnavailable' } });

    r.port.plug();
    const retry = r.signer.sign(r.text, invite);
    await r.clock.advance(10);
    const ok = await retry;
    expect(ok.ok && recoverSigner(r.text, ok.value.zbase)).toBe(r.adminKey);
    expect(r.signer.status().connected).toBe(true);
  });
});

describe('one approval at a time', () => {
  test('a second sign on the same driver gets SignerBusy at once; the first completes', async () => {
    const r = rig({ press: 'approve', after_ms: 3000 });
    const first = r.signer.sign(r.text, invite);
    await r.clock.advance(100);
    expect(await r.signer.sign(r.text, invite)).toEqual({ ok: false, error: { kind: 'SignerBusy' } });
    expect(await r.signer.info()).toEqual({ ok: false, error: { kind: 'SignerBusy' } });
    await r.clock.advance(3000);
    expect((await first).ok).toBe(true);
  });

  test('a second host (another process on the same device) gets SignerBusy from the device', async () => {
    const r = rig({ press: 'approve', after_ms: 3000 });
    const other = r.newSigner();
    const first = r.signer.sign(r.text, invite);
    await r.clock.advance(100);
    const second = other.sign(r.text, invite);
    await r.clock.advance(10);
    expect(await second).toEqual({ ok: false, error: { kind: 'SignerBusy' } });
    await r.clock.advance(3000);
    expect((await first).ok).toBe(true);
    expect(r.prompts).toHaveLength(1);
  });

  test('pending approval is visible with a device-driven countdown; publicKey answers from cache', async () => {
    const r = rig({ press: 'approve', after_ms: 5000 });
    const key = await r.signer.publicKey('invite');
    const p = r.signer.sign(r.text, invite);
    await r.clock.advance(2000);
    expect(r.signer.pending()).toMatchObject({ purpose: 'invite', title: INVITE_SUMMARY.title, waiting_for_user: true, seconds_left: 58 });
    expect(r.signer.status().pending?.seconds_left).toBe(58);
    expect(await r.signer.publicKey('invite')).toEqual(key);
    expect(await r.signer.publicKey('governance')).toEqual({ ok: false, error: { kind: 'SignerBusy' } });
    await r.clock.advance(3000);
    expect((await p).ok).toBe(true);
    expect(r.signer.pending()).toBeNull();
  });
});

describe('approval flow', () => {
  test('prints the prompt once the device waits, counts down, returns the signature', async () => {
    const r = rig({ press: 'approve', after_ms: 3000 });
    const prompts: string[] = [];
    const counts: number[] = [];
    const p = requestApproval(r.signer, { text: r.text, purpose: 'invite' }, { onPrompt: (l) => prompts.push(l), onCountdown: (s) => counts.push(s) });
    await r.clock.advance(3000);
    const res = await p;
    expect(res.ok && recoverSigner(r.text, res.value.zbase)).toBe(r.adminKey);
    expect(prompts).toEqual(['Press the button on your Hivebox signer to approve: invite to hive_1a2b3c, valid 24 h, requires splice']);
    expect(counts).toEqual([60, 59, 58]);
  });

  test('reject, timeout and unplug come back as typed errors with operator text', async () => {
    const rejected = rig('reject');
    const p1 = requestApproval(rejected.signer, { text: rejected.text, purpose: 'invite' });
    await rejected.clock.advance(10);
    const e1 = await p1;
    expect(!e1.ok && describeSignerError(e1.error)).toBe('rejected on the signer');

    const timeout = rig('never');
    const p2 = requestApproval(timeout.signer, { text: timeout.text, purpose: 'revoke', summary: undefined });
    await timeout.clock.advance(10);
    expect(await p2).toMatchObject({ ok: false, error: { kind: 'SignerRefused' } });

    const gone = rig('never');
    const p3 = requestApproval(gone.signer, { text: `BAN:02${'cd'.repeat(32)}:leech:1763700000`, purpose: 'ban' });
    await gone.clock.advance(500);
    await gone.port.unplug();
    const e3 = await p3;
    expect(!e3.ok && describeSignerError(e3.error)).toBe('Hivebox signer unavailable: device unplugged');
  });

  test('a text that is not of its purpose is refused before the device is asked', async () => {
    const r = rig('approve');
    expect(await requestApproval(r.signer, { text: r.text, purpose: 'ban' })).toMatchObject({ ok: false, error: { kind: 'SignerRefused' } });
    expect(r.signer.status().connected).toBe(false);
  });
});

describe('attacks on the host', () => {
  let taps = 0;
  function tapped(r: ReturnType<typeof rig>, rewrite: (f: Frame) => Frame[]) {
    return new HidSigner({ opener: tapOpener(r.port.opener, rewrite), clock: r.clock, random: seededRandom(`tap/${taps++}`) });
  }

  test('a replayed old approval (wrong nonce) is ignored; the real answer wins', async () => {
    const r = rig({ press: 'approve', after_ms: 1000 });
    let recorded: Frame | null = null;
    const recorder = tapped(r, (f) => {
      if (f.cmd === CMD.SIGN && !recorded) recorded = f;
      return [f];
    });
    const p0 = recorder.sign(r.text, invite);
    await r.clock.advance(1000);
    expect((await p0).ok).toBe(true);
    await recorder.close();

    const fresh = tapped(r, (f) => (f.cmd === CMD.KEEPALIVE && recorded ? [f, { ...recorded, cid: f.cid }] : [f]));
    const p = fresh.sign(r.text, invite);
    await r.clock.advance(1000);
    const res = await p;
    expect(res.ok).toBe(true);
    expect(r.prompts).toHaveLength(2);
  });

  test('a device answer signed by another key → SignerRefused, nothing returned', async () => {
    const r = rig('approve');
    const forged = tapped(r, (f) => {
      if (f.cmd !== CMD.SIGN) return [f];
      const a = decodeMessage(SignResponse, f.payload);
      if (!a.ok || a.value.status !== 'approved') return [f];
      return [{ ...f, payload: encodeMessage({ ...a.value, signature: a.value.signature.map((b, i) => (i === 10 ? b ^ 1 : b)) }) }];
    });
    const p = forged.sign(r.text, invite);
    await r.clock.advance(10);
    expect(await p).toMatchObject({ ok: false, error: { kind: 'SignerRefused', reason: 'signature from the signer does not verify against its key' } });
  });

  test('a device that goes silent mid-approval → SignerUnavailable after 2 s, not a hang', async () => {
    const r = rig('never');
    let mute = false;
    const s = tapped(r, (f) => {
      if (f.cmd === CMD.KEEPALIVE && r.clock.now_ms() > 500) mute = true;
      return mute ? [] : [f];
    });
    const p = s.sign(r.text, invite);
    await r.clock.advance(2700);
    expect(await p).toMatchObject({ ok: false, error: { kind: 'SignerUnavailable', reason: 'signer went silent for 2000 ms' } });
  });

  test('a device that stops answering while idle is disconnected by the status check and found again', async () => {
    const r = rig('approve');
    let mute = false;
    const s = tapped(r, (f) => (mute ? [] : [f]));
    expect((await s.info()).ok).toBe(true);
    mute = true;
    const p = s.info();
    await r.clock.advance(3000);
    expect(await p).toMatchObject({ ok: false, error: { kind: 'SignerUnavailable', reason: 'no answer within 3000 ms' } });
    expect(s.status()).toMatchObject({ connected: false, last_error: 'no answer within 3000 ms' });
    mute = false;
    expect(await s.info()).toMatchObject({ ok: true, value: { model: 'Hivebox Signer' } });
    expect(s.status().connected).toBe(true);
  });

  test('a signer speaking another protocol version is refused at INIT', async () => {
    const r = rig('approve');
    const s = tapped(r, (f) => (f.cmd === CMD.INIT ? [{ ...f, payload: f.payload.map((b, i) => (i === 12 ? 2 : b)) }] : [f]));
    expect(await s.publicKey('invite')).toMatchObject({ ok: false, error: { kind: 'SignerUnavailable', reason: expect.stringContaining('signer speaks protocol 2, host 1') } });
  });
});
