import { createHash } from 'node:crypto';
import type { Ctx } from '../../platform/http/ctx.js';
import { AppError } from '../../platform/errors.js';
import { randomToken, uuidv7 } from '../../platform/ids.js';
import * as repo from './identity.repo.js';

const digest = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

const INVALID =
  'This setup link is not valid: it was already used, replaced by a newer one, or has expired. Restart the server or run `medledger admin setup-token` for a new one.';

/**
 * Issues a new one-time setup token for creating the first administrator and revokes any earlier
 * one. Returns the token: it is shown once (printed on the console) and only its digest is stored.
 */
export async function issueSetupToken(
  ctx: Pick<Ctx, 'db' | 'now'>,
  ttlMinutes: number,
): Promise<{ token: string; expiresAt: string }> {
  const token = randomToken(32);
  const createdAt = ctx.now.toISOString();
  const expiresAt = new Date(ctx.now.getTime() + ttlMinutes * 60_000).toISOString();
  await repo.revokeOpenSetupTokens(ctx.db, createdAt);
  await repo.insertSetupToken(ctx.db, {
    id: uuidv7(ctx.now.getTime()),
    tokenHash: digest(token),
    createdAt,
    expiresAt,
    consumedAt: null,
    revokedAt: null,
  });
  return { token, expiresAt };
}

/** Checks a setup token without consuming it (the setup page calls this before showing the form). */
export async function checkSetupToken(ctx: Pick<Ctx, 'db' | 'now'>, token: string): Promise<{ expiresAt: string }> {
  const row = await repo.findUsableSetupToken(ctx.db, digest(token), ctx.now.toISOString());
  if (row === undefined) throw new AppError('setup_token_invalid', INVALID);
  return { expiresAt: row.expiresAt };
}

/**
 * Consumes a setup token exactly once, atomically: of two concurrent calls with the same token only
 * one succeeds. The caller creates the first administrator in the same transaction.
 */
export async function consumeSetupToken(ctx: Pick<Ctx, 'db' | 'now'>, token: string): Promise<void> {
  const consumed = await repo.consumeSetupTokenRow(ctx.db, digest(token), ctx.now.toISOString());
  if (!consumed) throw new AppError('setup_token_invalid', INVALID);
}

/** True once a setup token has been consumed, i.e. the first administrator exists. */
export async function isSetupComplete(ctx: Pick<Ctx, 'db'>): Promise<boolean> {
  return (await repo.countConsumedSetupTokens(ctx.db)) > 0;
}
