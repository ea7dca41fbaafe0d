/**
 * The source stamp a binary is built from (runtime/build/build.ts `sourceStamp`): freshBinaries
 * rebuilds dist/ when the stamp differs, so it must change with every commit and every uncommitted
 * edit of a tracked file, and stay put otherwise.
 */
import { afterAll, expect, test } from 'bun:test';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sourceStamp } from '../../runtime/build/build.ts';

const repo = mkdtempSync(join(tmpdir(), 'hbx-stamp-'));
afterAll(() => rmSync(repo, { recursive: true, force: true }));
const git = (...args: string[]) => {
  const r = Bun.spawnSync(['git', '-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], { cwd: repo, stderr: 'pipe' });
  if (r.exitCode !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
};

test('the stamp follows commits and uncommitted edits of tracked files', () => {
  expect(sourceStamp(repo)).toBe('unknown');
  git('init', '-q');
  writeFileSync(join(repo, 'a.ts'), 'export const a = 1;\n');
  git('add', 'a.ts');
  git('commit', '-qm', 'one');
  const clean = sourceStamp(repo);
  expect(clean).toMatch(/^[0-9a-f]{7,}$/);
  expect(sourceStamp(repo)).toBe(clean);

  writeFileSync(join(repo, 'a.ts'), 'export const a = 2;\n');
  const edit1 = sourceStamp(repo);
  expect(edit1).toMatch(new RegExp(`^${clean}-dirty:[0-9a-f]{16}$`));
  writeFileSync(join(repo, 'a.ts'), 'export const a = 3;\n');
  const edit2 = sourceStamp(repo);
  expect(edit2).not.toBe(edit1);

  writeFileSync(join(repo, 'untracked.ts'), 'x\n');
  expect(sourceStamp(repo)).toBe(edit2);

  git('commit', '-qam', 'two');
  expect(sourceStamp(repo)).not.toBe(clean);
  expect(sourceStamp(repo)).toMatch(/^[0-9a-f]{7,}$/);
});
