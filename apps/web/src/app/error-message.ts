import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';

export interface ErrorText {
  message: string;
  /** Shown so that an operator can find the request in the server log. */
  requestId: string | undefined;
}

/** The localized text for a failed call: by error code, never by the server's (English) message. */
export function apiErrorText(t: TFunction, error: unknown): ErrorText {
  if (error instanceof ApiError) return { message: t(`errors.${error.code}`), requestId: error.requestId };
  return { message: t('errors.unknown'), requestId: undefined };
}
