import { GSP_ZONES, type GspZone, type StockRow } from '@medledger/contract';
import { useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Drawer, Input, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  LOT_HOLD_PERMISSION,
  inventoryKey,
  setLotHold,
  useLotMovements,
  useStock,
  type MovementView,
  type StockFilters,
  type StockState,
} from '../../api/inventory';
import { formatLocalTime } from '../../app/format';
import { useCurrentSession } from '../../app/session';
import { ExpiryDate, GspErrorAlert } from '../gsp/gsp-format';
import { ProductSelect, WarehouseSelect } from '../gsp/pickers';
import { ReasonModal } from '../gsp/reason-modal';
import { ZoneTag } from '../master-data/md-format';
import { MOVEMENT_REVERSE_PERMISSION, STOCK_MOVE_PERMISSION, reverseMovement } from '../../api/ledgers';
import { TransferModal } from './transfer-modal';

const STATES: readonly StockState[] = ['available', 'near_expiry', 'expired', 'held', 'not_qualified'];

/** Expired red (locked), near expiry orange, held purple, not qualified grey, available green. */
export const STATE_COLOURS: Record<StockState, string> = {
  available: 'green',
  near_expiry: 'orange',
  expired: 'red',
  held: 'purple',
  not_qualified: 'default',
};

export function StockStateTag({ state }: { state: StockState }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATE_COLOURS[state]} data-state={state}>
      {t(`gsp.stock.states.${state}`)}
    </Tag>
  );
}

const lotLabel = (r: { lot: string; serial: string | null }) => (r.serial === null ? r.lot : `${r.lot} / ${r.serial}`);

