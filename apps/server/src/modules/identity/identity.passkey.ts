import { isIP } from 'node:net';
import type {
  AuthStepResponse,
  PasskeyAssertionInput,
  PasskeyAuthenticationOptions,
  PasskeyListResponse,
  PasskeyRegisterInput,
  PasskeyRegistrationOptions,
  PasskeyView,
} from '@medledger/contract';
import { PASSKEY_TRANSPORTS } from '@medledger/contract';
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from '@simplewebauthn/server';
import { decodeClientDataJSON, isoBase64URL, isoUint8Array } from '@simplewebauthn/server/helpers';
import { sql } from 'kysely';
import { record, recordDetached } from '../audit/index.js';
import { AppError } from '../../platform/errors.js';
import type { Ctx } from '../../platform/http/ctx.js';
import { randomPooled, uuidv7 } from '../../platform/ids.js';
import type { Db } from '../../platform/db/database.js';
import { notifyUser } from './identity.notify.js';
import { finishSignIn, mfaFailure, pendingSession } from './identity.login.js';
import type { PasskeyCeremony, WebauthnCredentialTable } from './identity.passkey.tables.js';
import { endSession } from './identity.sessions.js';
import { requireRecentAuthentication } from './identity.signature.js';
import { newRecoveryCodes, recoveryCodeDigest } from './identity.totp.js';

/** AUTH-16 parameters: challenge lifetime, allowed algorithms (EdDSA, ES256, RS256). */
export const PASSKEY = {
  challengeTtlMs: 120_000,
  challengeBytes: 32,
  algorithms: [-8, -7, -257],
  rpName: 'MedLedger',
};

/** Who the passkeys belong to: the public origin and its host name (the RP ID). */
export type RelyingParty = { id: string; origin: string; name: string };

/**
 * The relying party of a public URL, or null when its host is an IP address (an IP can never be an
 * RP ID, so passkeys are unavailable until the server is reached by a host name).
 */
