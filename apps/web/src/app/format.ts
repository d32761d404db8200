/** A timestamp in the user's local time zone; the raw text when it is not a valid date. */
export function formatLocalTime(at: string, language: string, style: 'medium' | 'short' = 'medium'): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return at;
  return new Intl.DateTimeFormat(language, { dateStyle: 'medium', timeStyle: style }).format(date);
}
