import { isAppError } from '../../platform/errors.js';
import { systemCtx } from '../../platform/http/ctx.js';
import type { Runtime } from '../../platform/runtime.js';
import { aeadStatus } from './keys.aead.js';
import { keyStatus, reloadKeys, retireKey, rewrap, rotateKey, type KeyStatus } from './keys.rotate.js';

/** Where a command writes: `out` for results, `err` for problems and progress. */
export type KeysCliIo = { out: (s: string) => void; err: (s: string) => void };

const ROTATABLE = 'field';

function explain(io: KeysCliIo, what: string, err: unknown): number {
  if (isAppError(err)) {
    io.err(`${what} refused: ${err.message}\n`);
    return 1;
  }
  io.err(`${what} failed: ${err instanceof Error ? err.message : String(err)}\n`);
  return 1;
}

function checkPurpose(io: KeysCliIo, purpose: string): purpose is 'field' {
  if (purpose === ROTATABLE) return true;
  io.err(
    `Only the field key (--purpose field) can be rotated and retired with these commands; got "${purpose}". The blind-index and audit keys are not rotated this way.\n`,
  );
  return false;
}

/** `\r[#####...............] 25% 250/1000` on a terminal; nothing when stderr is redirected. */
function progressBar(io: KeysCliIo): ((done: number, total: number) => void) | undefined {
  if (process.stderr.isTTY !== true) return undefined;
  return (done, total) => {
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    const bar = '#'.repeat(Math.floor(pct / 5)).padEnd(20, '.');
    io.err(`\r[${bar}] ${pct}% ${done}/${total}${done >= total ? '\n' : ''}`);
  };
}

function printStatus(io: KeysCliIo, runtime: Runtime, status: KeyStatus[]): void {
  io.out('Data keys:\n');
  for (const s of status) {
    for (const v of s.versions) {
      const state = v.current ? 'active, current' : v.state;
      const retired = v.retiredAt === null ? '' : `, retired ${v.retiredAt}`;
      const values = v.sealedValues === undefined ? '' : `  ${v.sealedValues} sealed value(s)`;
      io.out(
        `  ${s.purpose.padEnd(13)} v${String(v.version).padEnd(4)} ${state.padEnd(15)} created ${v.createdAt}${retired}${values}\n`,
      );
    }
  }
  const cols = runtime.keys.sealedColumns;
  io.out(`Field encryption: AES-256-GCM via ${aeadStatus().detail}\n`);
  io.out(
    `Sealed columns: ${cols.length === 0 ? 'none registered' : cols.map((c) => `${c.table}.${c.column}`).join(', ')}\n`,
  );
  const field = status.find((s) => s.purpose === 'field');
  if (field === undefined) return;
  const cur = field.versions.find((v) => v.current);
  const pending = field.pendingRewrap ?? 0;
  if (pending > 0) {
    io.out(
      `${pending} sealed value(s) still use an older field key. Run \`medledger keys rewrap\` to move them to v${cur?.version ?? '?'}; then retire the old version with \`medledger keys retire --key-version <n>\`.\n`,
    );
  } else {
    io.out(`Every sealed value uses the current field key v${cur?.version ?? '?'}; nothing to rewrap.\n`);
  }
  for (const v of field.versions) {
    if (v.state === 'retired' && (v.sealedValues ?? 0) > 0) {
      io.err(
        `Warning: ${v.sealedValues} value(s) are sealed under the retired field key v${v.version} and cannot be opened. A server that had not reloaded its keys probably wrote them; tell the security administrator.\n`,
      );
    }
  }
  if ((field.unrecognised ?? 0) > 0) {
    io.err(
      `Warning: ${field.unrecognised} value(s) in sealed columns are not sealed values under any known key (plain text or damaged). They cannot be opened; tell the security administrator.\n`,
    );
  }
}