export function relyingPartyOf(publicUrl: string): RelyingParty | null {
  const url = new URL(publicUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  if (isIP(host) !== 0) return null;
  return { id: host, origin: url.origin, name: PASSKEY.rpName };
}

const NOT_ACCEPTED =
  'The passkey was not accepted. Try again with a passkey saved for this site on this device, or use another way to sign in.';
const NO_HOST_NAME =
  'Passkeys need MedLedger to be opened by a host name, not an IP address; ask the administrator to set MEDLEDGER_PUBLIC_URL.';

type RefusalReason =
  'challenge' | 'unknown_credential' | 'wrong_user' | 'verification' | 'counter' | 'account_inactive';

class Refusal extends Error {
  constructor(
    readonly reason: RefusalReason,
    readonly userId: string | null,
  ) {
    super(reason);
  }
}

function requireRp(rp: RelyingParty | null): RelyingParty {
  if (rp === null) throw new AppError('conflict', NO_HOST_NAME);
  return rp;
}

/** The public sign-in ceremonies share the sign-in budget per client address (AUTH-08). */
function throttle(ctx: Ctx): void {
  const hit = ctx.runtime.identity.loginLimiter.hit(ctx.ip, ctx.now.getTime());
  if (!hit.allowed) {
    ctx.reply.header('retry-after', String(hit.retryAfterSeconds));
    throw new AppError(
      'rate_limited',
      `Too many sign-in attempts from this address. Wait ${hit.retryAfterSeconds} seconds and try again.`,
    );
  }
}

function signedIn(ctx: Ctx): { userId: string; sessionId: string } {
  if (ctx.actor?.kind !== 'user' || ctx.session === null || ctx.session.stage !== 'complete') {
    throw new AppError('unauthenticated', 'Sign in to continue.');
  }
  return { userId: ctx.actor.id, sessionId: ctx.session.id };
}

/** What the authenticator keeps as the user handle: the account id's UTF-8 bytes (no personal data). */
const userHandleOf = (userId: string): string => isoBase64URL.fromBuffer(isoUint8Array.fromUTF8String(userId));

const transportsOf = (raw: string): string[] => {
  const parsed: unknown = JSON.parse(raw);
  return Array.isArray(parsed) ? parsed.filter((t): t is string => typeof t === 'string') : [];
};

/** A new single-use challenge, stored for this ceremony (and session, when there is one). */
async function issueChallenge(
  ctx: Ctx,
  purpose: PasskeyCeremony,
  binding: { userId: string | null; sessionId: string | null },
): Promise<Uint8Array<ArrayBuffer>> {
  const bytes = new Uint8Array(randomPooled(PASSKEY.challengeBytes));
  const nowIso = ctx.now.toISOString();
  // Expired challenges are useless; clearing them here keeps the table small.
  await ctx.db.deleteFrom('webauthn_challenge').where('expiresAt', '<', nowIso).execute();
  await ctx.db
    .insertInto('webauthn_challenge')
    .values({
      id: uuidv7(ctx.now.getTime()),
      purpose,
      challenge: isoBase64URL.fromBuffer(bytes),
      userId: binding.userId,
      sessionId: binding.sessionId,
      createdAt: nowIso,
      expiresAt: new Date(ctx.now.getTime() + PASSKEY.challengeTtlMs).toISOString(),
      usedAt: null,
    })
    .execute();
  return bytes;
}

/**
 * AUTH-16: takes the challenge the browser signed, and marks it used in one conditional UPDATE, so
 * a challenge verifies at most once even under concurrency. It must be unexpired, of this ceremony
 * and of this session. Runs outside any transaction: a consumed challenge stays consumed.
 */
async function consumeChallenge(
  ctx: Ctx,
  purpose: PasskeyCeremony,
  clientDataJSON: string,
  sessionId: string | null,
): Promise<{ challenge: string; userId: string | null }> {
  let challenge: string;
  try {
    const clientData = decodeClientDataJSON(clientDataJSON);
    challenge = clientData.challenge;
  } catch {
    throw new Refusal('challenge', null);
  }
  if (typeof challenge !== 'string' || !/^[A-Za-z0-9_-]{43}$/.test(challenge)) throw new Refusal('challenge', null);
  const nowIso = ctx.now.toISOString();
  const row = await ctx.runtime.db
    .updateTable('webauthn_challenge')
    .set({ usedAt: nowIso })
    .where('challenge', '=', challenge)
    .where('purpose', '=', purpose)
    .where('usedAt', 'is', null)
    .where('expiresAt', '>', nowIso)
    .where((eb) => (sessionId === null ? eb('sessionId', 'is', null) : eb('sessionId', '=', sessionId)))
    .returning(['challenge', 'userId'])
    .executeTakeFirst();
  if (row === undefined) throw new Refusal('challenge', null);
  return row;
}

/** A credential row as inserted. */
type NewCredential = Omit<WebauthnCredentialTable, 'counter'> & { counter: number };

type VerifiedAssertion = {
  credential: Pick<WebauthnCredentialTable, 'id' | 'userId' | 'name'>;
  storedCounter: number;
  newCounter: number;
  backedUp: boolean;
  user: { id: string; name: string; bootstrapRole: string | null };
};

/**
 * AUTH-16 checks of one assertion: the challenge (single use, this ceremony), the credential and
 * its owner, the signature with the exact origin and RP ID, user verification, and a counter that
 * moves forward. Throws {@link Refusal}; writes nothing but the consumed challenge and alerts.
 */
async function verifyAssertion(
  ctx: Ctx,
  rp: RelyingParty,
  purpose: PasskeyCeremony,
  input: PasskeyAssertionInput,
  binding: { userId: string | null; sessionId: string | null },
): Promise<VerifiedAssertion> {
  const { response } = input;
  const { challenge } = await consumeChallenge(ctx, purpose, response.response.clientDataJSON, binding.sessionId);
  if (response.id !== response.rawId) throw new Refusal('unknown_credential', binding.userId);
  const stored = await ctx.db
    .selectFrom('webauthn_credential as c')
    .innerJoin('user_account as u', 'u.id', 'c.userId')
    .select([
      'c.id',
      'c.userId',
      'c.name',
      'c.credentialId',
      'c.publicKey',
      'c.counter',
      'c.transports',
      'u.name as userName',
      'u.bootstrapRole',
      'u.status',
      'u.employmentEndsAt',
    ])
    .where('c.credentialId', '=', response.id)
    .executeTakeFirst();
  if (stored === undefined) throw new Refusal('unknown_credential', binding.userId);
  if (binding.userId !== null && stored.userId !== binding.userId) throw new Refusal('wrong_user', binding.userId);
  const handle = response.response.userHandle;
  // A discoverable sign-in names its user only through the handle: it must be present and match.
  if (
    (purpose === 'login' && handle === undefined) ||
    (handle !== undefined && handle !== userHandleOf(stored.userId))
  ) {
    throw new Refusal('wrong_user', stored.userId);
  }
  const storedCounter = Number(stored.counter);
  let info;
  try {
    const verified = await verifyAuthenticationResponse({
      response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      expectedType: 'webauthn.get',
      requireUserVerification: true,
      // The counter is compared below, after the signature is known to be genuine, so that a
      // regression can be told apart from a forgery and raised as a possible clone.
      credential: {
        id: stored.credentialId,
        publicKey: isoBase64URL.toBuffer(stored.publicKey),
        counter: 0,
        transports: transportsOf(stored.transports),
      },
    });
    if (!verified.verified || !verified.authenticationInfo.userVerified) throw new Error('not verified');
    info = verified.authenticationInfo;
  } catch {
    throw new Refusal('verification', stored.userId);
  }
  if ((info.newCounter > 0 || storedCounter > 0) && info.newCounter <= storedCounter) {
    await recordDetached(
      { ...ctx, actor: null },
      {
        action: 'identity.passkey.cloneSuspected',
        outcome: 'denied',
        resource: { type: 'user_account', id: stored.userId },
        data: { credentialRef: stored.id, storedCounter, receivedCounter: info.newCounter },
      },
    );
    throw new Refusal('counter', stored.userId);
  }
  const nowIso = ctx.now.toISOString();
  if (stored.status !== 'active' || (stored.employmentEndsAt !== null && stored.employmentEndsAt <= nowIso)) {
    throw new Refusal('account_inactive', stored.userId);
  }
  return {
    credential: { id: stored.id, userId: stored.userId, name: stored.name },
    storedCounter,
    newCounter: info.newCounter,
    backedUp: info.credentialBackedUp,
    user: { id: stored.userId, name: stored.userName, bootstrapRole: stored.bootstrapRole },
  };
}

/** Moves the counter forward only from the value that was checked (a concurrent use loses). */
async function markUsed(db: Db, assertion: VerifiedAssertion, at: Date): Promise<boolean> {
  const result = await db
    .updateTable('webauthn_credential')
    .set({ counter: assertion.newCounter, lastUsedAt: at.toISOString(), backedUp: assertion.backedUp ? 1 : 0 })
    .where('id', '=', assertion.credential.id)
    .where(sql<boolean>`${sql.ref('counter')} = ${assertion.storedCounter}`)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

async function auditRefusal(ctx: Ctx, ceremony: PasskeyCeremony, refusal: Refusal): Promise<void> {
  await recordDetached(ctx, {
    action: 'identity.passkey.refused',
    outcome: 'failure',
    ...(refusal.userId === null ? {} : { resource: { type: 'user_account', id: refusal.userId } }),
    data: { ceremony, reason: refusal.reason },
  });
}

/** Runs `fn`; a {@link Refusal} is audited, handed to `onRefused`, and answered with one generic error. */
async function refusing<T>(
  ctx: Ctx,
  ceremony: PasskeyCeremony,
  fn: () => Promise<T>,
  onRefused?: (refusal: Refusal) => Promise<void>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (!(err instanceof Refusal)) throw err;
    await auditRefusal(ctx, ceremony, err);
    await onRefused?.(err);
    throw new AppError('invalid_credentials', NOT_ACCEPTED);
  }
}

// ---------------------------------------------------------------------------------------------
// Sign-in

/** Passwordless sign-in, step 1: a challenge for any passkey of this site (usernameless). */
export async function passkeyLoginOptions(ctx: Ctx, rpOrNull: RelyingParty | null) {
  const rp = requireRp(rpOrNull);
  throttle(ctx);
  const challenge = await issueChallenge(ctx, 'login', { userId: null, sessionId: null });
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    challenge,
    timeout: PASSKEY.challengeTtlMs,
    userVerification: 'required',
    allowCredentials: [],
  });
  return options as PasskeyAuthenticationOptions;
}

