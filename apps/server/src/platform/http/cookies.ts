import type { FastifyRequest } from 'fastify';

/**
 * SESS-02: the session cookie. `__Host-` forces Secure, Path=/ and no Domain in browsers; HttpOnly
 * keeps it from scripts; SameSite=Strict keeps it off cross-site requests. No Max-Age: it ends with
 * the browser, and the server enforces idle and absolute lifetimes itself.
 */
export const SESSION_COOKIE = '__Host-sid';

export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${token}; Path=/; Secure; HttpOnly; SameSite=Strict`;
}

export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0`;
}

/** The session token from the Cookie header, or null. A token appearing twice is refused (cookie tossing). */
export function readSessionToken(request: FastifyRequest): string | null {
  const header = request.headers.cookie;
  if (typeof header !== 'string') return null;
  const values = header
    .split(';')
    .map((part) => part.trim())
    .filter((part) => part.startsWith(`${SESSION_COOKIE}=`))
    .map((part) => part.slice(SESSION_COOKIE.length + 1));
  if (values.length !== 1) return null;
  const token = values[0]!;
  return /^[A-Za-z0-9_-]{43}$/.test(token) ? token : null;
}
