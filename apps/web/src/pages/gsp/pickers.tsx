import type { PartyView, ProductView } from '@medledger/contract';
import { Select } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParties, useProducts, useWarehouses } from '../../api/master-data';

interface PickerProps<T> {
  id?: string;
  value?: string | undefined;
  onChange?: (id: string | undefined) => void;
  /** The whole record behind the chosen id (for defaults such as the delivery address). */
  onPick?: (record: T | undefined) => void;
  placeholder?: string;
  /** Label of the current value when the list does not hold it (e.g. a draft being edited). */
  fallbackLabel?: string | undefined;
  disabled?: boolean;
  allowClear?: boolean;
  'aria-label'?: string;
}

const LIST = { page: 1, pageSize: 50, status: 'approved' as const };

type Option = { value: string; label: string };
function withFallback(options: Option[], value: string | undefined, label: string | undefined): Option[] {
  if (value === undefined || label === undefined || options.some((o) => o.value === value)) return options;
  return [{ value, label }, ...options];
}

/** An approved product, searched on the server by code or name (only approved ones can be traded). */
export function ProductSelect({ onPick, onChange, fallbackLabel, ...props }: PickerProps<ProductView>) {
  const { t } = useTranslation();
  const [q, setQ] = useState('');
  const [chosen, setChosen] = useState<ProductView>();
  const products = useProducts({ ...LIST, q: q.trim() || undefined });
  const found = products.data?.products ?? [];
  // The chosen record stays an option when a later search no longer lists it.
  const list = chosen === undefined || found.some((p) => p.id === chosen.id) ? found : [chosen, ...found];
  return (
    <Select
      {...props}
      showSearch={{ filterOption: false, onSearch: setQ }}
      className="ml-select-wide"
      placeholder={props.placeholder ?? t('gsp.common.productSearch')}
      loading={products.isFetching}
      notFoundContent={t('gsp.common.loadMore')}
      options={withFallback(
        list.map((p) => ({ value: p.id, label: `${p.code} ${p.name} ${p.model} ${p.specification}` })),
        props.value,
        fallbackLabel,
      )}
      onChange={(id: string | undefined) => {
        const record = list.find((p) => p.id === id);
        setChosen(record);
        onChange?.(id);
        onPick?.(record);
      }}
    />
  );
}

/** An approved supplier or customer, searched on the server by code or name. */
export function PartySelect({
  role,
  onPick,
  onChange,
  fallbackLabel,
  ...props
}: PickerProps<PartyView> & { role: 'supplier' | 'customer' }) {
  const [q, setQ] = useState('');
  const [chosen, setChosen] = useState<PartyView>();
  const parties = useParties({ ...LIST, role, q: q.trim() || undefined });
  const found = parties.data?.parties ?? [];
  const list = chosen === undefined || found.some((p) => p.id === chosen.id) ? found : [chosen, ...found];
  return (
    <Select
      {...props}
      showSearch={{ filterOption: false, onSearch: setQ }}
      className="ml-select-wide"
      loading={parties.isFetching}
      options={withFallback(
        list.map((p) => ({ value: p.id, label: `${p.code} ${p.name}` })),
        props.value,
        fallbackLabel,
      )}
      onChange={(id: string | undefined) => {
        const record = list.find((p) => p.id === id);
        setChosen(record);
        onChange?.(id);
        onPick?.(record);
      }}
    />
  );
}

/** A warehouse of the company (it decides the site, the data scope, of the document). */
export function WarehouseSelect({ onChange, fallbackLabel: _f, ...props }: Omit<PickerProps<never>, 'onPick'>) {
  const warehouses = useWarehouses();
  return (
    <Select
      {...props}
      className="ml-select-wide"
      loading={warehouses.isPending}
      options={(warehouses.data?.warehouses ?? []).map((w) => ({
        value: w.id,
        label: `${w.code} ${w.name}`,
      }))}
      onChange={(id: string | undefined) => onChange?.(id)}
    />
  );
}
