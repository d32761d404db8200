import type { Db } from '../../platform/db/database.js';
import type { SetupTokenTable, UserAccountTable } from './identity.tables.js';

export async function insertSetupToken(db: Db, row: SetupTokenTable): Promise<void> {
  await db.insertInto('setup_token').values(row).execute();
}

/** Revokes every token that is neither consumed nor revoked. */
export async function revokeOpenSetupTokens(db: Db, at: string): Promise<void> {
  await db
    .updateTable('setup_token')
    .set({ revokedAt: at })
    .where('consumedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .execute();
}

export async function findUsableSetupToken(
  db: Db,
  tokenHash: string,
  at: string,
): Promise<SetupTokenTable | undefined> {
  return db
    .selectFrom('setup_token')
    .selectAll()
    .where('tokenHash', '=', tokenHash)
    .where('consumedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .where('expiresAt', '>', at)
    .executeTakeFirst();
}

/** Marks the token consumed only if it is still usable; true when this call consumed it. */
export async function consumeSetupTokenRow(db: Db, tokenHash: string, at: string): Promise<boolean> {
  const result = await db
    .updateTable('setup_token')
    .set({ consumedAt: at })
    .where('tokenHash', '=', tokenHash)
    .where('consumedAt', 'is', null)
    .where('revokedAt', 'is', null)
    .where('expiresAt', '>', at)
    .executeTakeFirst();
  return result.numUpdatedRows === 1n;
}

export async function countConsumedSetupTokens(db: Db): Promise<number> {
  const row = await db
    .selectFrom('setup_token')
    .select((eb) => eb.fn.countAll<string | number | bigint>().as('n'))
    .where('consumedAt', 'is not', null)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** The account fields a creator decides; everything else starts empty (no failures, no sign-in yet). */
export type NewAccount = Pick<
  UserAccountTable,
  | 'id'
  | 'login'
  | 'loginKey'
  | 'name'
  | 'email'
  | 'phoneSealed'
  | 'organisation'
  | 'employmentEndsAt'
  | 'bootstrapRole'
  | 'createdBy'
  | 'passwordHash'
>;

/** Inserts an active account created at `at` (the dormancy clock starts then, AUTH-23). */
export async function insertAccount(db: Db, account: NewAccount, at: string): Promise<void> {
  await db
    .insertInto('user_account')
    .values({
      ...account,
      status: 'active',
      disabledReason: null,
      disabledAt: null,
      activeSince: at,
      passwordChangedAt: account.passwordHash === null ? null : at,
      lastFailedLoginAt: null,
      lockedUntil: null,
      lastLoginAt: null,
      createdAt: at,
      updatedAt: at,
    })
    .execute();
}
