/**
 * systemd/99-hivebox-signer.rules grants the hivebox group the signer's hidraw node and nothing
 * else: one rule, hidraw subsystem only, the protocol's VID/PID, mode 0660, no uaccess/seat tags,
 * no world access, no RUN.
 */
import { expect, test } from 'bun:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SIGNER_PID, SIGNER_VID, usbId } from '../../hw/framing/constants.ts';

const RULES = readFileSync(join(import.meta.dir, '../../systemd/99-hivebox-signer.rules'), 'utf8');

/** Split one udev rule line into [key, operator, value] triples (udev(7) syntax). */
function parseRule(line: string): [string, string, string][] {
  const out: [string, string, string][] = [];
  const re = /\s*([A-Za-z_]+(?:\{[^}]+\})?)\s*(==|!=|\+=|-=|:=|=)\s*"([^"]*)"\s*(,|$)/gy;
  let m: RegExpExecArray | null;
  let last = 0;
  while ((m = re.exec(line))) {
    out.push([m[1]!, m[2]!, m[3]!]);
    last = re.lastIndex;
    if (last >= line.length) break;
  }
  if (last < line.trimEnd().length) throw new Error(`unparsable rule text at ${last}: ${line.slice(last)}`);
  return out;
}

test('exactly one rule: hidraw node of the signer VID/PID → group hivebox, mode 0660', () => {
  const lines = RULES.split('\n').filter((l) => l.trim() && !l.trimStart().startsWith('#'));
  expect(lines).toHaveLength(1);
  const rule = parseRule(lines[0]!);
  const [vid, pid] = usbId(SIGNER_VID, SIGNER_PID).split(':');
  expect(rule).toEqual([
    ['ACTION', '==', 'add|change'],
    ['SUBSYSTEM', '==', 'hidraw'],
    ['ATTRS{idVendor}', '==', vid!],
    ['ATTRS{idProduct}', '==', pid!],
    ['MODE', '=', '0660'],
    ['GROUP', '=', 'hivebox'],
  ]);
});