/** The ledger of one lot: every movement, reversals linked; never edited. */
function MovementsDrawer({ row, onClose }: { row: StockRow | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { permissions } = useCurrentSession();
  const canReverse = permissions.includes(MOVEMENT_REVERSE_PERMISSION);
  const [reversing, setReversing] = useState<MovementView | null>(null);
  const movements = useLotMovements(row?.lotId ?? null);
  const bySeq = new Map((movements.data?.movements ?? []).map((m) => [m.id, m.seq]));
  return (
    <Drawer
      open={row !== null}
      size="large"
      title={row === null ? '' : t('gsp.stock.movementsTitle', { lot: lotLabel(row) })}
      onClose={onClose}
      destroyOnHidden
    >
      {movements.isError && <GspErrorAlert error={movements.error} />}
      <Table<MovementView>
        rowKey="id"
        size="small"
        loading={movements.isPending}
        pagination={false}
        dataSource={movements.data?.movements ?? []}
        columns={[
          { title: t('gsp.stock.seq'), dataIndex: 'seq', width: 64 },
          {
            title: t('gsp.common.time'),
            key: 'at',
            render: (_: unknown, m) => formatLocalTime(m.at, i18n.language, 'short'),
          },
          { title: t('gsp.stock.kind'), key: 'kind', render: (_: unknown, m) => t(`gsp.stock.kinds.${m.kind}`) },
          { title: t('gsp.common.location'), dataIndex: 'locationCode' },
          { title: t('gsp.common.zone'), key: 'zone', render: (_: unknown, m) => <ZoneTag zone={m.zone} /> },
          {
            title: t('gsp.stock.quantity'),
            key: 'q',
            className: 'ml-amount',
            render: (_: unknown, m) => (m.quantity > 0 ? `+${m.quantity}` : String(m.quantity)),
          },
          { title: t('gsp.stock.document'), key: 'doc', render: (_: unknown, m) => m.docType },
          {
            title: t('gsp.stock.reversal'),
            key: 'rev',
            render: (_: unknown, m) =>
              m.reversalOf !== null
                ? t('gsp.stock.reversalOf', { seq: bySeq.get(m.reversalOf) ?? '?' })
                : m.reversedBy !== null
                  ? t('gsp.stock.reversedBy')
                  : '',
          },
          { title: t('gsp.common.operator'), dataIndex: 'actorName' },
          { title: t('gsp.common.note'), key: 'note', render: (_: unknown, m) => m.note ?? '' },
          ...(canReverse
            ? [
                {
                  title: '',
                  key: 'reverse',
                  render: (_: unknown, m: MovementView) =>
                    m.reversalOf === null && m.reversedBy === null ? (
                      <Button size="small" danger onClick={() => setReversing(m)}>
                        {t('ledgers.reversal.action')}
                      </Button>
                    ) : null,
                },
              ]
            : []),
        ]}
      />
      <ReasonModal
        open={reversing !== null}
        title={t('ledgers.reversal.title', { seq: reversing?.seq ?? '' })}
        intro={t('ledgers.reversal.intro')}
        okText={t('ledgers.reversal.confirm')}
        onConfirm={(reason) => reverseMovement(reversing?.id ?? '', reason)}
        onDone={() => {
          setReversing(null);
          void message.success(t('ledgers.reversal.done'));
          void queryClient.invalidateQueries({ queryKey: inventoryKey });
        }}
        onCancel={() => setReversing(null)}
      />
    </Drawer>
  );
}

/** `/inventory`: stock on hand with its state, lot holds and each lot's ledger. */
export function StockPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { permissions } = useCurrentSession();
  const canHold = permissions.includes(LOT_HOLD_PERMISSION);
  const canMove = permissions.includes(STOCK_MOVE_PERMISSION);
  const [moving, setMoving] = useState<StockRow | null>(null);
  const [filters, setFilters] = useState<StockFilters>({});
  const [ledgerOf, setLedgerOf] = useState<StockRow | null>(null);
  const [holding, setHolding] = useState<{ row: StockRow; hold: boolean } | null>(null);
  const stock = useStock(filters);
  const data = stock.data;

  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>{t('gsp.stock.title')}</Typography.Title>
      <Card>
        <Typography.Paragraph type="secondary">{t('gsp.stock.intro')}</Typography.Paragraph>
        <Space wrap className="ml-toolbar">
          <ProductSelect
            allowClear
            aria-label={t('gsp.stock.product')}
            placeholder={t('gsp.stock.product')}
            value={filters.productId}
            onChange={(productId) => setFilters({ ...filters, productId })}
          />
          <WarehouseSelect
            allowClear
            aria-label={t('gsp.stock.warehouse')}
            placeholder={t('gsp.stock.warehouse')}
            value={filters.warehouseId}
            onChange={(warehouseId) => setFilters({ ...filters, warehouseId })}
          />
          <Select<GspZone>
            allowClear
            aria-label={t('gsp.stock.zone')}
            placeholder={t('gsp.stock.zone')}
            className="ml-select-status"
            options={GSP_ZONES.map((z) => ({ value: z, label: t(`masterData.zones.${z}`) }))}
            onChange={(zone) => setFilters({ ...filters, zone })}
          />
          <Select<StockState>
            allowClear
            aria-label={t('gsp.stock.state')}
            placeholder={t('gsp.stock.state')}
            className="ml-select-status"
            options={STATES.map((s) => ({ value: s, label: t(`gsp.stock.states.${s}`) }))}
            onChange={(state) => setFilters({ ...filters, state })}
          />
          <Input.Search
            allowClear
            placeholder={t('gsp.stock.lotSearch')}
            aria-label={t('gsp.stock.lotSearch')}
            onSearch={(lot) => setFilters({ ...filters, lot: lot.trim() || undefined })}
          />
        </Space>
        {data !== undefined && (
          <Typography.Paragraph type="secondary">
            {t('gsp.stock.today', { today: data.today, days: data.nearExpiryDays })}
          </Typography.Paragraph>
        )}
        {data?.truncated === true && (
          <Alert className="ml-form-notice" type="warning" showIcon title={t('gsp.stock.truncated')} />
        )}
        {stock.isError ? (
          <GspErrorAlert error={stock.error} />
        ) : (
          <Table<StockRow>
            rowKey={(r) => `${r.lotId}|${r.locationId}`}
            size="middle"
            loading={stock.isPending || stock.isFetching}
            dataSource={data?.rows ?? []}
            locale={{ emptyText: t('gsp.stock.empty') }}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            scroll={{ x: true }}
            rowClassName={(r) => (r.state === 'expired' ? 'ml-row-expired' : '')}
            columns={[
              { title: t('gsp.common.productCode'), dataIndex: 'productCode' },
              { title: t('gsp.common.productName'), dataIndex: 'productName' },
              { title: t('gsp.common.lot'), dataIndex: 'lot' },
              { title: t('gsp.common.serial'), key: 'serial', render: (_: unknown, r) => r.serial ?? '—' },
              {
                title: t('gsp.common.expiryDate'),
                key: 'expiry',
                render: (_: unknown, r) => <ExpiryDate date={r.expiryDate} />,
              },
              { title: t('gsp.stock.warehouse'), dataIndex: 'warehouseCode' },
              { title: t('gsp.common.location'), dataIndex: 'locationCode' },
              { title: t('gsp.stock.zone'), key: 'zone', render: (_: unknown, r) => <ZoneTag zone={r.zone} /> },
              { title: t('gsp.stock.quantity'), dataIndex: 'quantity', className: 'ml-amount' },
              {
                title: t('gsp.stock.state'),
                key: 'state',
                render: (_: unknown, r) => (
                  <Space size={4} wrap>
                    <StockStateTag state={r.state} />
                    {r.holdReason !== null && <Typography.Text type="secondary">{r.holdReason}</Typography.Text>}
                  </Space>
                ),
              },
              {
                title: '',
                key: 'actions',
                render: (_: unknown, r) => (
                  <Space size={4}>
                    <Button size="small" onClick={() => setLedgerOf(r)}>
                      {t('gsp.stock.movements')}
                    </Button>
                    {canMove && (
                      <Button size="small" onClick={() => setMoving(r)}>
                        {t('ledgers.transfer.action')}
                      </Button>
                    )}
                    {canHold &&
                      (r.holdReason === null ? (
                        <Button size="small" danger onClick={() => setHolding({ row: r, hold: true })}>
                          {t('gsp.stock.hold')}
                        </Button>
                      ) : (
                        <Button size="small" onClick={() => setHolding({ row: r, hold: false })}>
                          {t('gsp.stock.release')}
                        </Button>
                      ))}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>
      <MovementsDrawer row={ledgerOf} onClose={() => setLedgerOf(null)} />
      <TransferModal
        row={moving}
        onDone={() => {
          setMoving(null);
          void message.success(t('ledgers.transfer.done'));
          void queryClient.invalidateQueries({ queryKey: inventoryKey });
        }}
        onCancel={() => setMoving(null)}
      />
      <ReasonModal
        open={holding !== null}
        title={
          holding === null
            ? ''
            : holding.hold
              ? t('gsp.stock.holdTitle', { lot: lotLabel(holding.row) })
              : t('gsp.stock.releaseTitle', { lot: lotLabel(holding.row) })
        }
        intro={holding?.hold === false ? t('gsp.stock.releaseIntro') : t('gsp.stock.holdIntro')}
        okText={holding?.hold === false ? t('gsp.stock.release') : t('gsp.stock.hold')}
        onConfirm={(reason) => setLotHold(holding?.row.lotId ?? '', holding?.hold ?? true, reason)}
        onDone={() => {
          if (holding !== null) {
            const lot = lotLabel(holding.row);
            void message.success(holding.hold ? t('gsp.stock.held', { lot }) : t('gsp.stock.released', { lot }));
          }
          setHolding(null);
          void queryClient.invalidateQueries({ queryKey: inventoryKey });
        }}
        onCancel={() => setHolding(null)}
      />
    </Space>
  );
}