/**
 * Passwordless sign-in, step 2 (outside a request transaction). The passkey alone is two factors
 * (possession and the fingerprint/face/PIN that unlocks it), so the session is complete. AUTH-09:
 * the password lock does not apply here; disabled and ended accounts are refused.
 */
export async function signInWithPasskey(
  ctx: Ctx,
  rpOrNull: RelyingParty | null,
  input: PasskeyAssertionInput,
): Promise<AuthStepResponse> {
  const rp = requireRp(rpOrNull);
  return refusing(ctx, 'login', async () => {
    const assertion = await verifyAssertion(ctx, rp, 'login', input, { userId: null, sessionId: null });
    const done = await ctx.db.transaction().execute(async (tx) => {
      if (!(await markUsed(tx, assertion, ctx.now))) return null;
      return finishSignIn({ ...ctx, db: tx }, assertion.user, 'passkey');
    });
    if (done === null) throw new Refusal('counter', assertion.user.id);
    return done;
  });
}

/**
 * Authentication options for a known user (second factor, step-up): a single-use challenge bound to
 * the user and session, limited to that user's own credentials, user verification required.
 */
async function ownCredentialOptions(
  ctx: Ctx,
  rp: RelyingParty,
  purpose: PasskeyCeremony,
  binding: { userId: string; sessionId: string },
  none: string,
): Promise<PasskeyAuthenticationOptions> {
  const credentials = await ctx.db
    .selectFrom('webauthn_credential')
    .select(['credentialId', 'transports'])
    .where('userId', '=', binding.userId)
    .execute();
  if (credentials.length === 0) throw new AppError('conflict', none);
  const challenge = await issueChallenge(ctx, purpose, binding);
  const options = await generateAuthenticationOptions({
    rpID: rp.id,
    challenge,
    timeout: PASSKEY.challengeTtlMs,
    userVerification: 'required',
    allowCredentials: credentials.map((c) => ({ id: c.credentialId, transports: transportsOf(c.transports) })),
  });
  return options as PasskeyAuthenticationOptions;
}

