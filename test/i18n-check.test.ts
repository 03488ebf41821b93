// The strings-in-one-place check (scripts/check-i18n.mjs, run by `npm run check`) on fixture screens: literal
// English in JSX text, in braces as a child, or in aria-label/title/placeholder/alt/label fails with the file
// and line; keys of the i18n module, class names, comments and symbols pass. And the console passes it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { projectRoot } from './helpers/paths.js';

const dir = mkdtempSync(join(tmpdir(), 'i18n-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const check = (...files: string[]) =>
  spawnSync(process.execPath, ['scripts/check-i18n.mjs', ...files], { cwd: projectRoot, encoding: 'utf8' });

function screen(name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, body);
  return path;
}

describe('check-i18n', () => {
  test('passes a screen whose words all come from t', () => {
    const ok = screen(
      'Ok.tsx',
      `import { t } from '../i18n/en';
// A comment with words is not shown.
export const Ok = ({ n }: { n: number }) => (
  <nav className="pager main-nav" aria-label={t.landmarks.pager} data-testid="pager-words">
    <span title={t.common.page(n, 2)}>{n} · {'–'} / {\`\${n}%\`}</span>
    <input aria-label={t.common.search} placeholder={t.common.search} />
  </nav>
);
`,
    );
    const res = check(ok);
    assert.equal(res.status, 0, res.stdout + res.stderr);
  });

  test('fails on each kind of literal, naming the file, line and text', () => {
    const bad = screen(
      'Bad.tsx',
      `export const Bad = ({ on }: { on: boolean }) => (
  <section aria-label="Students">
    <h1>Welcome back</h1>
    <p>{'Nothing here'}</p>
    <p>{on ? 'Open' : 'Closed'}</p>
    <input title={\`Search \${on}\`} placeholder="Name" />
    <img alt="Photo" src="x.png" />
    <Field label="Amount" />
  </section>
);
`,
    );
    const res = check(bad);
    assert.equal(res.status, 1, res.stdout + res.stderr);
    for (const line of [
      ':2: aria-label "Students"',
      ':3: text "Welcome back"',
      ':4: text "Nothing here"',
      ':5: text "Open Closed"',
      ':6: title "Search"',
      ':6: placeholder "Name"',
      ':7: alt "Photo"',
      ':8: label "Amount"',
    ])
      assert.ok(res.stderr.includes(line), `${line} missing from:\n${res.stderr}`);
    assert.match(res.stderr, /8 literal string\(s\)/);
  });

  test("the console's screens pass", () => {
    const res = check();
    assert.equal(res.status, 0, res.stdout + res.stderr);
  });
});
