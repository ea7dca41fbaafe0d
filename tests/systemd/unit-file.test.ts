/**
 * The unit-file reader the tests and `bun run bench` use (tests/systemd/fixtures/unit-file.ts): the
 * shipped hivebox.service's environment as systemd would set it, and systemd.exec(5)'s rules for
 * repeated and empty `Environment=` lines.
 */
import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceKeys } from './fixtures/unit-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'hb-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('hivebox.service starts the daemon with JavaScriptCore’s FTL tier off', () => {
  const svc = serviceKeys('hivebox.service');
  expect(svc.environment).toEqual({ BUN_JSC_useFTLJIT: 'false' });
  expect(svc.get('ExecStart')).toBe('/usr/bin/hivebox run');
  expect(svc.groups).toEqual(['hivebox', 'lightningd']);
});

test('Environment= lines accumulate, a later key wins, an empty one clears; other sections are ignored', () => {
  writeFileSync(
    join(dir, 'a.service'),
    '[Unit]\nEnvironment=NOT_SERVICE=1\n[Service]\nEnvironment=A=1 B=2\n# Environment=C=commented\nEnvironment=B=3\nEnvironment=\nEnvironment=D=4\nEnvironment=E=5 D=6\n',
  );
  expect(serviceKeys('a.service', dir).environment).toEqual({ D: '6', E: '5' });
});

test('a quoted, escaped or key-less Environment= word is refused, not half-read', () => {
  for (const [name, line] of [['q.service', 'Environment="A=1 2"'], ['e.service', 'Environment=A=\\x'], ['k.service', 'Environment=novalue']] as const) {
    writeFileSync(join(dir, name), `[Service]\n${line}\n`);
    expect(() => serviceKeys(name, dir)).toThrow(/is not a plain KEY=value/);
  }
});
