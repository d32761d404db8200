import { DISPOSITIONS, type ConcludeInput, type Disposition } from '@medledger/contract';
import { ArrowLeftOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Descriptions,
  Input,
  InputNumber,
  Progress,
  Select,
  Skeleton,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import {
  ACCEPTANCE_CONCLUDE_PERMISSION,
  ACCEPTANCE_SCAN_PERMISSION,
  concludeAcceptance,
  postAcceptanceScans,
  procurementKey,
  useAcceptance,
  useAcceptanceScans,
  voidAcceptanceScan,
  type AcceptanceView,
  type ScanAnswer,
  type ScanView,
} from '../../api/procurement';
import { formatLocalTime } from '../../app/format';
import { useCurrentSession } from '../../app/session';
import { ScannerInput } from '../../components/scanner-input';
import { SignatureDialog } from '../../components/signature-dialog';
import { ExpiryDate, GspErrorAlert, isPast } from '../gsp/gsp-format';
import { ReasonModal } from '../gsp/reason-modal';

type Line = AcceptanceView['lines'][number];
type Lot = Line['lots'][number];
interface LineDecision {
  nonConformity: string;
  disposition: Disposition | undefined;
}

const lotLabel = (l: Pick<Lot, 'lot' | 'serial'>) => (l.serial === null ? l.lot : `${l.lot} / ${l.serial}`);

/** Received against identified units, per line. */
function ProgressCard({ acceptance }: { acceptance: AcceptanceView }) {
  const { t } = useTranslation();
  return (
    <Card title={t('gsp.acceptance.progress')}>
      <Table<Line>
        rowKey="receiptLineId"
        size="small"
        pagination={false}
        dataSource={acceptance.lines}
        expandable={{
          expandedRowRender: (l) => (
            <Table<Lot>
              rowKey="lotId"
              size="small"
              pagination={false}
              dataSource={l.lots}
              columns={[
                { title: t('gsp.common.lot'), dataIndex: 'lot' },
                { title: t('gsp.common.serial'), key: 'serial', render: (_: unknown, x) => x.serial ?? '—' },
                { title: t('gsp.common.productionDate'), key: 'p', render: (_: unknown, x) => x.productionDate ?? '—' },
                {
                  title: t('gsp.common.expiryDate'),
                  key: 'e',
                  render: (_: unknown, x) => <ExpiryDate date={x.expiryDate} />,
                },
                { title: t('gsp.common.quantity'), dataIndex: 'quantity' },
              ]}
            />
          ),
          rowExpandable: (l) => l.lots.length > 0,
        }}
        columns={[
          { title: t('gsp.common.productCode'), dataIndex: 'productCode' },
          {
            title: t('gsp.common.productName'),
            key: 'name',
            render: (_: unknown, l) => `${l.productName} ${l.model} ${l.specification}`,
          },
          { title: t('gsp.acceptance.received'), key: 'r', render: (_: unknown, l) => `${l.received} ${l.unit}` },
          {
            title: t('gsp.acceptance.identified'),
            key: 'i',
            render: (_: unknown, l) => (
              <span data-testid={`identified-${l.productCode}`}>
                {l.identified} / {l.received}
              </span>
            ),
          },
          {
            title: '',
            key: 'bar',
            width: 160,
            render: (_: unknown, l) => (
              <Progress
                size="small"
                percent={l.received === 0 ? 0 : Math.round((100 * l.identified) / l.received)}
                status={l.identified === l.received ? 'success' : 'active'}
              />
            ),
          },
        ]}
      />
    </Card>
  );
}

/** Every scan as received (raw), voided ones included; a wrong one is voided with a reason. */
function ScansCard({ acceptance, canVoid }: { acceptance: AcceptanceView; canVoid: boolean }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const scans = useAcceptanceScans(acceptance.id);
  const [voiding, setVoiding] = useState<ScanView | null>(null);
  return (
    <Card title={t('gsp.acceptance.scans')}>
      {scans.isError && <GspErrorAlert error={scans.error} />}
      <Table<ScanView>
        rowKey="id"
        size="small"
        loading={scans.isPending}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        dataSource={scans.data?.scans ?? []}
        rowClassName={(s) => (s.voided === null ? '' : 'ml-row-voided')}
        columns={[
          {
            title: t('gsp.acceptance.raw'),
            key: 'raw',
            render: (_: unknown, s) =>
              s.raw === null ? (
                <Tag>{t('gsp.acceptance.manual')}</Tag>
              ) : (
                <code className="ml-raw-scan">{s.raw.replaceAll('\x1d', '<GS>')}</code>
              ),
          },
          { title: t('gsp.common.lot'), dataIndex: 'lot' },
          { title: t('gsp.common.serial'), key: 'serial', render: (_: unknown, s) => s.serial ?? '—' },
          { title: t('gsp.common.quantity'), dataIndex: 'quantity' },
          {
            title: t('gsp.acceptance.scannedBy'),
            key: 'by',
            render: (_: unknown, s) => `${s.scannedByName} · ${formatLocalTime(s.scannedAt, i18n.language, 'short')}`,
          },
          {
            title: '',
            key: 'void',
            render: (_: unknown, s) =>
              s.voided !== null ? (
                <Tag>{t('gsp.acceptance.voided', { name: s.voided.name, reason: s.voided.reason })}</Tag>
              ) : canVoid ? (
                <Button size="small" danger onClick={() => setVoiding(s)}>
                  {t('gsp.acceptance.void')}
                </Button>
              ) : null,
          },
        ]}
      />
      <ReasonModal
        open={voiding !== null}
        title={t('gsp.acceptance.voidTitle')}
        intro={
          voiding === null ? undefined : (
            <>
              {t('gsp.acceptance.voidIntro')} <code>{lotLabel(voiding)}</code>
            </>
          )
        }
        okText={t('gsp.acceptance.void')}
        onConfirm={(reason) => voidAcceptanceScan(acceptance.id, voiding?.id ?? '', reason)}
        onDone={() => {
          void message.success(t('gsp.acceptance.voidDone'));
          setVoiding(null);
          void queryClient.invalidateQueries({ queryKey: procurementKey });
        }}
        onCancel={() => setVoiding(null)}
      />
    </Card>
  );
}

/** The conclusion body: per lot the rejected units; the rest of each line is accepted. */
export function conclusionLines(
  acceptance: AcceptanceView,
  rejected: Record<string, number>,
  decisions: Record<string, LineDecision>,
): ConcludeInput['lines'] {
  return acceptance.lines.map((l) => {
    const rejections = l.lots
      .map((lot) => ({ lotId: lot.lotId, quantity: rejected[lot.lotId] ?? 0 }))
      .filter((r) => r.quantity > 0);
    const rejectedQuantity = rejections.reduce((n, r) => n + r.quantity, 0);
    const d = decisions[l.receiptLineId];
    return {
      receiptLineId: l.receiptLineId,
      acceptedQuantity: l.received - rejectedQuantity,
      rejectedQuantity,
      ...(rejectedQuantity > 0
        ? {
            rejections,
            nonConformity: (d?.nonConformity ?? '').trim(),
            ...(d?.disposition === undefined ? {} : { disposition: d.disposition }),
          }
        : {}),
    };
  });
}

/** The inspector's conclusion: rejected units per lot, non-conformity and disposition; signed. */
function ConclusionCard({ acceptance }: { acceptance: AcceptanceView }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [chosen, setRejected] = useState<Record<string, number>>({});
  // Goods expired on arrival can only be rejected: they are always counted as rejected.
  const rejected: Record<string, number> = {
    ...chosen,
    ...Object.fromEntries(
      acceptance.lines.flatMap((l) => l.lots.filter((x) => isPast(x.expiryDate)).map((x) => [x.lotId, x.quantity])),
    ),
  };
  const [decisions, setDecisions] = useState<Record<string, LineDecision>>({});
  const [note, setNote] = useState('');
  const [checked, setChecked] = useState(false);
  const [signing, setSigning] = useState(false);
  const lines = conclusionLines(acceptance, rejected, decisions);
  const unidentified = acceptance.lines.filter((l) => l.identified !== l.received);
  const problems = (l: ConcludeInput['lines'][number]) => ({
    nonConformity: l.rejectedQuantity > 0 && (l.nonConformity ?? '').length < 2,
    disposition: l.rejectedQuantity > 0 && l.disposition === undefined,
  });
  const valid = unidentified.length === 0 && lines.every((l) => !Object.values(problems(l)).some(Boolean));
  const totals = lines.reduce(
    (n, l) => ({ accepted: n.accepted + l.acceptedQuantity, rejected: n.rejected + l.rejectedQuantity }),
    { accepted: 0, rejected: 0 },
  );
  const decide = (lineId: string, patch: Partial<LineDecision>) =>
    setDecisions({
      ...decisions,
      [lineId]: { nonConformity: '', disposition: undefined, ...decisions[lineId], ...patch },
    });

  return (
    <Card title={t('gsp.acceptance.conclusion')}>
      <Typography.Paragraph type="secondary">{t('gsp.acceptance.conclusionIntro')}</Typography.Paragraph>
      {unidentified.map((l) => (
        <Alert
          key={l.receiptLineId}
          className="ml-form-notice"
          type="warning"
          showIcon
          title={t('gsp.acceptance.notIdentified', {
            product: `${l.productCode} ${l.productName}`,
            identified: l.identified,
            received: l.received,
          })}
        />
      ))}
      {acceptance.lines.map((l, i) => {
        const line = lines[i]!;
        const p = problems(line);
        const d = decisions[l.receiptLineId];
        return (
          <Card
            key={l.receiptLineId}
            size="small"
            className="ml-form-notice"
            title={`${l.productCode} ${l.productName} ${l.model} ${l.specification}`}
            extra={
              <span data-testid={`totals-${l.productCode}`}>
                {t('gsp.acceptance.accepted')} {line.acceptedQuantity} · {t('gsp.acceptance.rejected')}{' '}
                {line.rejectedQuantity} / {l.received} {l.unit}
              </span>
            }
          >
            <Table<Lot>
              rowKey="lotId"
              size="small"
              pagination={false}
              dataSource={l.lots}
              rowClassName={(x) => (isPast(x.expiryDate) ? 'ml-row-expired' : '')}
              columns={[
                { title: t('gsp.acceptance.lots'), key: 'lot', render: (_: unknown, x) => lotLabel(x) },
                {
                  title: t('gsp.common.expiryDate'),
                  key: 'e',
                  render: (_: unknown, x) => <ExpiryDate date={x.expiryDate} />,
                },
                { title: t('gsp.acceptance.identified'), dataIndex: 'quantity' },
                {
                  title: t('gsp.acceptance.rejectedQty'),
                  key: 'rejected',
                  render: (_: unknown, x) =>
                    isPast(x.expiryDate) ? (
                      <Tag color="red">
                        {x.quantity} · {t('gsp.acceptance.expiredLocked')}
                      </Tag>
                    ) : (
                      <InputNumber
                        min={0}
                        max={x.quantity}
                        precision={0}
                        size="small"
                        aria-label={`${t('gsp.acceptance.rejectedQty')} ${lotLabel(x)}`}
                        value={rejected[x.lotId] ?? 0}
                        onChange={(v) => setRejected({ ...chosen, [x.lotId]: v ?? 0 })}
                      />
                    ),
                },
              ]}
            />
            {line.rejectedQuantity > 0 && (
              <Space wrap align="start" className="ml-form-top">
                <div>
                  <Input.TextArea
                    rows={2}
                    className="ml-select-wide"
                    placeholder={t('gsp.acceptance.nonConformity')}
                    aria-label={`${t('gsp.acceptance.nonConformity')} ${l.productCode}`}
                    status={checked && p.nonConformity ? 'error' : undefined}
                    value={d?.nonConformity ?? ''}
                    maxLength={500}
                    onChange={(e) => decide(l.receiptLineId, { nonConformity: e.target.value })}
                  />
                  {checked && p.nonConformity && (
                    <Typography.Text type="danger">{t('gsp.acceptance.nonConformityRequired')}</Typography.Text>
                  )}
                </div>
                <div>
                  <Select<Disposition>
                    className="ml-select-wide"
                    placeholder={t('gsp.acceptance.disposition')}
                    aria-label={`${t('gsp.acceptance.disposition')} ${l.productCode}`}
                    status={checked && p.disposition ? 'error' : undefined}
                    value={d?.disposition}
                    options={DISPOSITIONS.map((x) => ({ value: x, label: t(`gsp.acceptance.dispositions.${x}`) }))}
                    onChange={(disposition) => decide(l.receiptLineId, { disposition })}
                  />
                  {checked && p.disposition && (
                    <div>
                      <Typography.Text type="danger">{t('gsp.acceptance.dispositionRequired')}</Typography.Text>
                    </div>
                  )}
                </div>
              </Space>
            )}
          </Card>
        );
      })}
      <Input.TextArea
        rows={2}
        className="ml-form-notice"
        placeholder={t('gsp.common.note')}
        aria-label={t('gsp.common.note')}
        maxLength={500}
        value={note}
        onChange={(e) => setNote(e.target.value)}
      />
      <Button
        type="primary"
        icon={<SafetyCertificateOutlined aria-hidden />}
        disabled={unidentified.length > 0}
        onClick={() => {
          setChecked(true);
          if (valid) setSigning(true);
        }}
      >
        {t('gsp.acceptance.conclude')}
      </Button>
      <SignatureDialog
        renderError={(e) => <GspErrorAlert error={e} />}
        open={signing}
        title={t('gsp.acceptance.signTitle')}
        meaning={
          <Alert
            type={totals.rejected > 0 ? 'warning' : 'success'}
            title={t('gsp.acceptance.meaning', { number: acceptance.number, ...totals })}
          />
        }
        confirmLabel={t('gsp.acceptance.confirm')}
        onSign={(code) =>
          concludeAcceptance(acceptance.id, {
            lines,
            ...(note.trim() === '' ? {} : { note: note.trim() }),
            ...(code === undefined ? {} : { code }),
          })
        }
        onSigned={() => {
          setSigning(false);
          void message.success(t('gsp.acceptance.concluded'));
          void queryClient.invalidateQueries({ queryKey: procurementKey });
        }}
        onCancel={() => setSigning(false)}
      />
    </Card>
  );
}

/** The signed acceptance record of GSP art. 65 (with the cold-chain data of art. 67). */
function RecordCard({ acceptance }: { acceptance: AcceptanceView }) {
  const { t, i18n } = useTranslation();
  const inspector = acceptance.inspector;
  return (
    <Card title={t('gsp.acceptance.record')} data-testid="acceptance-record">
      {inspector !== null && (
        <Descriptions
          size="small"
          bordered
          className="ml-form-notice"
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'inspector', label: t('gsp.acceptance.inspector'), children: inspector.name },
            {
              key: 'at',
              label: t('gsp.acceptance.signedAt'),
              children: formatLocalTime(inspector.signedAt, i18n.language, 'short'),
            },
            {
              key: 'valid',
              label: t('gsp.common.status'),
              children: inspector.signatureValid ? (
                <Tag color="green">{t('gsp.common.signatureValid')}</Tag>
              ) : (
                <Tag color="red">{t('gsp.common.signatureInvalid')}</Tag>
              ),
            },
            {
              key: 'hash',
              label: t('gsp.acceptance.recordHash'),
              children: <code className="ml-raw-scan">{inspector.recordHash}</code>,
            },
          ]}
        />
      )}
      <Table<Line>
        rowKey="receiptLineId"
        size="small"
        pagination={false}
        scroll={{ x: true }}
        dataSource={acceptance.lines}
        expandable={{
          expandedRowRender: (l) => (
            <Table<Lot>
              rowKey="lotId"
              size="small"
              pagination={false}
              dataSource={l.lots}
              columns={[
                { title: t('gsp.acceptance.lots'), key: 'lot', render: (_: unknown, x) => lotLabel(x) },
                { title: 'UDI-DI', key: 'di', render: (_: unknown, x) => x.dis.map((d) => d.di).join(', ') || '—' },
                { title: t('gsp.common.productionDate'), key: 'p', render: (_: unknown, x) => x.productionDate ?? '—' },
                {
                  title: t('gsp.common.expiryDate'),
                  key: 'e',
                  render: (_: unknown, x) => <ExpiryDate date={x.expiryDate} />,
                },
                { title: t('gsp.acceptance.accepted'), key: 'a', render: (_: unknown, x) => x.accepted ?? '—' },
                { title: t('gsp.acceptance.rejected'), key: 'r', render: (_: unknown, x) => x.rejected ?? '—' },
              ]}
            />
          ),
        }}
        columns={[
          {
            title: t('gsp.common.productName'),
            key: 'name',
            render: (_: unknown, l) => `${l.productName} ${l.model} ${l.specification}`,
          },
          { title: t('gsp.common.certificateNo'), dataIndex: 'certificateNo' },
          {
            title: t('gsp.common.registrant'),
            key: 'reg',
            render: (_: unknown, l) =>
              [l.registrant, l.registrantLicenceNo, l.contractManufacturer, l.contractManufacturerLicenceNo]
                .filter((x) => x !== null)
                .join(' · '),
          },
          { title: t('gsp.acceptance.received'), dataIndex: 'received' },
          { title: t('gsp.acceptance.accepted'), key: 'a', render: (_: unknown, l) => l.accepted ?? '—' },
          { title: t('gsp.acceptance.rejected'), key: 'r', render: (_: unknown, l) => l.rejected ?? '—' },
          {
            title: t('gsp.acceptance.conclusion'),
            key: 'c',
            render: (_: unknown, l) =>
              l.conclusion === null ? (
                '—'
              ) : (
                <Tag color={l.conclusion === 'accepted' ? 'green' : l.conclusion === 'rejected' ? 'red' : 'orange'}>
                  {t(`gsp.acceptance.conclusions.${l.conclusion}`)}
                </Tag>
              ),
          },
          {
            title: t('gsp.acceptance.nonConformity'),
            key: 'nc',
            render: (_: unknown, l) =>
              l.nonConformity === null
                ? '—'
                : `${l.nonConformity}${l.disposition === null ? '' : ` · ${t(`gsp.acceptance.dispositions.${l.disposition}`)}`}`,
          },
        ]}
      />
    </Card>
  );
}

