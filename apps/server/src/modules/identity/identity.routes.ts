import { CheckSetupTokenInput, CheckSetupTokenResponse } from '@medledger/contract';
import { route, type AnyRouteDef } from '../../platform/http/route.js';
import { checkSetupToken } from './identity.actions.js';

export const identityRoutes: AnyRouteDef[] = [
  route({
    method: 'POST',
    url: '/api/v1/setup/token/check',
    public: true,
    summary: 'Check a one-time setup token (not consumed)',
    body: CheckSetupTokenInput,
    response: CheckSetupTokenResponse,
    handler: async (ctx, { body }) => {
      const { expiresAt } = await checkSetupToken(ctx, body.token);
      return { valid: true as const, expiresAt };
    },
  }),
];
