/**
 * `hivebox mqtt remove [--config FILE] [--node-id ID]`: delete this node's retained MQTT topics
 * (Home Assistant discovery, state, availability) from the broker in `[mqtt]`, so Home Assistant
 * forgets the device (services/mqtt/remove.ts). The node id comes from lightningd's `getinfo`
 * unless `--node-id` names it. Stop hivebox.service first, or it publishes them again.
 * Exit 0 removed, 64 no `[mqtt] url` or a bad node id, 69 lightningd or the broker unreachable.
 */
import { reportFailure } from '../json-error.ts';
import type { Command } from 'commander';
import { loadConfig } from '../../config/load.ts';
import { EXIT } from '../exit-codes.ts';

/** Register `hivebox mqtt`. */
export function registerMqtt(program: Command): void {
  program
    .command('mqtt')
    .description('LAN MQTT status: remove this node from the broker and Home Assistant')
    .command('remove')
    .description("delete this node's retained discovery, state and availability topics (stop hivebox.service first)")
    .option('--config <file>', 'hivebox TOML configuration (default: $HIVEBOX_CONFIG, else built-in defaults)')
    .option('--node-id <id>', "the node whose topics to delete (default: lightningd's getinfo id)")
    .option('--json', 'print the result as JSON')
    .action(async (o: { config?: string; nodeId?: string; json?: boolean }) => {
      const fail = (code: number, message: string): never => {
        reportFailure('mqtt remove', message, code);
        process.exit(code);
      };
      const cfg = loadConfig({ file: o.config, env: process.env, home: process.env.HOME });
      if (!cfg.ok) return fail(EXIT.usage, cfg.error.message);
      const { mqttConfigOf } = await import('../../../services/mqtt/config.ts');
      const mqttConfig = mqttConfigOf(cfg.value.mqtt);
      if (!mqttConfig) return fail(EXIT.usage, 'no broker configured ([mqtt] url)');
      let nodeId = o.nodeId?.toLowerCase();
      if (nodeId === undefined) {
        const { ClnNodeBackend, LightningRpcClient } = await import('../../../services/lightning-rpc/index.ts');
        const rpc = new LightningRpcClient({ socketPath: cfg.value.lightning.rpc_file, callTimeoutMs: cfg.value.lightning.rpc_timeout_ms, idPrefix: 'hivebox-mqtt-remove' });
        const info = await new ClnNodeBackend(rpc).getinfo();
        rpc.close();
        if (!info.ok) return fail(EXIT.unavailable, `lightningd getinfo: ${info.error.message} (or pass --node-id)`);
        nodeId = info.value.id;
      }
      if (!/^0[23][0-9a-f]{64}$/.test(nodeId)) return fail(EXIT.usage, '--node-id must be a 66-hex compressed public key');
      const { removeRetained } = await import('../../../services/mqtt/remove.ts');
      const r = await removeRetained(mqttConfig, nodeId);
      if (!r.ok) return fail(EXIT.unavailable, `${r.error.kind}: ${r.error.reason}`);
      console.log(o.json ? JSON.stringify({ node_id: nodeId, removed: r.value }) : `Removed ${r.value.length} retained topics of ${nodeId} from ${mqttConfig.url}:\n  ${r.value.join('\n  ')}`);
    });
}
