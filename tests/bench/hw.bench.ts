/**
 * Hardware-signer figures (issue 5 §5): sign round trips per second through the real framing layer
 * against the device model with no button wait — in process over the simulated USB port, and over
 * the unix socket to a simulator subprocess — plus raw framing throughput and PING round trips.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { canonicalJson } from '../../runtime/core/canonical/python-json.ts';
import { lightningSignedText } from '../../runtime/core/canonical/signed-text.ts';
import { realClock, secureRandom } from '../../hw/clock.ts';
import { scriptedButton } from '../../runtime/sim/signer/button.ts';
import { SimulatedSignerDevice } from '../../runtime/sim/signer/device.ts';
import { DeviceKeyStore } from '../../runtime/sim/signer/key-store.ts';
import { startSignerSimulator } from '../../runtime/sim/signer/start.ts';
import { SimulatedUsbPort } from '../../runtime/sim/signer/usb-port.ts';
import { CMD, MAX_MESSAGE_BYTES } from '../../hw/framing/constants.ts';
import { packetize } from '../../hw/framing/packetize.ts';
import { Reassembler } from '../../hw/framing/reassembler.ts';
import { HidSigner } from '../../hw/host/hid-signer.ts';
import type { Signer } from '../../runtime/core/ports.ts';
import { opsPerSecond } from './harness.ts';

const dir = mkdtempSync(join(tmpdir(), 'hivebox-hw-bench-'));
try {
  const payload = new Uint8Array(MAX_MESSAGE_BYTES);
  const re = new Reassembler();
  await opsPerSecond('hw.framing_max_message_roundtrip', 2000, () => {
    const rs = packetize({ cid: 1, cmd: CMD.SIGN, payload });
    if (rs.ok) for (const r of rs.value) re.push(r, 0);
  });

  const device = new SimulatedSignerDevice({ keys: DeviceKeyStore.open(join(dir, 'inproc'), secureRandom), button: scriptedButton('approve', realClock), clock: realClock });
  const signer = new HidSigner({ opener: new SimulatedUsbPort(device).opener });
  await benchSigner('inprocess', signer);
  await opsPerSecond('hw.ping_64b_roundtrip_inprocess', 2000, () => signer.ping(payload.subarray(0, 64)));

  const sim = await startSignerSimulator({ mode: 'subprocess', stateDir: join(dir, 'sub') });
  await benchSigner('unix_socket_subprocess', sim.signer);
  await sim.stop();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

/** Governance signs without the button; invite with a button that presses at once. */
async function benchSigner(where: string, signer: Signer): Promise<void> {
  const gov = await signer.publicKey('governance');
  const admin = await signer.publicKey('invite');
  if (!gov.ok || !admin.ok) throw new Error('signer unavailable');
  const vote = (i: number) => `hive:ban_vote:${i.toString(16).padStart(32, '0')}:approve:1763700000`;
  await opsPerSecond(`hw.sign_roundtrip_no_button_${where}`, 200, async (i) => {
    const r = await signer.sign(vote(i), { purpose: 'governance', summary: { title: '', fields: {} } });
    if (!r.ok) throw new Error(r.error.kind);
  });
  const ticket = lightningSignedText(canonicalJson({ admin_pubkey: admin.node_id, expires_at: 1763786400, hive_id: 'hive_bench', initial_tier: 'neophyte', issued_at: 1763700000, requirements: 1 }));
  await opsPerSecond(`hw.sign_invite_roundtrip_instant_press_${where}`, 100, async () => {
    const r = await signer.sign(ticket, { purpose: 'invite', summary: { title: '', fields: {} } });
    if (!r.ok) throw new Error(r.error.kind);
  });
}
