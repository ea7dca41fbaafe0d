/**
 * runtime/sim: the simulators, apart from the production adapters. Each stands for a real thing that
 * cannot run here and speaks its exact protocol: simnet (CLN v26.06 nodes: `lightning-rpc` and the
 * plugin protocol), the Cashu test mint (NUT-01/02/03/04/06/07 over HTTP), the USB HID signer device (signer/,
 * hw/PROTOCOL.md), and `startSimFleet`
 * (N simnet nodes, each with the real plugin and its own daemon). Re-exports only.
 */
export { startSimFleet, type SimFleet, type SimFleetMember, type SimFleetNodeSpec, type SimFleetOptions } from './fleet.ts';
export * from './mint/mint.ts';
export * from './mint/server.ts';
