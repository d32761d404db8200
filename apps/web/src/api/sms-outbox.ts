import { SmsOutboxResponse, type Permission } from '@medledger/contract';
import { useQuery } from '@tanstack/react-query';
import { apiJson } from './client';

/** The permission of the development SMS outbox page. */
export const SMS_OUTBOX_PERMISSION: Permission = 'identity.smsOutbox.read';

export const smsOutboxQueryKey = ['dev', 'sms-outbox'] as const;

/**
 * `GET /api/v1/dev/sms-outbox`: the messages the development outbox holds. The server answers 404
 * unless the outbox provider is on, so a successful answer is also how the menu knows to show it.
 */
export function useSmsOutbox(enabled: boolean) {
  return useQuery({
    queryKey: smsOutboxQueryKey,
    queryFn: ({ signal }) => apiJson('/dev/sms-outbox', SmsOutboxResponse, { signal }),
    enabled,
    retry: false,
  });
}
