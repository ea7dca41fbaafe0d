/**
 * Run by tests/hw/node-hid.test.ts as a plain `bun` process, the way the daemon runs: node-hid's
 * loader (pkg-prebuilds) takes a jest-only code path when a `jest` global exists, which `bun test`
 * provides, so node-hid is exercised outside the test runner. Prints one JSON object.
 */
import { HidSigner } from '../../hw/host/hid-signer.ts';
import { loadNodeHid, nodeHidOpener } from '../../hw/transport/node-hid-transport.ts';

const lib = await loadNodeHid();
const devices = lib.ok ? lib.value.devices() : null;
const devicesAsync = lib.ok ? await lib.value.devicesAsync() : null;
const missingVidPid = await nodeHidOpener({ vid: 0x1234, pid: 0x5678 })();
const missingPath = await nodeHidOpener({ path: '/dev/hidraw-hivebox-missing' })();
const signer = new HidSigner({ opener: nodeHidOpener() });
const viaSigner = await signer.publicKey('invite');
console.log(JSON.stringify({ loaded: lib.ok, devices, devicesAsync, hidapi: lib.ok ? lib.value.getHidapiVersion() : null, missingVidPid, missingPath, viaSigner }));
