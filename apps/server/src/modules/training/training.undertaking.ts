import type { UndertakingResponse } from '@medledger/contract';
import { record } from '../audit/index.js';
import { sign } from '../identity/index.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { uuidv7 } from '../../platform/ids.js';
import { learner } from './training.learn.js';

async function currentUndertaking(ctx: Ctx) {
  const row = await ctx.db
    .selectFrom('training_undertaking')
    .select(['version', 'textZh', 'textEn'])
    .where('current', '=', 1)
    .executeTakeFirst();
  if (row === undefined) throw new AppError('not_found', 'No confidentiality undertaking is in force.');
  return row;
}

/** The undertaking in force and the caller's signature of it, if any. */
export async function myUndertaking(ctx: Ctx): Promise<UndertakingResponse> {
  const me = learner(ctx);
  const text = await currentUndertaking(ctx);
  const signed = await ctx.db
    .selectFrom('training_undertaking_signature as s')
    .innerJoin('e_signature as e', 'e.id', 's.signatureId')
    .select(['s.signatureId', 's.signedAt', 's.recordHash', 'e.signerName'])
    .where('s.userId', '=', me.id)
    .where('s.version', '=', text.version)
    .executeTakeFirst();
  return {
    ...text,
    signature:
      signed === undefined
        ? null
        : {
            id: signed.signatureId,
            signedAt: signed.signedAt,
            signerName: signed.signerName,
            recordHash: signed.recordHash,
          },
  };
}

/**
 * TRN-01: signs the confidentiality undertaking in force with an electronic signature (GSP-04): the
 * signer re-authenticates with a fresh authenticator code, and the signature binds the text's hash.
 * Once per version; the signing is audited twice (the signature and the undertaking).
 */
export async function signUndertaking(
  ctx: Ctx,
  input: { version: string; code?: string | undefined },
): Promise<UndertakingResponse> {
  const me = learner(ctx);
  const text = await currentUndertaking(ctx);
  if (input.version !== text.version) {
    throw new AppError('conflict', 'The undertaking has been replaced by a new version; read it again before signing.');
  }
  const already = await ctx.db
    .selectFrom('training_undertaking_signature')
    .select('id')
    .where('userId', '=', me.id)
    .where('version', '=', text.version)
    .executeTakeFirst();
  if (already !== undefined) throw new AppError('conflict', 'You have already signed this undertaking.');
  const signature = await sign(ctx, {
    meaning: '签署保密承诺书 / Confidentiality undertaking signed',
    subject: { type: 'training_undertaking', id: text.version },
    recordValue: { version: text.version, textZh: text.textZh, textEn: text.textEn },
    code: input.code,
  });
  await ctx.db
    .insertInto('training_undertaking_signature')
    .values({
      id: uuidv7(ctx.now.getTime()),
      userId: me.id,
      version: text.version,
      signatureId: signature.id,
      recordHash: signature.recordHash,
      signedAt: signature.signedAt,
    })
    .execute();
  await record(ctx, {
    action: 'training.undertaking.signed',
    outcome: 'success',
    resource: { type: 'training_undertaking', id: text.version },
    data: { version: text.version, signatureId: signature.id, recordHash: signature.recordHash },
  });
  return {
    ...text,
    signature: {
      id: signature.id,
      signedAt: signature.signedAt,
      signerName: signature.signerName,
      recordHash: signature.recordHash,
    },
  };
}
