import type { MaintenanceChecklist, MaintenanceDueResponse, StockRow } from '@medledger/contract';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { inventoryKey, useStock } from '../../api/inventory';
import { useWarehouses } from '../../api/master-data';
import {
  MAINTENANCE_RECORD_PERMISSION,
  recordMaintenanceCheck,
  useMaintenanceChecks,
  useMaintenanceDue,
  type MaintenanceCheckSummary,
} from '../../api/stocktake';
import { formatLocalTime } from '../../app/format';
import { useCurrentSession } from '../../app/session';
import { SignatureDialog } from '../../components/signature-dialog';
import { ExpiryDate, GspErrorAlert, StorageTag } from '../gsp/gsp-format';

type DueArea = MaintenanceDueResponse['areas'][number];
type Gap = MaintenanceDueResponse['climateGaps'][number];
interface LotFinding {
  lotId: string;
  lot: string;
  serial: string | null;
  productCode: string;
  productName: string;
  expiryDate: string | null;
  appearanceOk: boolean;
  packagingOk: boolean;
  expiryOk: boolean;
  suspect: boolean;
  finding: string;
}

const CHECK_ITEMS = ['storageConditions', 'protection', 'hygiene', 'climateMonitoring', 'coldAlarms'] as const;

/** The lots on hand in one storage area (stock rows of the area's locations, one per lot). */
function lotsOfArea(rows: readonly StockRow[], locationIds: ReadonlySet<string>): LotFinding[] {
  const byLot = new Map<string, LotFinding>();
  for (const r of rows) {
    if (!locationIds.has(r.locationId) || byLot.has(r.lotId)) continue;
    byLot.set(r.lotId, {
      lotId: r.lotId,
      lot: r.lot,
      serial: r.serial,
      productCode: r.productCode,
      productName: r.productName,
      expiryDate: r.expiryDate,
      appearanceOk: true,
      packagingOk: true,
      expiryOk: r.state !== 'expired',
      suspect: false,
      finding: '',
    });
  }
  return [...byLot.values()];
}

