import { Tag, Tooltip, Typography } from 'antd';
import type { AuditOutcome } from '@medledger/contract';
import { useTranslation } from 'react-i18next';
import { formatLocalTime, formatUtc, shortHash } from './audit-format';

function useCopyConfig(text: string) {
  const { t } = useTranslation();
  return { text, tooltips: [t('audit.copy'), t('audit.copied')] };
}

/** A hash or key in monospace: shortened unless `full`, always copied in full. */
export function HashText({ value, full = false }: { value: string; full?: boolean }) {
  const copyable = useCopyConfig(value);
  return (
    <Typography.Text code copyable={copyable} title={value} className={full ? 'ml-audit-break' : undefined}>
      {full ? value : shortHash(value)}
    </Typography.Text>
  );
}

/** Only the copy icon, for blocks of text shown next to it. */
export function CopyText({ value }: { value: string }) {
  const copyable = useCopyConfig(value);
  return <Typography.Text copyable={copyable} />;
}

/** Local time, with the UTC instant in a tooltip. */
export function AuditTime({ at }: { at: string }) {
  const { t, i18n } = useTranslation();
  return (
    <Tooltip title={t('audit.utc', { time: formatUtc(at) })}>
      <time dateTime={at}>{formatLocalTime(at, i18n.language)}</time>
    </Tooltip>
  );
}

const OUTCOME_COLOR: Record<AuditOutcome, string> = { success: 'success', failure: 'warning', denied: 'error' };

export function OutcomeTag({ outcome }: { outcome: AuditOutcome }) {
  const { t } = useTranslation();
  return <Tag color={OUTCOME_COLOR[outcome]}>{t(`audit.outcome.${outcome}`)}</Tag>;
}

/** Indented JSON or other preformatted text; React puts it in a text node, so markup stays text. */
export function PreText({ text, label }: { text: string; label?: string }) {
  return (
    <pre className="ml-audit-pre" aria-label={label}>
      {text}
    </pre>
  );
}
