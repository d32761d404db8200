import { requireActor } from '../../platform/http/ctx.js';

/** The China calendar day (UTC+8) of an instant: licences and certificates expire by calendar day. */
export { chinaDay as chinaToday } from '../../platform/clock.js';

/** Whole days from `today` to `date` (both YYYY-MM-DD); negative once the date has passed. */
export function daysBetween(today: string, date: string): number {
  return Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${today}T00:00:00Z`)) / 86_400_000);
}

export const actorOf = requireActor;

/** Top-level fields whose JSON differs between two versions (all fields of a first version). */
export function changedFields(previous: Record<string, unknown> | null, proposed: Record<string, unknown>): string[] {
  return Object.keys(proposed)
    .filter((k) => previous === null || JSON.stringify(previous[k]) !== JSON.stringify(proposed[k]))
    .sort();
}

export function parseJsonArray(text: string): string[] {
  const value: unknown = JSON.parse(text);
  return Array.isArray(value) ? value.map(String) : [];
}

/** Masks an ID number for display (AC-03): first 3 and last 4 characters. */
export function maskIdNumber(id: string): string {
  return id.length <= 7 ? '*'.repeat(id.length) : `${id.slice(0, 3)}${'*'.repeat(id.length - 7)}${id.slice(-4)}`;
}

/**
 * A case-insensitive LIKE pattern for a search box, or null for no filter. Wildcards typed by the
 * user are dropped, so the pattern means the same on SQLite and PostgreSQL.
 */
export function searchPattern(q: string | undefined): string | null {
  const term = (q ?? '')
    .replace(/[\\%_]/g, '')
    .trim()
    .toLowerCase();
  return term === '' ? null : `%${term}%`;
}