/** The check form of one area: the art. 74 checklist, each lot's findings, then the checker's signature. */
function CheckForm() {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const warehouses = useWarehouses();
  const [areaId, setAreaId] = useState<string | undefined>();
  const [checklist, setChecklist] = useState<Record<(typeof CHECK_ITEMS)[number], boolean>>({
    storageConditions: true,
    protection: true,
    hygiene: true,
    climateMonitoring: true,
    coldAlarms: true,
  });
  const [edits, setEdits] = useState<Record<string, Partial<LotFinding>>>({});
  const [note, setNote] = useState('');
  const [signing, setSigning] = useState(false);
  const [done, setDone] = useState<number | null>(null);
  const all = (warehouses.data?.warehouses ?? []).flatMap((w) => w.areas.map((a) => ({ w, a })));
  const chosen = all.find((x) => x.a.id === areaId);
  const stock = useStock({ warehouseId: chosen?.w.id });
  const locationIds = new Set(chosen?.a.locations.map((l) => l.id) ?? []);
  const lots =
    chosen === undefined
      ? []
      : lotsOfArea(stock.data?.rows ?? [], locationIds).map((l) => ({ ...l, ...(edits[l.lotId] ?? {}) }));
  const cold = chosen !== undefined && chosen.a.storage !== 'normal';
  const edit = (lotId: string, change: Partial<LotFinding>) =>
    setEdits((e) => ({ ...e, [lotId]: { ...(e[lotId] ?? {}), ...change } }));
  const missingFinding = lots.some((l) => l.suspect && l.finding.trim().length < 2);
  const suspects = lots.filter((l) => l.suspect).length;
  const body = (code: string | undefined) => {
    const list: MaintenanceChecklist = { ...checklist, coldAlarms: cold ? checklist.coldAlarms : null };
    const trimmed = note.trim();
    return {
      areaId: areaId ?? '',
      checklist: list,
      lots: lots.map((l) => ({
        lotId: l.lotId,
        appearanceOk: l.appearanceOk,
        packagingOk: l.packagingOk,
        expiryOk: l.expiryOk,
        suspect: l.suspect,
        ...(l.finding.trim() === '' ? {} : { finding: l.finding.trim() }),
      })),
      ...(trimmed === '' ? {} : { note: trimmed }),
      code,
    };
  };

  return (
    <Card title={t('maintenance.newCheck')}>
      <Select
        className="ml-select-wide ml-toolbar"
        placeholder={t('maintenance.area')}
        aria-label={t('maintenance.area')}
        loading={warehouses.isPending}
        value={areaId}
        options={all.map(({ w, a }) => ({ value: a.id, label: `${w.code} / ${a.code} ${a.name}` }))}
        onChange={(v: string) => {
          setAreaId(v);
          setEdits({});
          setDone(null);
        }}
      />
      {chosen !== undefined && (
        <Space orientation="vertical" className="ml-full-width">
          <Space wrap>
            <StorageTag storage={chosen.a.storage} />
            {CHECK_ITEMS.filter((k) => k !== 'coldAlarms' || cold).map((k) => (
              <Checkbox
                key={k}
                checked={checklist[k]}
                onChange={(e) => setChecklist((c) => ({ ...c, [k]: e.target.checked }))}
              >
                {t(`maintenance.items.${k}`)}
              </Checkbox>
            ))}
          </Space>
          <Table<LotFinding>
            rowKey="lotId"
            size="small"
            loading={stock.isPending}
            dataSource={lots}
            locale={{ emptyText: t('maintenance.noLots') }}
            pagination={false}
            rowClassName={(l) => (l.suspect ? 'ml-row-expired' : '')}
            columns={[
              {
                title: t('gsp.common.product'),
                key: 'p',
                render: (_: unknown, l) => `${l.productCode} ${l.productName}`,
              },
              {
                title: t('stocktake.lot'),
                key: 'lot',
                render: (_: unknown, l) => (l.serial === null ? l.lot : `${l.lot} / ${l.serial}`),
              },
              { title: t('stocktake.expiry'), key: 'e', render: (_: unknown, l) => <ExpiryDate date={l.expiryDate} /> },
              ...(['appearanceOk', 'packagingOk', 'expiryOk'] as const).map((k) => ({
                title: t(`maintenance.lot.${k}`),
                key: k,
                render: (_: unknown, l: LotFinding) => (
                  <Checkbox
                    checked={l[k]}
                    aria-label={`${t(`maintenance.lot.${k}`)} ${l.lot}`}
                    onChange={(e) => edit(l.lotId, { [k]: e.target.checked })}
                  />
                ),
              })),
              {
                title: t('maintenance.lot.suspect'),
                key: 'suspect',
                render: (_: unknown, l) => (
                  <Checkbox
                    checked={l.suspect}
                    aria-label={`${t('maintenance.lot.suspect')} ${l.lot}`}
                    onChange={(e) => edit(l.lotId, { suspect: e.target.checked })}
                  />
                ),
              },
              {
                title: t('maintenance.lot.finding'),
                key: 'finding',
                render: (_: unknown, l) => (
                  <Input
                    value={l.finding}
                    maxLength={300}
                    aria-label={`${t('maintenance.lot.finding')} ${l.lot}`}
                    status={l.suspect && l.finding.trim().length < 2 ? 'error' : undefined}
                    onChange={(e) => edit(l.lotId, { finding: e.target.value })}
                  />
                ),
              },
            ]}
          />
          {suspects > 0 && (
            <Alert type="warning" showIcon title={t('maintenance.suspectWarning', { count: suspects })} />
          )}
          <Input.TextArea
            rows={2}
            maxLength={500}
            value={note}
            aria-label={t('gsp.common.note')}
            placeholder={t('gsp.common.note')}
            onChange={(e) => setNote(e.target.value)}
          />
          <Button type="primary" disabled={missingFinding} onClick={() => setSigning(true)}>
            {t('maintenance.sign')}
          </Button>
          {done !== null && (
            <Alert
              type="success"
              showIcon
              data-testid="check-recorded"
              title={t('maintenance.recorded', { count: done })}
            />
          )}
        </Space>
      )}
      <SignatureDialog
        renderError={(e) => <GspErrorAlert error={e} />}
        open={signing}
        title={t('maintenance.signTitle')}
        meaning={
          <Alert
            type={suspects > 0 ? 'warning' : 'info'}
            title={t('maintenance.meaning', {
              area: chosen === undefined ? '' : `${chosen.w.code} / ${chosen.a.code}`,
              lots: lots.length,
              suspects,
            })}
          />
        }
        confirmLabel={t('maintenance.signConfirm')}
        onSign={(code) => recordMaintenanceCheck(body(code))}
        onSigned={() => {
          setSigning(false);
          setDone(suspects);
          setEdits({});
          void queryClient.invalidateQueries({ queryKey: inventoryKey });
        }}
        onCancel={() => setSigning(false)}
      />
    </Card>
  );
}

