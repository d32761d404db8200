import type { StorageCondition } from '@medledger/contract';
import { Alert, Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { ApiErrorAlert } from '../../components/api-error-alert';

/** Today as `YYYY-MM-DD` on this computer (the server decides with China time; this is for display). */
export const today = (): string => dayjs().format('YYYY-MM-DD');

/** A `YYYY-MM-DD` date before today. */
export const isPast = (date: string | null | undefined): boolean =>
  date !== null && date !== undefined && date < today();

/** An amount in 分 as yuan with two decimals, e.g. 123456 → ¥1,234.56. */
export function formatFen(fen: number | null | undefined, language: string): string {
  if (fen === null || fen === undefined) return '—';
  return new Intl.NumberFormat(language === 'en' ? 'en' : 'zh-CN', { style: 'currency', currency: 'CNY' }).format(
    fen / 100,
  );
}

/** Yuan as typed (up to two decimals) in exact integer 分, or null when it is not such an amount. */
export function yuanToFen(text: string | number | null | undefined): number | null {
  if (text === null || text === undefined) return null;
  const match = /^\s*(\d{1,9})(?:\.(\d{0,2}))?\s*$/.exec(String(text));
  if (match === null) return null;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** Ant Design rule: an amount in yuan with at most two decimals. */
export const YUAN = /^\s*\d{1,9}(\.\d{0,2})?\s*$/;

/** Storage conditions that need a cold-chain record (GSP arts. 63, 67, 95). */
export const isColdChain = (storage: StorageCondition): boolean => storage !== 'normal';

/** An expiry date: red with the date when it has passed (expired goods are locked). */
export function ExpiryDate({ date }: { date: string | null | undefined }) {
  const { t } = useTranslation();
  if (date === null || date === undefined) return <span>—</span>;
  if (isPast(date)) {
    return (
      <Tag color="red" data-expired="true">
        {t('gsp.common.expiredOn', { date })}
      </Tag>
    );
  }
  return <span>{date}</span>;
}

/** The storage condition, highlighted when it is a cold chain. */
export function StorageTag({ storage }: { storage: StorageCondition }) {
  const { t } = useTranslation();
  return <Tag color={isColdChain(storage) ? 'cyan' : undefined}>{t(`masterData.storage.${storage}`)}</Tag>;
}

/**
 * A refused GSP action. The localized message says what kind of refusal it is; the server's own
 * detail (English) names the document, lot, date or person concerned, so it is shown too, with
 * what to do next.
 */
export function GspErrorAlert({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!(error instanceof ApiError)) return <ApiErrorAlert error={error} />;
  const hint =
    error.code === 'forbidden'
      ? t('gsp.errors.forbiddenHint')
      : error.code === 'conflict'
        ? t('gsp.errors.conflictHint')
        : error.code === 'validation_failed'
          ? t('gsp.errors.validationHint')
          : null;
  const showDetail =
    ['conflict', 'forbidden', 'validation_failed', 'not_found'].includes(error.code) && error.message !== '';
  const issues = error.code === 'validation_failed' ? error.issues : [];
  return (
    <div className="ml-form-notice" data-testid="gsp-error">
      <ApiErrorAlert error={error} />
      {(showDetail || hint !== null) && (
        <Alert
          className="ml-gsp-error-detail"
          type="warning"
          title={showDetail ? t('gsp.errors.detail', { message: error.message }) : hint}
          description={
            <>
              {issues.length > 0 && (
                <ul className="ml-issue-list">
                  {issues.map((issue, i) => (
                    <li key={i}>
                      <code>{issue.path.replace(/^body\./, '')}</code> {issue.message}
                    </li>
                  ))}
                </ul>
              )}
              {showDetail && hint}
            </>
          }
        />
      )}
    </div>
  );
}
