import type { ValidationIssue } from '@medledger/contract';
import { Typography } from 'antd';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { issueText } from '../../app/field-errors';
import { ApiErrorAlert } from '../../components/api-error-alert';

/**
 * The contract's validation messages for master data (English, from the server), translated when
 * known so that a Chinese user reads what to correct; others are shown as the server wrote them.
 */
const KNOWN_ISSUES: Record<string, string> = {
  'a GTIN-14 with a valid check digit': 'gtin',
  'the five MA segments, e.g. MA.156.M0.100204.13351764': 'ma',
  'MF followed by the product code': 'ahm',
  'class and 分类目录 code, such as III:07 or II:07-03': 'scopeEntry',
  'a 分类目录 code such as 07, 07-03 or 07-03-01': 'catalogCode',
  '18-character unified social credit code': 'uscc',
  'letters, digits, . _ - (up to 40)': 'code',
  '18 characters: 17 digits and a digit or X': 'idNumber',
  'valid until must not be before the issue date': 'validBeforeIssued',
  'the period ends before it starts': 'periodEndsBeforeStart',
  'a new authorisation letter needs the representative’s ID number': 'idNumberRequired',
  'required for a new authorisation letter': 'idNumberRequired',
  'a party is a supplier, a manufacturer or a customer': 'roleRequired',
  'a registration certificate (Class II/III) has an expiry date': 'certificateExpiryRequired',
  'levels must be distinct and include 0 (minimum sales unit)': 'levels',
  'each UDI-DI may appear once': 'diOnce',
  'required when rejecting': 'noteRequired',
};

export function mdIssueText(t: TFunction, issue: ValidationIssue): string {
  const key = KNOWN_ISSUES[issue.message];
  return key === undefined ? issueText(t, issue) : t(`masterData.issues.${key}` as 'masterData.issues.gtin');
}

/** Fields of a list entry that hold a list of strings (tags): their issues go to the whole field. */
const TAG_FIELDS = new Set(['scope', 'productCodes']);

export type FieldName = (string | number)[];

/**
 * Server validation issues of a master-data proposal, split into those the form shows on a field
 * (`body.party.licences.0.number` → `['licences', 0, 'number']`, `body.reason` → `['reason']`) and
 * the rest (whole lists, unknown paths), which the form lists above its buttons.
 */
export function proposalIssues(
  t: TFunction,
  error: unknown,
  prefix: 'body.party' | 'body.product',
  shownFields: ReadonlySet<string>,
): { fields: { name: FieldName; errors: string[] }[]; other: string[] } {
  if (!(error instanceof ApiError) || error.code !== 'validation_failed') return { fields: [], other: [] };
  const byField = new Map<string, { name: FieldName; errors: string[] }>();
  const other: string[] = [];
  for (const issue of error.issues) {
    const text = mdIssueText(t, issue);
    let segments: string[] | undefined;
    if (issue.path === 'body.reason') segments = ['reason'];
    else if (issue.path.startsWith(`${prefix}.`)) segments = issue.path.slice(prefix.length + 1).split('.');
    if (segments !== undefined && segments.length >= 2 && /^\d+$/.test(segments.at(-1)!)) {
      if (TAG_FIELDS.has(segments.at(-2)!)) segments = segments.slice(0, -1);
    }
    const pattern = segments?.map((s) => (/^\d+$/.test(s) ? '#' : s)).join('.');
    if (segments === undefined || pattern === undefined || !shownFields.has(pattern)) {
      other.push(text);
      continue;
    }
    const name = segments.map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const key = name.join('.');
    const entry = byField.get(key) ?? { name, errors: [] };
    entry.errors.push(text);
    byField.set(key, entry);
  }
  return { fields: [...byField.values()], other };
}

/**
 * A refused proposal other than a validation problem. A conflict names what clashes (a code or
 * UDI-DI in use, a change already pending) only in the server's message, so it is shown too.
 */
export function ProposalErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const conflict = error instanceof ApiError && error.code === 'conflict';
  return (
    <div className="ml-form-notice">
      <ApiErrorAlert error={error} message={conflict ? t('masterData.form.conflict') : undefined} />
      {conflict && <Typography.Text type="secondary">{error.message}</Typography.Text>}
    </div>
  );
}