/** Second factor after the password, step 1: a challenge for this user's passkeys. */
export async function passkeyMfaOptions(ctx: Ctx, rpOrNull: RelyingParty | null) {
  const rp = requireRp(rpOrNull);
  const session = pendingSession(ctx, 'password');
  throttle(ctx);
  return ownCredentialOptions(
    ctx,
    rp,
    'mfa',
    { userId: session.userId, sessionId: session.id },
    'This account has no passkey; use another way.',
  );
}

/** Second factor after the password, step 2 (outside a request transaction; failures count). */
export async function completeWithPasskey(
  ctx: Ctx,
  rpOrNull: RelyingParty | null,
  input: PasskeyAssertionInput,
): Promise<AuthStepResponse> {
  const rp = requireRp(rpOrNull);
  const session = pendingSession(ctx, 'password');
  const profile = ctx.runtime.identity.passwordProfile;
  return refusing(
    ctx,
    'mfa',
    async () => {
      const assertion = await verifyAssertion(ctx, rp, 'mfa', input, {
        userId: session.userId,
        sessionId: session.id,
      });
      const done = await ctx.db.transaction().execute(async (tx) => {
        if (!(await markUsed(tx, assertion, ctx.now))) return null;
        return finishSignIn({ ...ctx, db: tx }, assertion.user, 'password+passkey');
      });
      if (done === null) throw new Refusal('counter', session.userId);
      return done;
    },
    () => mfaFailure(ctx, session.id, session.userId, profile, false, 'passkey'),
  );
}

// ---------------------------------------------------------------------------------------------
// Registration

