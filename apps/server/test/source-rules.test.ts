import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT as ROOT, sourceFiles as allSourceFiles } from './source-files.js';

/**
 * Rules checked over the source text, where a lint rule would be too blunt: constant-time
 * comparison of secrets (CRY-08), no dynamic code or shell (VAL-03), no raw HTML in the web UI
 * (VAL-04). Each test first proves that its scanner catches a violation.
 */

const sourceFiles = (dir: string) => allSourceFiles(dir, { names: /\.(ts|tsx|js|mjs)$/, withTests: false });

type Finding = { file: string; line: number; text: string };

function scan(files: readonly string[], check: (line: string) => boolean): Finding[] {
  const out: Finding[] = [];
  for (const file of files) {
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, i) => {
        if (/^\s*(\/\/|\*|\/\*)/.test(text)) return;
        if (check(text)) out.push({ file: path.relative(ROOT, file).split(path.sep).join('/'), line: i + 1, text });
      });
  }
  return out;
}

// CRY-08: `===` / `!==` where one side names a MAC, token, signature, OTP, secret or digest value.
const SECRET_NAME = /(mac|token|signature|otp|secret|password|digest)$/i;
const COMPARISON = /([\w$.[\]()'"`]+)\s*(?:===|!==)\s*([\w$.[\]()'"`]+)/g;
const operand = (raw: string) => raw.replace(/^[(!]+/, '').replace(/[)]+$/, '');
const trivial = (x: string) =>
  /^(null|undefined|true|false|\d+|'.*'|".*"|`.*`)$/.test(x) || /\.length$/.test(x) || x.startsWith('typeof');
const lastName = (x: string) =>
  x
    .replace(/\([^)]*\)$/, '')
    .split('.')
    .pop()!
    .replace(/[[\]()]/g, '');

export function variableTimeSecretComparison(line: string): boolean {
  for (const m of line.matchAll(COMPARISON)) {
    const a = operand(m[1]!);
    const b = operand(m[2]!);
    if (trivial(a) || trivial(b)) continue;
    if (SECRET_NAME.test(lastName(a)) || SECRET_NAME.test(lastName(b))) return true;
  }
  return false;
}

/** Reviewed comparisons that are not secret checks (file:line text fragment → why). */
const CRY08_REVIEWED: readonly { file: string; fragment: string; why: string }[] = [
  {
    file: 'apps/server/src/modules/identity/identity.passwords.ts',
    fragment: 'input.newPassword === input.currentPassword',
    why: 'two values the same user sent in one request: refusing an unchanged password, no stored secret involved',
  },
  {
    file: 'apps/server/src/ops/backup.ts',
    fragment: 'digest !== entry.sha256',
    why: 'unkeyed integrity digest of a backup entry against its header; nothing secret is compared',
  },
];

const DYNAMIC_CODE =
  /\beval\s*\(|\bnew\s+Function\s*\(|\bvm\.(runIn|compile)|shell\s*:\s*true|\bexecSync\s*\(|\bexec\s*\(\s*['"`]/;
const RAW_HTML = /dangerouslySetInnerHTML|\.innerHTML\s*=|\.outerHTML\s*=|insertAdjacentHTML|document\.write/;

describe('source rules', () => {
  test('CRY-08 secrets (MACs, tokens, signatures, codes, digests) are never compared with === or !==', () => {
    // The scanner itself: these must be caught, and ordinary null checks must not.
    expect(variableTimeSecretComparison('if (runtime.audit.mac(leaf) !== row.mac) {')).toBe(true);
    expect(variableTimeSecretComparison('return given === expectedToken;')).toBe(true);
    expect(variableTimeSecretComparison('if (row.mac === null) return;')).toBe(false);
    expect(variableTimeSecretComparison("if (typeof token === 'string')")).toBe(false);
    expect(variableTimeSecretComparison('if (signature.length !== 64)')).toBe(false);

    const files = [
      ...sourceFiles(path.join(ROOT, 'apps', 'server', 'src')),
      ...sourceFiles(path.join(ROOT, 'packages', 'contract', 'src')),
    ];
    const findings = scan(files, variableTimeSecretComparison).filter(
      (f) => !CRY08_REVIEWED.some((r) => r.file === f.file && f.text.includes(r.fragment)),
    );
    expect(findings).toEqual([]);
  });

  test('VAL-03 no eval, no Function constructor, no vm, no shell: child processes take argument lists', () => {
    expect(DYNAMIC_CODE.test('const f = new Function("return 1")')).toBe(true);
    expect(DYNAMIC_CODE.test("spawn('pg_dump', args, { shell: true })")).toBe(true);
    expect(DYNAMIC_CODE.test('const m = PATTERN.exec(text);')).toBe(false);
    const files = [
      ...sourceFiles(path.join(ROOT, 'apps', 'server', 'src')),
      ...sourceFiles(path.join(ROOT, 'apps', 'server', 'bin')),
      ...sourceFiles(path.join(ROOT, 'apps', 'web', 'src')),
      ...sourceFiles(path.join(ROOT, 'packages', 'contract', 'src')),
    ];
    expect(scan(files, (l) => DYNAMIC_CODE.test(l))).toEqual([]);
    // Only the backup tool starts programs (pg_dump, pg_restore, psql), never through a shell.
    const childProcess = scan(files, (l) => /from 'node:child_process'|require\('child_process'\)/.test(l));
    expect(childProcess.map((f) => f.file)).toEqual(['apps/server/src/ops/backup.ts']);
  });

  test('VAL-04 the web UI never writes raw HTML: React escapes every value, and nothing bypasses it', () => {
    expect(RAW_HTML.test('<div dangerouslySetInnerHTML={{ __html: x }} />')).toBe(true);
    expect(RAW_HTML.test('el.innerHTML = text;')).toBe(true);
    expect(RAW_HTML.test('el.textContent = text;')).toBe(false);
    expect(scan(sourceFiles(path.join(ROOT, 'apps', 'web', 'src')), (l) => RAW_HTML.test(l))).toEqual([]);
  });
});
