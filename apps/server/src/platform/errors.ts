import type { ErrorCode, ValidationIssue } from '@medledger/contract';

/**
 * The one error type that actions and platform code throw on purpose. The HTTP error handler maps
 * `code` to a status through the contract's table; anything that is not an AppError becomes a
 * generic 500 whose details go only to the server log.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly issues: ValidationIssue[] | undefined;
  /**
   * Work that must persist although the request fails, e.g. counting a wrong code: the route runs
   * it after the request's transaction has rolled back (so it is neither undone nor blocked by it).
   */
  afterRollback: (() => Promise<void>) | undefined;

  constructor(code: ErrorCode, message: string, issues?: ValidationIssue[]) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.issues = issues;
    this.afterRollback = undefined;
  }
}

/** True when `err` is an {@link AppError}, optionally with the given code. */
export function isAppError(err: unknown, code?: ErrorCode): err is AppError {
  return err instanceof AppError && (code === undefined || err.code === code);
}
