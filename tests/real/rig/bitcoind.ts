/**
 * A real Bitcoin Core `bitcoind -regtest` for the rig, on 127.0.0.1 with free ports, reached over
 * its JSON-RPC (HTTP, user/password) with one wallet "rig" that mines and pays.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startProcess, type RigProcess } from './procs.ts';
import { eventually, freePort } from './wait.ts';

export const BITCOIN_RPC_USER = 'hivebox';
export const BITCOIN_RPC_PASSWORD = 'hivebox-regtest';

/** A running regtest bitcoind. */
export class Bitcoind {
  private seq = 0;
  private minerAddress = '';

  private constructor(
    readonly dir: string,
    readonly rpcPort: number,
    readonly proc: RigProcess,
  ) {}

  /**
   * Start bitcoind in `dir`, create the wallet and mine 101 blocks (spendable coinbase).
   * @throws Error when it does not answer within 120 s.
   */
  static async start(bitcoindPath: string, dir: string): Promise<Bitcoind> {
    mkdirSync(dir, { recursive: true });
    const rpcPort = freePort();
    const proc = startProcess(
      'bitcoind',
      [
        bitcoindPath,
        '-regtest',
        `-datadir=${dir}`,
        '-server',
        '-listen=0',
        `-rpcport=${rpcPort}`,
        '-rpcbind=127.0.0.1',
        '-rpcallowip=127.0.0.1',
        `-rpcuser=${BITCOIN_RPC_USER}`,
        `-rpcpassword=${BITCOIN_RPC_PASSWORD}`,
        '-fallbackfee=0.00001',
        '-txindex=0',
        '-dnsseed=0',
        '-fixedseeds=0',
        '-printtoconsole=1',
      ],
      { logPath: join(dir, 'bitcoind.log') },
    );
    const b = new Bitcoind(dir, rpcPort, proc);
    await eventually('bitcoind RPC', async () => (await b.rpc<number>('getblockcount')) >= 0, 120_000, 250);
    await b.rpc('createwallet', ['rig']);
    b.minerAddress = await b.rpc<string>('getnewaddress', [], 'rig');
    await b.mine(101);
    return b;
  }

  /**
   * One JSON-RPC call. @param wallet routes to `/wallet/NAME`.
   * @throws Error with bitcoind's message on an RPC error or unreachable node.
   */
  async rpc<T = unknown>(method: string, params: unknown[] = [], wallet?: string): Promise<T> {
    const res = await fetch(`http://127.0.0.1:${this.rpcPort}/${wallet ? `wallet/${wallet}` : ''}`, {
      method: 'POST',
      headers: { authorization: `Basic ${btoa(`${BITCOIN_RPC_USER}:${BITCOIN_RPC_PASSWORD}`)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '1.0', id: ++this.seq, method, params }),
    });
    const body = (await res.json()) as { result: T; error: { message: string } | null };
    if (body.error) throw new Error(`bitcoind ${method}: ${body.error.message}`);
    return body.result;
  }

  /** Mine `n` blocks to the rig wallet. @returns the new height. */
  async mine(n: number): Promise<number> {
    await this.rpc('generatetoaddress', [n, this.minerAddress]);
    return this.rpc<number>('getblockcount');
  }

  /** Pay `amounts` (address → BTC) in one transaction from the rig wallet. @returns the txid. */
  pay(amounts: Record<string, number>): Promise<string> {
    return this.rpc<string>('sendmany', ['', amounts], 'rig');
  }

  stop(): Promise<void> {
    return this.proc.stop(10_000);
  }
}
