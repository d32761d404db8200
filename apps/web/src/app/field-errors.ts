import type { ValidationIssue } from '@medledger/contract';
import type { TFunction } from 'i18next';
import { ApiError } from '../api/client';

/** Issue codes the UI translates itself (password-policy problems and a wrong current password). */
const TRANSLATED = new Set([
  'password.too_short',
  'password.too_long',
  'password.classes',
  'password.common',
  'password.context',
  'password.weak',
  'password.reused',
  'password.current_wrong',
]);

/** One server validation issue in the UI language when its code is known, else the server's text. */
export function issueText(t: TFunction, issue: ValidationIssue): string {
  if (issue.code !== undefined && TRANSLATED.has(issue.code)) {
    return t(`passwordPolicy.${issue.code.slice('password.'.length)}` as 'passwordPolicy.weak');
  }
  return issue.message;
}

/**
 * The server's validation issues grouped by form field (`body.x` → field), for `form.setFields`.
 * Issues on paths the form does not show are left out.
 */
export function fieldErrors<const F extends string>(
  t: TFunction,
  error: unknown,
  fieldOf: Readonly<Record<string, F>>,
): { name: F; errors: string[] }[] {
  if (!(error instanceof ApiError) || error.code !== 'validation_failed') return [];
  const byField = new Map<F, string[]>();
  for (const issue of error.issues) {
    const field = fieldOf[issue.path];
    if (field !== undefined) byField.set(field, [...(byField.get(field) ?? []), issueText(t, issue)]);
  }
  return [...byField].map(([name, errors]) => ({ name, errors }));
}
