/**
 * daemon-ipc: the line-delimited JSON protocol between the thin `hivebox plugin` (inside
 * lightningd) and the `hivebox run` daemon. README.md documents the wire format.
 */
export { IpcClient, PLUGIN_LINKED_LOG, type IpcClientOptions, type IpcFailure, type IpcOutcome } from './client.ts';
export { startCliClient } from './cli-client.ts';
export { IPC_LIMITS, IPC_PROTOCOL_VERSION } from './limits.ts';
export { LineReader } from './line-reader.ts';
export { decodeDaemonLine, encodeLine, type DaemonLine, type DaemonPush, type IgnoreListPush, type IpcErrorObject, type IpcResponse, type MembersPush } from './daemon-lines.ts';
export { decodePluginLine, type IpcEvent, type IpcRequest } from './protocol.ts';
export { IPC_SERVER_ERROR, listenIpc, type IpcHandlers, type IpcServer } from './server.ts';
