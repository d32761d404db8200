import { DeleteOutlined, ScanOutlined, SendOutlined } from '@ant-design/icons';
import { parseUdi, UDI_ISSUERS, type ParsedUdi, type UdiParseResult } from '@medledger/contract';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Descriptions, Input, Space, Tag, Typography, type InputRef } from 'antd';
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { GspErrorAlert, isPast } from '../pages/gsp/gsp-format';

interface Pending {
  key: number;
  raw: string;
  udi: ParsedUdi;
}

interface Props {
  /** Label of the scan field (also its accessible name). */
  label?: string;
  /**
   * Sends the pending scans in one batch, exactly as the scanner sent them. The list is emptied
   * when the promise resolves; on a refusal it stays, with the error shown, to correct and resend.
   */
  onSubmit: (scans: string[]) => Promise<unknown>;
  /** Called with the answer of a successful batch. */
  onSubmitted?: (answer: unknown) => void;
  /** Label of the submit button; `{{count}}` is the number of pending scans. */
  submitLabel?: (count: number) => string;
  /** Largest batch the API accepts. */
  maxBatch?: number;
  disabled?: boolean;
  /** Shown under the field, e.g. what the scans are counted against. */
  extra?: ReactNode;
}

/** Characters a keyboard-wedge scanner sends that are invisible: ASCII 29 (GS, the FNC1 separator). */
function RawScan({ raw, position }: { raw: string; position?: number | undefined }) {
  return (
    <code className="ml-raw-scan" data-testid="raw-scan">
      {raw.split('').map((ch, i) => {
        const shown = ch === '\x1d' ? <span className="ml-raw-gs">GS</span> : ch;
        return i === position ? (
          <mark key={i} className="ml-raw-error">
            {shown}
          </mark>
        ) : (
          <span key={i}>{shown}</span>
        );
      })}
      {position !== undefined && position >= raw.length && <mark className="ml-raw-error">␣</mark>}
    </code>
  );
}

/** The expiry date of a scan: red with the date when it has passed. */
function ScanExpiry({ date, unspecified }: { date: string; unspecified?: boolean | undefined }) {
  const { t } = useTranslation();
  const suffix = unspecified ? t('gsp.scanner.dayUnspecified') : '';
  if (isPast(date)) {
    return (
      <Tag color="red" data-expired="true">
        {t('gsp.common.expiredOn', { date })}
        {suffix}
      </Tag>
    );
  }
  return (
    <span>
      {date}
      {suffix}
    </span>
  );
}

/** What the parser read from a scan, before anything is sent. */
export function ParsedUdiView({ udi }: { udi: ParsedUdi }) {
  const { t, i18n } = useTranslation();
  const issuer = UDI_ISSUERS[udi.issuer];
  return (
    <Descriptions
      size="small"
      bordered
      column={{ xs: 1, md: 3 }}
      data-testid="parsed-udi"
      items={[
        {
          key: 'issuer',
          label: t('gsp.scanner.issuer'),
          children: i18n.language === 'en' ? issuer.en : issuer.zh,
        },
        { key: 'di', label: t('gsp.scanner.di'), children: <span data-field="di">{udi.di}</span> },
        { key: 'lot', label: t('gsp.common.lot'), children: <span data-field="lot">{udi.lot ?? '—'}</span> },
        {
          key: 'serial',
          label: t('gsp.common.serial'),
          children: <span data-field="serial">{udi.serial ?? '—'}</span>,
        },
        {
          key: 'production',
          label: t('gsp.common.productionDate'),
          children: <span data-field="productionDate">{udi.productionDate ?? '—'}</span>,
        },
        {
          key: 'expiry',
          label: t('gsp.common.expiryDate'),
          children: (
            <span data-field="expiryDate">
              {udi.expiryDate === undefined ? (
                '—'
              ) : (
                <ScanExpiry date={udi.expiryDate} unspecified={udi.expiryDayUnspecified} />
              )}
            </span>
          ),
        },
      ]}
    />
  );
}

/** The parser's refusal: which kind (localized), where (1-based character), and its exact message. */
export function UdiErrorView({ raw, result }: { raw: string; result: Extract<UdiParseResult, { ok: false }> }) {
  const { t } = useTranslation();
  const { error } = result;
  const title =
    error.position === undefined
      ? t('gsp.scanner.invalidTitleNoPosition')
      : t('gsp.scanner.invalidTitle', { position: error.position + 1 });
  return (
    <Alert
      type="error"
      showIcon
      data-testid="udi-error"
      title={`${title} · ${t(`gsp.scanner.errors.${error.code}`)}`}
      description={
        <>
          <div>{t('gsp.scanner.invalidAdvice')}</div>
          <div className="ml-udi-message" data-testid="udi-error-message">
            {error.message}
          </div>
          <div>
            {t('gsp.scanner.rawLabel')}: <RawScan raw={raw} position={error.position} />
          </div>
        </>
      }
    />
  );
}

function summary(udi: ParsedUdi): string {
  return [udi.di, udi.lot, udi.serial].filter((x) => x !== undefined).join(' · ');
}

/**
 * A scan field for keyboard-wedge scanners (each scan ends with Enter). Every scan is parsed as it
 * arrives — GS1 with ASCII 29, `^`, `<GS>` or `{GS}` as FNC1, symbology identifiers, bracketed
 * HRI, Digital Link, MA and AHM — and shown (or its precise error) before anything is sent. Good
 * scans wait in a list; Ctrl+Enter or the button sends them in one batch. Focus stays on the field
 * so that the whole job can be done with the scanner and the keyboard.
 */
