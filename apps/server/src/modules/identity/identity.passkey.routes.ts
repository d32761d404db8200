import {
  AuthStepResponse,
  OkResponse,
  PasskeyAssertionInput,
  PasskeyAuthenticationOptions,
  PasskeyCreatedResponse,
  PasskeyListResponse,
  PasskeyRegisterInput,
  PasskeyRegistrationOptions,
  PasskeyRenameInput,
  TotpEnrolConfirmResponse,
} from '@medledger/contract';
import { z } from 'zod';
import { route, type AnyRouteDef } from '../../platform/http/route.js';
import {
  addPasskey,
  addPasskeyOptions,
  completeWithPasskey,
  confirmPasskeyEnrolment,
  listOwnPasskeys,
  passkeyEnrolOptions,
  passkeyLoginOptions,
  passkeyMfaOptions,
  passkeyStepUpOptions,
  relyingPartyOf,
  removePasskey,
  renamePasskey,
  signInWithPasskey,
  stepUpWithPasskey,
} from './identity.passkey.js';

/**
 * Passkey routes (AUTH-16). The relying party is the public URL's origin and host name. Like the
 * other sign-in steps they are public routes that check the stage of the caller's session
 * themselves; verifying routes run outside a request transaction so that a consumed challenge and a
 * counted failure survive the error answer.
 */
export function passkeyRoutes(publicUrl: string): AnyRouteDef[] {
  const rp = relyingPartyOf(publicUrl);
  const id = z.strictObject({ id: z.uuid() });
  return [
    route({
      method: 'POST',
      url: '/api/v1/auth/passkey/login/options',
      audits: 'none',
      public: true,
      summary: 'Sign in with a passkey, step 1: a challenge (no login name needed)',
      response: PasskeyAuthenticationOptions,
      handler: (ctx) => passkeyLoginOptions(ctx, rp),
    }),
    route({
      method: 'POST',
      url: '/api/v1/auth/passkey/login',
      audits: 'identity.login.succeeded',
      public: true,
      transaction: false,
      summary: 'Sign in with a passkey, step 2: the signed challenge',
      body: PasskeyAssertionInput,
      response: AuthStepResponse,
      handler: (ctx, { body }) => signInWithPasskey(ctx, rp, body),
    }),
    route({
      method: 'POST',
      url: '/api/v1/auth/passkey/mfa/options',
      audits: 'none',
      public: true,
      summary: 'Sign in, step 2 with a passkey: a challenge for this account',
      response: PasskeyAuthenticationOptions,
      handler: (ctx) => passkeyMfaOptions(ctx, rp),
    }),
    route({
      method: 'POST',
      url: '/api/v1/auth/passkey/mfa',
      audits: 'identity.login.succeeded',
      public: true,
      transaction: false,
      summary: 'Sign in, step 2 with a passkey: the signed challenge',
      body: PasskeyAssertionInput,
      response: AuthStepResponse,
      handler: (ctx, { body }) => completeWithPasskey(ctx, rp, body),
    }),
    route({
      method: 'POST',
      url: '/api/v1/auth/passkey/enrol/options',
      audits: 'none',
      public: true,
      summary: 'Second-factor enrolment with a passkey: registration options',
      response: PasskeyRegistrationOptions,
      handler: (ctx) => passkeyEnrolOptions(ctx, rp),
    }),
    route({
      method: 'POST',
      url: '/api/v1/auth/passkey/enrol/confirm',
      audits: 'identity.passkey.enrolled',
      public: true,
      transaction: false,
      summary: 'Second-factor enrolment with a passkey: the new passkey; returns recovery codes once',
      body: PasskeyRegisterInput,
      response: TotpEnrolConfirmResponse,
      handler: (ctx, { body }) => confirmPasskeyEnrolment(ctx, rp, body),
    }),
    route({
      method: 'POST',
      url: '/api/v1/auth/passkey/step-up/options',
      audits: 'none',
      signedIn: true,
      summary: 'Confirm identity again with a passkey, step 1',
      response: PasskeyAuthenticationOptions,
      handler: (ctx) => passkeyStepUpOptions(ctx, rp),
    }),
    route({
      method: 'POST',
      url: '/api/v1/auth/passkey/step-up',
      audits: 'identity.stepUp.succeeded',
      signedIn: true,
      transaction: false,
      summary: 'Confirm identity again with a passkey, step 2',
      body: PasskeyAssertionInput,
      response: OkResponse,
      handler: async (ctx, { body }) => {
        await stepUpWithPasskey(ctx, rp, body);
        return { ok: true as const };
      },
    }),
    route({
      method: 'GET',
      url: '/api/v1/auth/passkeys',
      signedIn: true,
      summary: "The signed-in user's passkeys",
      response: PasskeyListResponse,
      handler: (ctx) => listOwnPasskeys(ctx),
    }),
    route({
      method: 'POST',
      url: '/api/v1/auth/passkeys/options',
      audits: 'none',
      signedIn: true,
      summary: 'Add a passkey, step 1: registration options (needs a recent authentication)',
      response: PasskeyRegistrationOptions,
      handler: (ctx) => addPasskeyOptions(ctx, rp),
    }),
    route({
      method: 'POST',
      url: '/api/v1/auth/passkeys',
      audits: 'identity.passkey.enrolled',
      signedIn: true,
      transaction: false,
      summary: 'Add a passkey, step 2: the new passkey (needs a recent authentication)',
      body: PasskeyRegisterInput,
      response: PasskeyCreatedResponse,
      status: 201,
      handler: (ctx, { body }) => addPasskey(ctx, rp, body),
    }),
    route({
      method: 'POST',
      url: '/api/v1/auth/passkeys/:id/rename',
      audits: 'identity.passkey.renamed',
      signedIn: true,
      summary: 'Rename one of your passkeys',
      params: id,
      body: PasskeyRenameInput,
      response: OkResponse,
      handler: async (ctx, { params, body }) => {
        await renamePasskey(ctx, params.id, body.name);
        return { ok: true as const };
      },
    }),
    route({
      method: 'POST',
      url: '/api/v1/auth/passkeys/:id/remove',
      audits: 'identity.passkey.removed',
      signedIn: true,
      summary: 'Remove one of your passkeys (needs a recent authentication; never the last strong factor)',
      params: id,
      response: OkResponse,
      handler: async (ctx, { params }) => {
        await removePasskey(ctx, params.id);
        return { ok: true as const };
      },
    }),
  ];
}