/** `/procurement/acceptances/:id`: scan the goods into quarantine, then sign the conclusion. */
export function AcceptancePage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { permissions } = useCurrentSession();
  const query = useAcceptance(id);
  const [answer, setAnswer] = useState<ScanAnswer | null>(null);
  const a = query.data?.acceptance;
  if (query.isError) return <GspErrorAlert error={query.error} />;
  if (a === undefined) return <Skeleton active />;
  const isOpen = a.status === 'open';
  const canScan = isOpen && permissions.includes(ACCEPTANCE_SCAN_PERMISSION);
  const cold = a.coldChain;
  const at = (iso: string) => formatLocalTime(iso, i18n.language, 'short');

  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Space wrap>
        <Button
          icon={<ArrowLeftOutlined aria-hidden />}
          onClick={() => void navigate(`/procurement/orders/${a.orderId}`)}
        >
          {t('gsp.acceptance.back', { number: a.orderNumber })}
        </Button>
      </Space>
      <Space wrap align="center">
        <Typography.Title level={2} className="ml-title-inline">
          {t('gsp.acceptance.title', { number: a.number })}
        </Typography.Title>
        <Tag color={isOpen ? 'gold' : 'green'}>{t(`gsp.acceptance.statuses.${a.status}`)}</Tag>
      </Space>
      <Card title={t('gsp.acceptance.details')}>
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'order', label: t('gsp.acceptance.order'), children: a.orderNumber },
            { key: 'receipt', label: t('gsp.acceptance.receipt'), children: a.receiptNumber },
            { key: 'date', label: t('gsp.acceptance.purchaseDate'), children: a.purchaseDate },
            { key: 'slip', label: t('gsp.acceptance.slipNo'), children: a.deliverySlipNo },
            { key: 'supplier', label: t('gsp.acceptance.supplier'), children: a.supplier.name },
            { key: 'address', label: t('gsp.acceptance.supplierAddress'), children: a.supplier.address },
            { key: 'contact', label: t('gsp.acceptance.supplierContact'), children: a.supplier.contact },
            {
              key: 'transport',
              label: t('gsp.acceptance.transport'),
              children: t(`gsp.receipt.modes.${a.transportMode}`),
            },
            ...(cold === null
              ? []
              : [
                  {
                    key: 'cold',
                    label: t('gsp.acceptance.coldChain'),
                    span: 'filled' as const,
                    children: t('gsp.acceptance.coldChainText', {
                      departed: at(cold.departedAt),
                      arrived: at(cold.arrivedAt),
                      min: cold.transitMinC,
                      max: cold.transitMaxC,
                      arrival: cold.arrivalC,
                      device: cold.device === null ? '' : ` · ${cold.device}`,
                    }),
                  },
                ]),
          ]}
        />
      </Card>
      {canScan && (
        <Card title={t('gsp.acceptance.scanTitle')}>
          <Typography.Paragraph type="secondary">{t('gsp.acceptance.scanIntro')}</Typography.Paragraph>
          <ScannerInput
            label={t('gsp.acceptance.scanLabel')}
            maxBatch={1000}
            onSubmit={(scans) => postAcceptanceScans(a.id, scans)}
            onSubmitted={(result) => {
              setAnswer(result as ScanAnswer);
              void queryClient.invalidateQueries({ queryKey: procurementKey });
            }}
          />
          {answer !== null && (
            <Alert
              className="ml-form-top"
              type={answer.warnings.length > 0 ? 'warning' : 'success'}
              showIcon
              title={t('gsp.acceptance.scanned', {
                count: answer.results.length,
                units: answer.results.reduce((n, r) => n + r.quantity, 0),
              })}
              description={
                answer.warnings.length > 0 && (
                  <ul className="ml-issue-list">
                    {answer.warnings.map((w, i) => (
                      <li key={i}>{w}</li>
                    ))}
                  </ul>
                )
              }
            />
          )}
        </Card>
      )}
      <ProgressCard acceptance={a} />
      {isOpen && permissions.includes(ACCEPTANCE_CONCLUDE_PERMISSION) && <ConclusionCard acceptance={a} />}
      {!isOpen && <RecordCard acceptance={a} />}
      <ScansCard acceptance={a} canVoid={canScan} />
    </Space>
  );
}