export function ScannerInput({
  label,
  onSubmit,
  onSubmitted,
  submitLabel,
  maxBatch = 500,
  disabled = false,
  extra,
}: Props) {
  const { t } = useTranslation();
  const input = useRef<InputRef>(null);
  const nextKey = useRef(1);
  const [value, setValue] = useState('');
  const [pending, setPending] = useState<Pending[]>([]);
  const [last, setLast] = useState<{ raw: string; result: UdiParseResult } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const send = useMutation({
    mutationFn: (scans: string[]) => onSubmit(scans),
    onSuccess: (answer, scans) => {
      setPending([]);
      setLast(null);
      setNotice(t('gsp.scanner.submitted', { count: scans.length }));
      onSubmitted?.(answer);
    },
  });
  const focus = () => input.current?.focus();
  // Keep the scanner's target: back to the field after every change of the list or the batch.
  useEffect(() => {
    if (!send.isPending) focus();
  }, [pending, send.isPending]);

  const current = value.trim() === '' ? null : { raw: value, result: parseUdi(value) };

  /**
   * Adds the scan in the field to the list; returns the list as it is then (state updates later),
   * or null when the scan was refused (unreadable, a serial already pending, the batch full).
   */
  function add(): Pending[] | null {
    if (value.trim() === '') return pending;
    const result = parseUdi(value);
    setLast({ raw: value, result });
    setValue('');
    if (!result.ok) return null;
    const serial = result.udi.serial;
    if (serial !== undefined && pending.some((p) => p.udi.di === result.udi.di && p.udi.serial === serial)) {
      setNotice(t('gsp.scanner.duplicateSerial', { serial }));
      return null;
    }
    if (pending.length >= maxBatch) {
      setNotice(t('gsp.scanner.batchFull', { max: maxBatch }));
      return null;
    }
    setNotice(null);
    const next = [...pending, { key: nextKey.current++, raw: value, udi: result.udi }];
    setPending(next);
    return next;
  }

  function remove(key: number) {
    const gone = pending.find((p) => p.key === key);
    setPending(pending.filter((p) => p.key !== key));
    if (gone !== undefined) setNotice(t('gsp.scanner.removed', { summary: summary(gone.udi) }));
    focus();
  }

  function submit(list: Pending[]) {
    if (list.length === 0 || send.isPending) return;
    send.mutate(list.map((p) => p.raw));
  }

  function onKeyDown(e: KeyboardEvent<HTMLInputElement>) {
    if (e.key === 'Enter') {
      e.preventDefault();
      const list = add();
      if ((e.ctrlKey || e.metaKey) && list !== null) submit(list);
      return;
    }
    if (e.key === 'Escape') {
      e.preventDefault();
      setValue('');
      return;
    }
    if ((e.key === 'Delete' || (e.key === 'Backspace' && e.ctrlKey)) && value === '' && pending.length > 0) {
      e.preventDefault();
      remove(pending.at(-1)!.key);
    }
  }

  const shown = current ?? last;
  const fieldLabel = label ?? t('gsp.scanner.label');
  return (
    <div className="ml-scanner" data-testid="scanner">
      <label className="ml-scanner-label" htmlFor="ml-scanner-field">
        <ScanOutlined aria-hidden /> {fieldLabel}
      </label>
      <Input
        id="ml-scanner-field"
        ref={input}
        size="large"
        className="ml-scanner-input"
        placeholder={t('gsp.scanner.placeholder')}
        autoComplete="off"
        spellCheck={false}
        autoFocus
        disabled={disabled}
        value={value}
        onChange={(e) => setValue(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <Typography.Text type="secondary" className="ml-scanner-keys">
        {t('gsp.scanner.keys')}
      </Typography.Text>
      {extra}
      <div className="ml-scanner-preview" aria-live="polite">
        {shown !== null &&
          (shown.result.ok ? (
            <div>
              <Typography.Text strong>
                {current === null ? t('gsp.scanner.added') : t('gsp.scanner.parsedTitle')}
              </Typography.Text>
              <ParsedUdiView udi={shown.result.udi} />
            </div>
          ) : (
            <UdiErrorView raw={shown.raw} result={shown.result} />
          ))}
        {notice !== null && (
          <Alert className="ml-scanner-notice" type="info" showIcon title={notice} data-testid="scanner-notice" />
        )}
      </div>
      <div className="ml-scanner-pending">
        <Typography.Text strong>{t('gsp.scanner.pending', { count: pending.length })}</Typography.Text>
        {pending.length === 0 ? (
          <Typography.Paragraph type="secondary">{t('gsp.scanner.pendingEmpty')}</Typography.Paragraph>
        ) : (
          <ol className="ml-scan-list" data-testid="pending-scans">
            {pending.map((p, i) => (
              <li key={p.key}>
                <Space wrap size={8}>
                  <span className="ml-scan-summary">{summary(p.udi)}</span>
                  {p.udi.expiryDate !== undefined && <ScanExpiry date={p.udi.expiryDate} />}
                  <Button
                    size="small"
                    type="text"
                    danger
                    icon={<DeleteOutlined aria-hidden />}
                    aria-label={t('gsp.scanner.remove', { index: i + 1 })}
                    onClick={() => remove(p.key)}
                  />
                </Space>
              </li>
            ))}
          </ol>
        )}
      </div>
      {send.isError && <GspErrorAlert error={send.error} />}
      <Button
        type="primary"
        size="large"
        icon={<SendOutlined aria-hidden />}
        disabled={disabled || pending.length === 0}
        loading={send.isPending}
        onClick={() => submit(pending)}
      >
        {submitLabel ? submitLabel(pending.length) : t('gsp.scanner.submit', { count: pending.length })}
      </Button>
    </div>
  );
}
