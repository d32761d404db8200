import { ApiError } from '../../api/client';

export type FieldName = (string | number)[];

/**
 * The server's validation issues that a form shows on a field: `body.lines.0.quantity` →
 * `['lines', 0, 'quantity']` when `lines.#.quantity` is among `shown`; `rename` maps server field
 * names to the form's (e.g. `unitPriceFen` → `price`; '' drops a level such as `coldChain`). Other issues are listed by the error alert.
 */
export function issueFields(
  error: unknown,
  shown: ReadonlySet<string>,
  rename: Readonly<Record<string, string>> = {},
): { name: FieldName; errors: string[] }[] {
  if (!(error instanceof ApiError) || error.code !== 'validation_failed') return [];
  const byField = new Map<string, { name: FieldName; errors: string[] }>();
  for (const issue of error.issues) {
    if (!issue.path.startsWith('body.')) continue;
    const segments = issue.path
      .slice('body.'.length)
      .split('.')
      .map((s) => rename[s] ?? s)
      .filter((s) => s !== '');
    const pattern = segments.map((s) => (/^\d+$/.test(s) ? '#' : s)).join('.');
    if (!shown.has(pattern)) continue;
    const name = segments.map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const key = name.join('.');
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(issue.message);
    byField.set(key, entry);
  }
  return [...byField.values()];
}