/** `medledger keys status`: versions, their states and the rewrap completion metric. */
export async function keysStatusCommand(runtime: Runtime, io: KeysCliIo): Promise<number> {
  try {
    printStatus(io, runtime, await keyStatus(runtime));
    return 0;
  } catch (err) {
    return explain(io, 'Key status', err);
  }
}

/** `medledger keys rotate --purpose field`: adds the next key version; new values use it at once. */
export async function keysRotateCommand(
  runtime: Runtime,
  io: KeysCliIo,
  options: { purpose: string },
): Promise<number> {
  if (!checkPurpose(io, options.purpose)) return 1;
  const purpose = options.purpose;
  try {
    const { fromVersion, toVersion } = await runtime.db
      .transaction()
      .execute((tx) => rotateKey(systemCtx(runtime, 'cli:keys rotate', tx), purpose));
    io.out(
      [
        `Rotated the ${purpose} key: v${fromVersion} -> v${toVersion}. New values are sealed with v${toVersion}.`,
        `Existing values still use older versions. Next: restart running MedLedger servers (or let them reload their keys) so they seal with v${toVersion},`,
        `then run \`medledger keys rewrap\`, and when it reports nothing remaining, \`medledger keys retire --purpose ${purpose} --key-version ${fromVersion}\`.`,
        '',
      ].join('\n'),
    );
    return 0;
  } catch (err) {
    // The version may have joined this process's ring before the commit failed.
    await reloadKeys(runtime).catch(() => undefined);
    return explain(io, 'Key rotation', err);
  }
}

/** `medledger keys rewrap [--batch-size n]`: moves every sealed value to the newest field key. */
export async function keysRewrapCommand(
  runtime: Runtime,
  io: KeysCliIo,
  options: { batchSize?: number; signal?: AbortSignal },
): Promise<number> {
  try {
    const onProgress = progressBar(io);
    const result = await rewrap(runtime, {
      actor: 'cli:keys rewrap',
      ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
      ...(onProgress === undefined ? {} : { onProgress }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    io.out(
      `Re-encrypted ${result.rewrapped} value(s) in ${result.columns} sealed column(s) to the field key v${result.toVersion}.\n`,
    );
    if (result.failed > 0) {
      io.err(
        `${result.failed} value(s) failed their integrity check and were left unchanged; each raised a keys.integrity.failed alert in the audit trail. Tell the security administrator.\n`,
      );
    }
    if (result.stopped) {
      io.err(
        `Stopped before the end; ${result.remaining} value(s) remain. Run \`medledger keys rewrap\` again to continue.\n`,
      );
      return 1;
    }
    if (result.remaining > 0) {
      io.err(
        `${result.remaining} value(s) still use older key versions (changed while the job ran, or damaged). Run \`medledger keys rewrap\` again; if the number does not fall, see the alerts above.\n`,
      );
      return 1;
    }
    io.out('Every sealed value now uses the newest key. Old versions can be retired with `medledger keys retire`.\n');
    return 0;
  } catch (err) {
    return explain(io, 'Rewrap', err);
  }
}

/** `medledger keys retire --key-version n`: retires a version no value uses any more. */
export async function keysRetireCommand(
  runtime: Runtime,
  io: KeysCliIo,
  options: { purpose: string; version: number | string },
): Promise<number> {
  if (!checkPurpose(io, options.purpose)) return 1;
  const purpose = options.purpose;
  const version = typeof options.version === 'number' ? options.version : Number(options.version);
  if (!Number.isSafeInteger(version) || version < 1 || String(version) !== String(options.version)) {
    io.err(
      `The version must be a positive whole number (as listed by \`medledger keys status\`); got "${String(options.version)}".\n`,
    );
    return 1;
  }
  try {
    const { retiredAt } = await runtime.db
      .transaction()
      .execute((tx) => retireKey(systemCtx(runtime, 'cli:keys retire', tx), purpose, version));
    io.out(
      `Retired the ${purpose} key v${version} at ${retiredAt}. Values can no longer be sealed or opened with it.\n`,
    );
    return 0;
  } catch (err) {
    return explain(io, 'Key retirement', err);
  }
}
