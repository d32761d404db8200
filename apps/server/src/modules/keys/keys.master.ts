import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type MasterKey = { key: Buffer; source: 'setting' | 'file'; file: string | null; generated: boolean };

/**
 * The master key (KEK) that wraps every data key. From the `MEDLEDGER_MASTER_KEY` setting, or from a
 * key file that is generated on first start (32 random bytes, base64, mode 0600). A key file next
 * to the database protects nothing against theft of the whole disk: move it to other media (or
 * supply the key from a secret manager) in production; the start-up banner says so.
 */
export function loadMasterKey(options: { masterKey?: string | undefined; masterKeyFile: string }): MasterKey {
  if (options.masterKey !== undefined) {
    return { key: Buffer.from(options.masterKey, 'base64'), source: 'setting', file: null, generated: false };
  }
  const file = options.masterKeyFile;
  if (existsSync(file)) {
    const mode = statSync(file).mode & 0o077;
    if (mode !== 0) {
      throw new Error(`master key file ${file} is readable by other users; run: chmod 600 ${file}`);
    }
    const text = readFileSync(file, 'utf8').trim();
    const key = Buffer.from(text, 'base64');
    if (key.length !== 32 || !/^[A-Za-z0-9+/]{43}=$/.test(text)) {
      throw new Error(`master key file ${file} does not hold 32 bytes in base64`);
    }
    return { key, source: 'file', file, generated: false };
  }
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const key = randomBytes(32);
  writeFileSync(file, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  chmodSync(file, 0o600);
  return { key, source: 'file', file, generated: true };
}