async function registrationOptions(
  ctx: Ctx,
  rp: RelyingParty,
  purpose: 'enrol' | 'add',
  binding: { userId: string; sessionId: string },
): Promise<PasskeyRegistrationOptions> {
  const user = await ctx.db
    .selectFrom('user_account')
    .select(['id', 'login', 'name'])
    .where('id', '=', binding.userId)
    .executeTakeFirstOrThrow();
  const existing = await ctx.db
    .selectFrom('webauthn_credential')
    .select(['credentialId', 'transports'])
    .where('userId', '=', user.id)
    .execute();
  const challenge = await issueChallenge(ctx, purpose, binding);
  const options = await generateRegistrationOptions({
    rpName: rp.name,
    rpID: rp.id,
    userName: user.login,
    userID: isoUint8Array.fromUTF8String(user.id),
    userDisplayName: user.name,
    challenge,
    timeout: PASSKEY.challengeTtlMs,
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.credentialId, transports: transportsOf(c.transports) })),
    authenticatorSelection: { residentKey: 'required', requireResidentKey: true, userVerification: 'required' },
    supportedAlgorithmIDs: PASSKEY.algorithms,
  });
  return options as PasskeyRegistrationOptions;
}

/**
 * Verifies a registration (challenge once, exact origin and RP ID, user verification, allowed
 * algorithm) and returns the row to store: the public key and counters, nothing else (AUTH-17).
 */
async function verifyRegistration(
  ctx: Ctx,
  rp: RelyingParty,
  purpose: 'enrol' | 'add',
  input: PasskeyRegisterInput,
  binding: { userId: string; sessionId: string },
): Promise<NewCredential> {
  const { challenge, userId } = await consumeChallenge(
    ctx,
    purpose,
    input.response.response.clientDataJSON,
    binding.sessionId,
  );
  if (userId !== binding.userId) throw new Refusal('wrong_user', binding.userId);
  let info;
  try {
    const verified = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge: challenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.id,
      expectedType: 'webauthn.create',
      requireUserPresence: true,
      requireUserVerification: true,
      supportedAlgorithmIDs: PASSKEY.algorithms,
    });
    if (!verified.verified || !verified.registrationInfo.userVerified) throw new Error('not verified');
    info = verified.registrationInfo;
  } catch {
    throw new Refusal('verification', binding.userId);
  }
  const taken = await ctx.db
    .selectFrom('webauthn_credential')
    .select('id')
    .where('credentialId', '=', info.credential.id)
    .executeTakeFirst();
  if (taken !== undefined) throw new AppError('conflict', 'This passkey is already registered.');
  const known = new Set<string>(PASSKEY_TRANSPORTS);
  return {
    id: uuidv7(ctx.now.getTime()),
    userId: binding.userId,
    credentialId: info.credential.id,
    publicKey: isoBase64URL.fromBuffer(info.credential.publicKey),
    counter: info.credential.counter,
    transports: JSON.stringify((input.response.response.transports ?? []).filter((t) => known.has(t))),
    deviceType: info.credentialDeviceType,
    backedUp: info.credentialBackedUp ? 1 : 0,
    name: input.name,
    createdAt: ctx.now.toISOString(),
    lastUsedAt: null,
  };
}

/** Enrolment instead of an authenticator app, step 1 (the session can do nothing else yet). */
export async function passkeyEnrolOptions(ctx: Ctx, rpOrNull: RelyingParty | null) {
  const rp = requireRp(rpOrNull);
  const session = pendingSession(ctx, 'enrol_totp');
  return registrationOptions(ctx, rp, 'enrol', { userId: session.userId, sessionId: session.id });
}

/**
 * Enrolment, step 2 (outside a request transaction): the passkey becomes the strong factor,
 * recovery codes are issued (shown once) and the sign-in completes. Failures count like wrong
 * enrolment codes: five end the session.
 */
export async function confirmPasskeyEnrolment(
  ctx: Ctx,
  rpOrNull: RelyingParty | null,
  input: PasskeyRegisterInput,
): Promise<{ next: 'done'; recoveryCodes: string[] }> {
  const rp = requireRp(rpOrNull);
  const session = pendingSession(ctx, 'enrol_totp');
  const profile = ctx.runtime.identity.passwordProfile;
  const row = await refusing(
    ctx,
    'enrol',
    () => verifyRegistration(ctx, rp, 'enrol', input, { userId: session.userId, sessionId: session.id }),
    () => mfaFailure(ctx, session.id, session.userId, profile, false, 'passkey'),
  );
  const codes = newRecoveryCodes();
  await ctx.db.transaction().execute(async (tx) => {
    const txCtx = { ...ctx, db: tx };
    await tx.insertInto('webauthn_credential').values(row).execute();
    await tx.deleteFrom('recovery_code').where('userId', '=', row.userId).execute();
    await tx
      .insertInto('recovery_code')
      .values(
        codes.map((c) => ({
          id: uuidv7(ctx.now.getTime()),
          userId: row.userId,
          codeHash: recoveryCodeDigest(c),
          createdAt: ctx.now.toISOString(),
          usedAt: null,
        })),
      )
      .execute();
    const user = await tx
      .selectFrom('user_account')
      .select(['id', 'name', 'bootstrapRole'])
      .where('id', '=', row.userId)
      .executeTakeFirstOrThrow();
    await record(txCtx, {
      action: 'identity.passkey.enrolled',
      outcome: 'success',
      resource: { type: 'user_account', id: row.userId },
      data: { credentialRef: row.id, name: row.name, codesIssued: codes.length },
    });
    await finishSignIn(txCtx, user, 'password+passkey');
  });
  return { next: 'done', recoveryCodes: codes };
}

