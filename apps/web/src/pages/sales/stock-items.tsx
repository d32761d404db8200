import type { GspZone, StockRow } from '@medledger/contract';
import { InputNumber, Space, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useStock } from '../../api/inventory';
import type { StockItem } from '../../api/ledgers';
import { ExpiryDate, GspErrorAlert } from '../gsp/gsp-format';
import { WarehouseSelect } from '../gsp/pickers';
import { ZoneTag } from '../master-data/md-format';

const keyOf = (r: { lotId: string; locationId: string }) => `${r.lotId}|${r.locationId}`;

/** Quantities chosen per stock row (lot and location). */
export type ItemQuantities = Record<string, number>;

/** The chosen rows as document items (rows with a quantity above zero). */
export function itemsOf(rows: readonly StockRow[], quantities: ItemQuantities): StockItem[] {
  return rows
    .filter((r) => (quantities[keyOf(r)] ?? 0) > 0)
    .map((r) => ({ lotId: r.lotId, locationId: r.locationId, quantity: quantities[keyOf(r)]! }));
}

/**
 * Stock of one warehouse in the given zones, with a quantity to enter per row (at most what is on
 * hand): the lines of a return to a supplier or a disposal.
 */
export function StockItemsPicker({
  warehouseId,
  onWarehouse,
  zones,
  quantities,
  onQuantities,
  onRows,
}: {
  warehouseId: string | undefined;
  onWarehouse: (id: string | undefined) => void;
  zones: readonly GspZone[];
  quantities: ItemQuantities;
  onQuantities: (q: ItemQuantities) => void;
  onRows: (rows: StockRow[]) => void;
}) {
  const { t } = useTranslation();
  const stock = useStock({ warehouseId });
  const rows =
    warehouseId === undefined ? [] : (stock.data?.rows ?? []).filter((r) => zones.includes(r.zone) && r.quantity > 0);
  return (
    <Space orientation="vertical" className="ml-page-stack">
      <WarehouseSelect
        aria-label={t('ledgers.page.warehouse')}
        placeholder={t('ledgers.page.warehouse')}
        value={warehouseId}
        onChange={(id) => {
          onWarehouse(id);
          onQuantities({});
        }}
      />
      {stock.isError && <GspErrorAlert error={stock.error} />}
      {warehouseId === undefined ? (
        <Typography.Text type="secondary">{t('ledgers.supplierReturns.pickWarehouse')}</Typography.Text>
      ) : (
        <Table<StockRow>
          rowKey={keyOf}
          size="small"
          loading={stock.isPending}
          pagination={false}
          dataSource={rows}
          locale={{ emptyText: t('ledgers.lists.empty') }}
          columns={[
            {
              title: t('ledgers.stockDoc.product'),
              key: 'p',
              render: (_: unknown, r) => `${r.productCode} ${r.productName}`,
            },
            {
              title: t('ledgers.stockDoc.lot'),
              key: 'lot',
              render: (_: unknown, r) => (r.serial ? `${r.lot} / ${r.serial}` : r.lot),
            },
            {
              title: t('gsp.common.expiryDate'),
              key: 'exp',
              render: (_: unknown, r) => <ExpiryDate date={r.expiryDate} />,
            },
            { title: t('ledgers.stockDoc.location'), dataIndex: 'locationCode' },
            { title: t('ledgers.stockDoc.zone'), key: 'zone', render: (_: unknown, r) => <ZoneTag zone={r.zone} /> },
            { title: t('ledgers.stockDoc.onHand'), dataIndex: 'quantity', className: 'ml-amount' },
            {
              title: t('ledgers.stockDoc.quantity'),
              key: 'q',
              render: (_: unknown, r) => (
                <InputNumber
                  min={0}
                  max={r.quantity}
                  precision={0}
                  aria-label={`${t('ledgers.stockDoc.quantity')} ${r.lot} ${r.locationCode}`}
                  value={quantities[keyOf(r)] ?? null}
                  onChange={(v) => {
                    onQuantities({ ...quantities, [keyOf(r)]: typeof v === 'number' ? v : 0 });
                    onRows(rows);
                  }}
                />
              ),
            },
          ]}
        />
      )}
    </Space>
  );
}
