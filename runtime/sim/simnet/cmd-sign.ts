/**
 * simnet's `signmessage` and `checkmessage` (CLN v26.06 lightningd/signmessage.c behaviour):
 * both hash the raw JSON token text of `message` — the characters between the quotes in the
 * request, escapes included, never unescaped (checked on a real v26.06 node). `checkmessage`
 * without a pubkey only accepts signers present in the node's gossip, else error 1301.
 */
import { recoverSigner, signMessage, zbase32, ZBASE_SIG_LENGTH } from '../../core/crypto/lnsign.ts';
import { toHex } from '../../core/types.ts';
import { badParam, fail, nodeIdParam, ok, type CommandCall, type CommandDef } from './command-types.ts';
import { rawStringParam } from './raw-token.ts';
import { CLN_ERROR } from '../../../services/lightning-rpc/errors.ts';

/** lightningd refuses messages of 64 KiB and more ("Message must be < 64k"). */
const MAX_MESSAGE_CHARS = 65_535;

/** `signmessage message` → {signature (hex r‖s), recid (hex), zbase}. */
export const signmessageCommand: CommandDef = {
  params: ['message'],
  required: 1,
  run({ node, raw }: CommandCall) {
    const text = rawStringParam(raw, 'message', 0);
    if (text === null) return badParam('message', 'a string', null);
    if (text.length > MAX_MESSAGE_CHARS) return fail(CLN_ERROR.INVALID_PARAMS, 'Message must be < 64k');
    const zbase = signMessage(text, node.key.secretKey);
    const bytes = zbase32.decode(zbase);
    return ok({ signature: toHex(bytes.slice(1)), recid: toHex(Uint8Array.of(bytes[0]! - 31)), zbase });
  },
};

/** `checkmessage message zbase [pubkey]` → {pubkey, verified}. */
export const checkmessageCommand: CommandDef = {
  params: ['message', 'zbase', 'pubkey'],
  required: 2,
  run({ node, raw, params }: CommandCall) {
    const text = rawStringParam(raw, 'message', 0);
    if (text === null) return badParam('message', 'a string', null);
    if (typeof params.zbase !== 'string' || params.zbase.length !== ZBASE_SIG_LENGTH) return badParam('zbase', 'a zbase32 signature', params.zbase);
    const recovered = recoverSigner(text, params.zbase);
    if (params.pubkey !== undefined) {
      const pubkey = nodeIdParam(params.pubkey);
      if (!pubkey) return badParam('pubkey', 'a node id', params.pubkey);
      return ok({ pubkey, verified: recovered === pubkey });
    }
    if (recovered === null) return fail(CLN_ERROR.INVALID_PARAMS, 'zbase: signature not valid');
    if (node.network.listnodes(recovered).length === 0) return fail(CLN_ERROR.SIGNMESSAGE_PUBKEY_NOT_FOUND, 'pubkey not found in the graph');
    return ok({ pubkey: recovered, verified: true });
  },
};