/** `/inventory/maintenance`: what is due (checks and twice-daily climate records), the check form and past checks. */
export function MaintenancePage() {
  const { t, i18n } = useTranslation();
  const { permissions } = useCurrentSession();
  const due = useMaintenanceDue();
  const checks = useMaintenanceChecks();
  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>{t('maintenance.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('maintenance.intro')}</Typography.Paragraph>
      <Card title={t('maintenance.dueTitle')}>
        {due.isError ? (
          <GspErrorAlert error={due.error} />
        ) : (
          <Table<DueArea>
            rowKey="areaId"
            size="small"
            loading={due.isPending}
            dataSource={due.data?.areas ?? []}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            columns={[
              {
                title: t('maintenance.area'),
                key: 'area',
                render: (_: unknown, a) => `${a.warehouseCode} / ${a.areaCode} ${a.areaName}`,
              },
              {
                title: t('maintenance.storage'),
                key: 's',
                render: (_: unknown, a) => <StorageTag storage={a.storage} />,
              },
              {
                title: t('maintenance.interval'),
                key: 'i',
                render: (_: unknown, a) => t(`maintenance.reasons.${a.reason}`, { days: a.intervalDays }),
              },
              {
                title: t('maintenance.lastChecked'),
                key: 'l',
                render: (_: unknown, a) =>
                  a.lastCheckedAt === null
                    ? t('maintenance.never')
                    : formatLocalTime(a.lastCheckedAt, i18n.language, 'short'),
              },
              {
                title: t('maintenance.dueDate'),
                key: 'd',
                render: (_: unknown, a) => (
                  <Tag color={a.due ? 'red' : 'green'} data-due={a.due}>
                    {a.due ? t('maintenance.dueNow', { date: a.dueDate }) : a.dueDate}
                  </Tag>
                ),
              },
            ]}
          />
        )}
      </Card>
      <Card title={t('maintenance.gapsTitle')}>
        <Typography.Paragraph type="secondary">{t('maintenance.gapsIntro')}</Typography.Paragraph>
        <Table<Gap>
          rowKey={(g) => `${g.areaId}-${g.day}-${g.slot}`}
          size="small"
          loading={due.isPending}
          dataSource={due.data?.climateGaps ?? []}
          locale={{ emptyText: t('maintenance.noGaps') }}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          columns={[
            { title: t('maintenance.area'), key: 'a', render: (_: unknown, g) => `${g.warehouseCode} / ${g.areaCode}` },
            { title: t('maintenance.day'), dataIndex: 'day' },
            {
              title: t('maintenance.slot'),
              key: 'slot',
              render: (_: unknown, g) => <Tag color="red">{t(`maintenance.slots.${g.slot}`)}</Tag>,
            },
          ]}
        />
      </Card>
      {permissions.includes(MAINTENANCE_RECORD_PERMISSION) && <CheckForm />}
      <Card title={t('maintenance.historyTitle')}>
        <Table<MaintenanceCheckSummary>
          rowKey="id"
          size="small"
          loading={checks.isPending}
          dataSource={checks.data?.checks ?? []}
          locale={{ emptyText: t('maintenance.noChecks') }}
          pagination={{ pageSize: 50, hideOnSinglePage: true }}
          columns={[
            {
              title: t('maintenance.checkedAt'),
              key: 'at',
              render: (_: unknown, c) => formatLocalTime(c.checkedAt, i18n.language, 'short'),
            },
            { title: t('maintenance.area'), key: 'a', render: (_: unknown, c) => `${c.warehouseCode} / ${c.areaCode}` },
            { title: t('maintenance.checkedBy'), dataIndex: 'checkedByName' },
            {
              title: t('maintenance.suspectLots'),
              key: 's',
              render: (_: unknown, c) =>
                c.suspectLots > 0 ? <Tag color="red">{c.suspectLots}</Tag> : <Tag color="green">0</Tag>,
            },
            { title: t('gsp.common.note'), key: 'n', render: (_: unknown, c) => c.note ?? '' },
          ]}
        />
      </Card>
    </Space>
  );
}
