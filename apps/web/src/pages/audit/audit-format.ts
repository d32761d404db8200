import { AUDIT_EVENTS, isAuditAction, type AuditCategory, type Locale } from '@medledger/contract';

export interface ActionInfo {
  /** The label in `locale`; the raw action name for actions the catalogue does not know. */
  label: string;
  category: AuditCategory | null;
  alert: boolean;
}

/** How an action name is shown: its catalogue label in the current language, else the name itself. */
export function actionInfo(action: string, locale: Locale): ActionInfo {
  if (!isAuditAction(action)) return { label: action, category: null, alert: false };
  const spec = AUDIT_EVENTS[action];
  return { label: locale === 'en' ? spec.en : spec.zh, category: spec.category, alert: 'alert' in spec };
}

/** The catalogue as Select options, labelled in `locale`. */
export function actionOptions(locale: Locale): { value: string; label: string }[] {
  return Object.keys(AUDIT_EVENTS).map((name) => ({ value: name, label: actionInfo(name, locale).label }));
}

export { formatLocalTime } from '../../app/format';

/** The same instant in UTC (ISO 8601), for comparing with server logs and exported bundles. */
export function formatUtc(at: string): string {
  const date = new Date(at);
  return Number.isNaN(date.getTime()) ? at : date.toISOString();
}

/** `0123456789ab…cdef0123`: enough of a hash to recognise it; the full value is copied and in the title. */
export function shortHash(value: string, head = 12, tail = 8): string {
  return value.length <= head + tail + 1 ? value : `${value.slice(0, head)}…${value.slice(-tail)}`;
}

/** Event data as indented JSON text. Only ever rendered as a text node, never as markup. */
export function jsonText(value: unknown): string {
  return JSON.stringify(value, null, 2) ?? String(value);
}