/** Another passkey for a signed-in user, step 1. SESS-09: needs a recent authentication. */
export async function addPasskeyOptions(ctx: Ctx, rpOrNull: RelyingParty | null) {
  const rp = requireRp(rpOrNull);
  const user = signedIn(ctx);
  await requireRecentAuthentication(ctx);
  return registrationOptions(ctx, rp, 'add', user);
}

/** Another passkey, step 2 (outside a request transaction, so refusals stay audited). */
export async function addPasskey(
  ctx: Ctx,
  rpOrNull: RelyingParty | null,
  input: PasskeyRegisterInput,
): Promise<{ passkey: PasskeyView }> {
  const rp = requireRp(rpOrNull);
  const user = signedIn(ctx);
  await requireRecentAuthentication(ctx);
  const row = await refusing(ctx, 'add', () => verifyRegistration(ctx, rp, 'add', input, user));
  await ctx.db.transaction().execute(async (tx) => {
    await tx.insertInto('webauthn_credential').values(row).execute();
    await notifyUser({ ...ctx, db: tx }, user.userId, 'factor_added', { factor: 'passkey', name: row.name });
    await record(
      { ...ctx, db: tx },
      {
        action: 'identity.passkey.enrolled',
        outcome: 'success',
        resource: { type: 'user_account', id: user.userId },
        data: { credentialRef: row.id, name: row.name, codesIssued: 0 },
      },
    );
  });
  return { passkey: viewOf(row) };
}

// ---------------------------------------------------------------------------------------------
// Step-up with a passkey (SESS-09)

/** Step-up, step 1: a challenge for the signed-in user's passkeys. */
export async function passkeyStepUpOptions(ctx: Ctx, rpOrNull: RelyingParty | null) {
  const rp = requireRp(rpOrNull);
  const user = signedIn(ctx);
  return ownCredentialOptions(ctx, rp, 'step_up', user, 'You have no passkey; use your authenticator app.');
}

/**
 * Step-up, step 2 (outside a request transaction): the session's authentication time moves to now.
 * Refusals count on the session like wrong step-up codes; the fifth ends it (ATK-MFA-2).
 */
export async function stepUpWithPasskey(
  ctx: Ctx,
  rpOrNull: RelyingParty | null,
  input: PasskeyAssertionInput,
): Promise<void> {
  const rp = requireRp(rpOrNull);
  const user = signedIn(ctx);
  await refusing(
    ctx,
    'step_up',
    async () => {
      const assertion = await verifyAssertion(ctx, rp, 'step_up', input, user);
      const ok = await ctx.db.transaction().execute(async (tx) => {
        if (!(await markUsed(tx, assertion, ctx.now))) return false;
        await tx
          .updateTable('auth_session')
          .set({ authenticatedAt: ctx.now.toISOString(), reauthMethod: 'passkey' })
          .where('id', '=', user.sessionId)
          .execute();
        await record(
          { ...ctx, db: tx },
          { action: 'identity.stepUp.succeeded', outcome: 'success', data: { method: 'passkey' } },
        );
        return true;
      });
      if (!ok) throw new Refusal('counter', user.userId);
    },
    async () => {
      const row = await ctx.runtime.db
        .updateTable('auth_session')
        .set({ mfaFailures: sql<number>`"mfaFailures" + 1` })
        .where('id', '=', user.sessionId)
        .returning(['mfaFailures'])
        .executeTakeFirst();
      if (row !== undefined && Number(row.mfaFailures) >= 5) {
        await endSession(ctx.runtime.db, user.sessionId, ctx.now, 'too many failed confirmations');
      }
    },
  );
}

