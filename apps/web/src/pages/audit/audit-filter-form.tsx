import { AUDIT_OUTCOMES, type AuditOutcome } from '@medledger/contract';
import { Button, DatePicker, Form, Input, Select } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import type { AuditFilters } from '../../api/audit';
import { currentLocale } from '../../app/i18n';
import { actionOptions } from './audit-format';

/** What the range picker holds (antd's date objects); only these two methods are used. */
export interface PickedTime {
  toISOString(): string;
  endOf(unit: 'second'): PickedTime;
}

export interface AuditFilterValues {
  actor?: string | undefined;
  action?: string | undefined;
  outcome?: AuditOutcome | undefined;
  resourceType?: string | undefined;
  resourceId?: string | undefined;
  range?: [PickedTime | null | undefined, PickedTime | null | undefined] | null | undefined;
}

const clean = (value: string | undefined) => value?.trim() || undefined;

/**
 * The form's values as API filters: blanks left out, times as ISO 8601 instants. The picker shows
 * whole seconds, so the end of the range includes the whole second it names (the server's `to` is exclusive).
 */
export function toAuditFilters(values: AuditFilterValues): AuditFilters {
  const [start, end] = values.range ?? [];
  const filters: AuditFilters = {};
  const set = <K extends keyof AuditFilters>(key: K, value: AuditFilters[K]) => {
    if (value !== undefined) filters[key] = value;
  };
  set('actor', clean(values.actor));
  set('action', values.action || undefined);
  set('outcome', values.outcome || undefined);
  set('resourceType', clean(values.resourceType));
  set('resourceId', clean(values.resourceId));
  set('from', start ? start.toISOString() : undefined);
  set('to', end ? new Date(Date.parse(end.endOf('second').toISOString()) + 1).toISOString() : undefined);
  return filters;
}

export function AuditFilterForm({ onSearch }: { onSearch: (filters: AuditFilters) => void }) {
  const { t, i18n } = useTranslation();
  const [form] = Form.useForm<AuditFilterValues>();
  const locale = currentLocale(i18n);
  const actions = useMemo(() => actionOptions(locale), [locale]);
  const outcomes = AUDIT_OUTCOMES.map((outcome) => ({ value: outcome, label: t(`audit.outcome.${outcome}`) }));

  return (
    <Form<AuditFilterValues>
      form={form}
      layout="vertical"
      className="ml-audit-filters"
      role="search"
      onFinish={(values) => onSearch(toAuditFilters(values))}
      onReset={() => onSearch({})}
    >
      <Form.Item name="actor" label={t('audit.filters.actor')}>
        <Input allowClear maxLength={200} placeholder={t('audit.filters.actorPlaceholder')} />
      </Form.Item>
      <Form.Item name="action" label={t('audit.filters.action')}>
        <Select
          allowClear
          showSearch={{ optionFilterProp: ['label', 'value'] }}
          options={actions}
          placeholder={t('audit.filters.actionPlaceholder')}
          popupMatchSelectWidth={false}
        />
      </Form.Item>
      <Form.Item name="outcome" label={t('audit.filters.outcome')}>
        <Select allowClear options={outcomes} placeholder={t('audit.filters.outcomePlaceholder')} />
      </Form.Item>
      <Form.Item name="resourceType" label={t('audit.filters.resourceType')}>
        <Input allowClear maxLength={100} />
      </Form.Item>
      <Form.Item name="resourceId" label={t('audit.filters.resourceId')}>
        <Input allowClear maxLength={200} />
      </Form.Item>
      <Form.Item name="range" label={t('audit.filters.timeRange')} className="ml-audit-range">
        <DatePicker.RangePicker
          showTime
          format="YYYY-MM-DD HH:mm:ss"
          allowEmpty={[true, true]}
          placeholder={[t('audit.filters.timeStart'), t('audit.filters.timeEnd')]}
        />
      </Form.Item>
      <div className="ml-audit-filter-actions">
        <Button type="primary" htmlType="submit">
          {t('audit.filters.search')}
        </Button>
        <Button htmlType="reset">{t('audit.filters.reset')}</Button>
      </div>
    </Form>
  );
}
