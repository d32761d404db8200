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
  RETURN_INSPECT_PERMISSION,
  inspectCustomerReturn,
  salesKey,
  useCustomerReturn,
  type ReturnView,
} from '../../api/sales';
import { formatLocalTime } from '../../app/format';
import { useCurrentSession } from '../../app/session';
import { SignatureDialog } from '../../components/signature-dialog';
import { ExpiryDate, GspErrorAlert, isPast } from '../gsp/gsp-format';

type Line = ReturnView['lines'][number];
const QUALITY_COLOURS = { pending: 'gold', qualified: 'green', nonconforming: 'red' } as const;

/** `/sales/returns/:id`: the return record (GSP art. 107) and its signed re-inspection (art. 106). */
export function ReturnPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { permissions } = useCurrentSession();
  const query = useCustomerReturn(id);
  // Nonconforming units per line; the rest are qualified. Expired lots can only be nonconforming.
  const [bad, setBad] = useState<Record<string, number>>({});
  const [note, setNote] = useState('');
  const [signing, setSigning] = useState(false);
  const r = query.data?.return;
  if (query.isError) return <GspErrorAlert error={query.error} />;
  if (r === undefined) return <Skeleton active />;
  const inspecting = r.status === 'received' && permissions.includes(RETURN_INSPECT_PERMISSION);
  const nonconforming = (l: Line) => (isPast(l.expiryDate) ? l.quantity : Math.min(bad[l.id] ?? 0, l.quantity));
  const decisions = r.lines.map((l) => ({
    lineId: l.id,
    qualified: l.quantity - nonconforming(l),
    nonconforming: nonconforming(l),
  }));
  const totals = decisions.reduce(
    (n, d) => ({ qualified: n.qualified + d.qualified, nonconforming: n.nonconforming + d.nonconforming }),
    { qualified: 0, nonconforming: 0 },
  );
  const at = (iso: string | null) => (iso === null ? '—' : formatLocalTime(iso, i18n.language, 'short'));

  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Space wrap>
        <Button icon={<ArrowLeftOutlined aria-hidden />} onClick={() => void navigate(`/sales/orders/${r.orderId}`)}>
          {t('gsp.returns.back', { number: r.orderNo })}
        </Button>
      </Space>
      <Space wrap align="center">
        <Typography.Title level={2} className="ml-title-inline">
          {t('gsp.returns.title', { number: r.returnNo })}
        </Typography.Title>
        <Tag color={r.status === 'received' ? 'gold' : 'green'}>{t(`gsp.returns.statuses.${r.status}`)}</Tag>
      </Space>
      <Card>
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'date', label: t('gsp.returns.returnDate'), children: r.returnDate },
            { key: 'order', label: t('gsp.returns.order'), children: r.orderNo },
            { key: 'outbound', label: t('gsp.returns.originalOutbound'), children: r.originalOutboundNo },
            {
              key: 'party',
              label: t('gsp.returns.returningParty'),
              children: `${r.returningParty.code} ${r.returningParty.name}`,
            },
            { key: 'reason', label: t('gsp.returns.reason'), children: r.reason, span: 'filled' },
            {
              key: 'transport',
              label: t('gsp.returns.transportConditions'),
              children: r.transportConditions,
              span: 'filled',
            },
            ...(r.coldChain === null
              ? []
              : [
                  {
                    key: 'cold',
                    label: t('gsp.returns.coldChain'),
                    span: 'filled' as const,
                    children: `${r.coldChain.minTemperature} ℃ ~ ${r.coldChain.maxTemperature} ℃ · ${
                      r.coldChain.temperatureRecordChecked ? t('gsp.common.yes') : t('gsp.common.no')
                    }`,
                  },
                ]),
            { key: 'received', label: t('gsp.returns.receivedBy'), children: r.receivedByName },
            {
              key: 'inspector',
              label: t('gsp.returns.inspector'),
              children: r.inspectorName === null ? '—' : `${r.inspectorName} · ${at(r.inspectedAt)}`,
            },
            ...(r.note === null ? [] : [{ key: 'note', label: t('gsp.common.note'), children: r.note }]),
          ]}
        />
      </Card>
      <Card title={inspecting ? t('gsp.returns.inspection') : undefined}>
        {inspecting && <Typography.Paragraph type="secondary">{t('gsp.returns.inspectionIntro')}</Typography.Paragraph>}
        <Table<Line>
          rowKey="id"
          size="small"
          pagination={false}
          scroll={{ x: true }}
          dataSource={r.lines}
          rowClassName={(l) => (isPast(l.expiryDate) ? 'ml-row-expired' : '')}
          columns={[
            {
              title: t('gsp.common.productName'),
              key: 'name',
              render: (_: unknown, l) => `${l.productName} ${l.model} ${l.specification}`,
            },
            { title: t('gsp.common.certificateNo'), dataIndex: 'certificateNo' },
            { title: t('gsp.common.lot'), dataIndex: 'lot' },
            { title: t('gsp.common.serial'), key: 'serial', render: (_: unknown, l) => l.serial ?? '—' },
            {
              title: t('gsp.common.expiryDate'),
              key: 'e',
              render: (_: unknown, l) => <ExpiryDate date={l.expiryDate} />,
            },
            { title: t('gsp.common.quantity'), key: 'q', render: (_: unknown, l) => `${l.quantity} ${l.unit}` },
            ...(inspecting
              ? [
                  {
                    title: t('gsp.returns.nonconforming'),
                    key: 'bad',
                    render: (_: unknown, l: Line) =>
                      isPast(l.expiryDate) ? (
                        <Tag color="red">{l.quantity}</Tag>
                      ) : (
                        <InputNumber
                          min={0}
                          max={l.quantity}
                          precision={0}
                          size="small"
                          aria-label={`${t('gsp.returns.nonconforming')} ${l.lot}${l.serial === null ? '' : ` ${l.serial}`}`}
                          value={bad[l.id] ?? 0}
                          onChange={(v) => setBad({ ...bad, [l.id]: v ?? 0 })}
                        />
                      ),
                  },
                  {
                    title: t('gsp.returns.qualified'),
                    key: 'good',
                    render: (_: unknown, l: Line) => l.quantity - nonconforming(l),
                  },
                ]
              : [
                  {
                    title: t('gsp.common.status'),
                    key: 'quality',
                    render: (_: unknown, l: Line) => (
                      <Tag color={QUALITY_COLOURS[l.qualityStatus]}>
                        {t(`gsp.returns.qualityStatuses.${l.qualityStatus}`)}
                        {l.qualityStatus === 'pending' ? '' : ` ${l.qualified} / ${l.nonconforming}`}
                      </Tag>
                    ),
                  },
                ]),
          ]}
        />
        {inspecting && (
          <Space orientation="vertical" className="ml-full-width ml-form-top">
            <Input.TextArea
              rows={2}
              placeholder={t('gsp.common.note')}
              aria-label={t('gsp.common.note')}
              maxLength={500}
              value={note}
              onChange={(e) => setNote(e.target.value)}
            />
            <Button type="primary" icon={<SafetyCertificateOutlined aria-hidden />} onClick={() => setSigning(true)}>
              {t('gsp.returns.inspect')}
            </Button>
          </Space>
        )}
      </Card>
      <SignatureDialog
        open={signing}
        title={t('gsp.returns.signTitle')}
        renderError={(e) => <GspErrorAlert error={e} />}
        meaning={
          <Alert
            type={totals.nonconforming > 0 ? 'warning' : 'success'}
            title={t('gsp.returns.meaning', { number: r.returnNo, ...totals })}
          />
        }
        confirmLabel={t('gsp.returns.confirm')}
        onSign={(code) =>
          inspectCustomerReturn(r.id, {
            lines: decisions,
            note: note.trim(),
            ...(code === undefined ? {} : { code }),
          })
        }
        onSigned={() => {
          setSigning(false);
          void message.success(t('gsp.returns.inspected'));
          void queryClient.invalidateQueries({ queryKey: salesKey });
        }}
        onCancel={() => setSigning(false)}
      />
    </Space>
  );
}