// ---------------------------------------------------------------------------------------------
// The user's own passkeys

function viewOf(
  row: Pick<WebauthnCredentialTable, 'id' | 'name' | 'createdAt' | 'lastUsedAt' | 'deviceType' | 'backedUp'>,
): PasskeyView {
  return {
    id: row.id,
    name: row.name,
    createdAt: row.createdAt,
    lastUsedAt: row.lastUsedAt,
    deviceType: row.deviceType,
    backedUp: row.backedUp === 1,
  };
}

/** The signed-in user's passkeys, oldest first. */
export async function listOwnPasskeys(ctx: Ctx): Promise<PasskeyListResponse> {
  const user = signedIn(ctx);
  const rows = await ctx.db
    .selectFrom('webauthn_credential')
    .select(['id', 'name', 'createdAt', 'lastUsedAt', 'deviceType', 'backedUp'])
    .where('userId', '=', user.userId)
    .orderBy('createdAt')
    .orderBy('id')
    .execute();
  const totp = await ctx.db
    .selectFrom('mfa_totp')
    .select('confirmedAt')
    .where('userId', '=', user.userId)
    .executeTakeFirst();
  return { passkeys: rows.map(viewOf), totpEnrolled: totp !== undefined && totp.confirmedAt !== null };
}

async function ownPasskey(ctx: Ctx, userId: string, id: string) {
  const row = await ctx.db
    .selectFrom('webauthn_credential')
    .select(['id', 'name'])
    .where('id', '=', id)
    .where('userId', '=', userId)
    .executeTakeFirst();
  // Someone else's passkey gets the same answer as a missing one (AC-02).
  if (row === undefined) throw new AppError('not_found', 'No such passkey.');
  return row;
}

/** Gives one of your passkeys a new name. */
export async function renamePasskey(ctx: Ctx, id: string, name: string): Promise<void> {
  const user = signedIn(ctx);
  const row = await ownPasskey(ctx, user.userId, id);
  await ctx.db.updateTable('webauthn_credential').set({ name }).where('id', '=', row.id).execute();
  await record(ctx, {
    action: 'identity.passkey.renamed',
    outcome: 'success',
    resource: { type: 'user_account', id: user.userId },
    data: { credentialRef: row.id, name },
  });
}

/**
 * Removes one of your passkeys (SESS-09: recent authentication; ATK-MFA-6). The last strong factor
 * is never removed: an account always keeps a passkey or an authenticator app (AUTH-11).
 */
export async function removePasskey(ctx: Ctx, id: string): Promise<void> {
  const user = signedIn(ctx);
  await requireRecentAuthentication(ctx);
  const row = await ownPasskey(ctx, user.userId, id);
  // Serialises factor removals of one account (row lock on PostgreSQL; SQLite has one writer), so
  // two parallel removals cannot both see the other passkey and leave none.
  await ctx.db
    .updateTable('user_account')
    .set({ updatedAt: ctx.now.toISOString() })
    .where('id', '=', user.userId)
    .execute();
  const others = await ctx.db
    .selectFrom('webauthn_credential')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('userId', '=', user.userId)
    .where('id', '!=', row.id)
    .executeTakeFirstOrThrow();
  const totp = await ctx.db
    .selectFrom('mfa_totp')
    .select('confirmedAt')
    .where('userId', '=', user.userId)
    .executeTakeFirst();
  if (Number(others.n) === 0 && (totp === undefined || totp.confirmedAt === null)) {
    throw new AppError(
      'conflict',
      'This is your only passkey and you have no authenticator app: add another passkey or an authenticator app first, then remove this one.',
    );
  }
  await ctx.db.deleteFrom('webauthn_credential').where('id', '=', row.id).execute();
  await notifyUser(ctx, user.userId, 'factor_removed', { factor: 'passkey', name: row.name });
  await record(ctx, {
    action: 'identity.passkey.removed',
    outcome: 'success',
    resource: { type: 'user_account', id: user.userId },
    data: { credentialRef: row.id, name: row.name },
  });
}
