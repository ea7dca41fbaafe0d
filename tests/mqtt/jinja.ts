/**
 * Renders Home Assistant templates with real Jinja2 (Debian python3-jinja2), the engine Home
 * Assistant itself uses: a sandboxed environment with the payload parsed into `value_json`.
 * Python `None` renders as `None`, which HA's MQTT entities read as "unknown" (PAYLOAD_NONE).
 */

const RENDER = `
import json, sys
from jinja2.sandbox import ImmutableSandboxedEnvironment
req = json.load(sys.stdin)
env = ImmutableSandboxedEnvironment()
print(json.dumps([env.from_string(t).render(value_json=json.loads(req["payload"])) for t in req["templates"]]))
`;

/** Render each template against one JSON payload; throws with Python's stderr on a template error. */
export function renderTemplates(templates: string[], payload: string): string[] {
  const r = Bun.spawnSync(['python3', '-c', RENDER], { stdin: new TextEncoder().encode(JSON.stringify({ templates, payload })), stdout: 'pipe', stderr: 'pipe' });
  if (r.exitCode !== 0) throw new Error(`jinja2 render failed: ${r.stderr}`);
  return JSON.parse(r.stdout.toString());
}
