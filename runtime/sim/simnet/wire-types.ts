/**
 * BOLT message types lightningd handles itself (CLN v26.06 `wire/peer_wire.csv`; BOLT 1, 2, 7,
 * splicing, dual-funding, onion messages). `sendcustommsg` refuses them ("Cannot send messages of
 * type …"), and simnet does not pass them to the custommsg hook. Peer storage (7, 9) is not in the
 * list: CLN hands it to the custommsg hook chain (the chanbackup plugin), and so does simnet.
 */
export const INTERNAL_PEER_TYPES: ReadonlyMap<number, string> = new Map([
  [1, 'WIRE_WARNING'], [2, 'WIRE_STFU'], [16, 'WIRE_INIT'], [17, 'WIRE_ERROR'], [18, 'WIRE_PING'], [19, 'WIRE_PONG'],
  [32, 'WIRE_OPEN_CHANNEL'], [33, 'WIRE_ACCEPT_CHANNEL'], [34, 'WIRE_FUNDING_CREATED'], [35, 'WIRE_FUNDING_SIGNED'],
  [36, 'WIRE_CHANNEL_READY'], [38, 'WIRE_SHUTDOWN'], [39, 'WIRE_CLOSING_SIGNED'], [40, 'WIRE_CLOSING_COMPLETE'], [41, 'WIRE_CLOSING_SIG'],
  [64, 'WIRE_OPEN_CHANNEL2'], [65, 'WIRE_ACCEPT_CHANNEL2'], [66, 'WIRE_TX_ADD_INPUT'], [67, 'WIRE_TX_ADD_OUTPUT'],
  [68, 'WIRE_TX_REMOVE_INPUT'], [69, 'WIRE_TX_REMOVE_OUTPUT'], [70, 'WIRE_TX_COMPLETE'], [71, 'WIRE_TX_SIGNATURES'],
  [72, 'WIRE_TX_INIT_RBF'], [73, 'WIRE_TX_ACK_RBF'], [74, 'WIRE_TX_ABORT'], [77, 'WIRE_SPLICE_LOCKED'], [80, 'WIRE_SPLICE'], [81, 'WIRE_SPLICE_ACK'],
  [128, 'WIRE_UPDATE_ADD_HTLC'], [130, 'WIRE_UPDATE_FULFILL_HTLC'], [131, 'WIRE_UPDATE_FAIL_HTLC'], [132, 'WIRE_COMMITMENT_SIGNED'],
  [133, 'WIRE_REVOKE_AND_ACK'], [134, 'WIRE_UPDATE_FEE'], [135, 'WIRE_UPDATE_FAIL_MALFORMED_HTLC'], [136, 'WIRE_CHANNEL_REESTABLISH'],
  [256, 'WIRE_CHANNEL_ANNOUNCEMENT'], [257, 'WIRE_NODE_ANNOUNCEMENT'], [258, 'WIRE_CHANNEL_UPDATE'], [259, 'WIRE_ANNOUNCEMENT_SIGNATURES'],
  [261, 'WIRE_QUERY_SHORT_CHANNEL_IDS'], [262, 'WIRE_REPLY_SHORT_CHANNEL_IDS_END'], [263, 'WIRE_QUERY_CHANNEL_RANGE'],
  [264, 'WIRE_REPLY_CHANNEL_RANGE'], [265, 'WIRE_GOSSIP_TIMESTAMP_FILTER'], [513, 'WIRE_ONION_MESSAGE'],
]);

/** The BOLT type (big-endian u16) at the start of a message hex, or null when shorter than 2 bytes. */
export function peekType(msgHex: string): number | null {
  return msgHex.length >= 4 ? Number.parseInt(msgHex.slice(0, 4), 16) : null;
}
