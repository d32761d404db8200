import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Form, Input, InputNumber, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import {
  CLIMATE_RECORD_PERMISSION,
  inventoryKey,
  recordClimate,
  useClimate,
  type ClimateView,
} from '../../api/inventory';
import { useWarehouses } from '../../api/master-data';
import { formatLocalTime } from '../../app/format';
import { useCurrentSession } from '../../app/session';
import { GspErrorAlert } from '../gsp/gsp-format';

interface Values {
  areaId?: string;
  temperature?: number | null;
  humidity?: number | null;
  note?: string;
}

/** Storage areas of every warehouse as select options, named with their zone and storage condition. */
function useAreaOptions() {
  const { t } = useTranslation();
  const warehouses = useWarehouses();
  const options = (warehouses.data?.warehouses ?? []).flatMap((w) =>
    w.areas.map((a) => ({
      value: a.id,
      label: `${w.code} / ${a.code} ${a.name}（${t(`masterData.zones.${a.zone}`)} · ${t(`masterData.storage.${a.storage}`)}）`,
    })),
  );
  return { options, loading: warehouses.isPending };
}

/** `/inventory/climate`: temperature and humidity of each storage area (GSP art. 74), out-of-range flagged. */
export function ClimatePage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const { permissions } = useCurrentSession();
  const [form] = Form.useForm<Values>();
  const [areaId, setAreaId] = useState<string | undefined>();
  const [last, setLast] = useState<ClimateView | null>(null);
  const areas = useAreaOptions();
  const records = useClimate({ areaId });
  const areaLabel = (id: string) => areas.options.find((o) => o.value === id)?.label ?? id;
  const save = useMutation({
    mutationFn: (v: Values) => {
      const note = (v.note ?? '').trim();
      return recordClimate({
        areaId: v.areaId ?? '',
        temperature: v.temperature ?? 0,
        humidity: v.humidity ?? 0,
        ...(note === '' ? {} : { note }),
      });
    },
    onSuccess: async ({ record }) => {
      setLast(record);
      if (record.outOfRange) void message.warning(t('gsp.climate.recordedOutOfRange'));
      else void message.success(t('gsp.climate.recorded'));
      form.resetFields(['temperature', 'humidity', 'note']);
      await queryClient.invalidateQueries({ queryKey: inventoryKey });
    },
  });
  const required = { required: true, message: t('gsp.common.required') };

  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>{t('gsp.climate.title')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('gsp.climate.intro')}</Typography.Paragraph>
      {permissions.includes(CLIMATE_RECORD_PERMISSION) && (
        <Card title={t('gsp.climate.newRecord')}>
          <Form<Values>
            form={form}
            name="climate"
            layout="inline"
            requiredMark={false}
            onFinish={(v) => save.mutate(v)}
          >
            <Form.Item label={t('gsp.climate.area')} name="areaId" rules={[required]}>
              <Select
                className="ml-select-wide"
                aria-label={t('gsp.climate.area')}
                loading={areas.loading}
                options={areas.options}
              />
            </Form.Item>
            <Form.Item label={t('gsp.climate.temperature')} name="temperature" rules={[required]}>
              <InputNumber min={-60} max={60} step={0.1} precision={1} aria-label={t('gsp.climate.temperature')} />
            </Form.Item>
            <Form.Item label={t('gsp.climate.humidity')} name="humidity" rules={[required]}>
              <InputNumber min={0} max={100} step={1} precision={1} aria-label={t('gsp.climate.humidity')} />
            </Form.Item>
            <Form.Item label={t('gsp.climate.note')} name="note" rules={[{ max: 200 }]}>
              <Input autoComplete="off" />
            </Form.Item>
            <Form.Item>
              <Button type="primary" htmlType="submit" loading={save.isPending}>
                {t('gsp.climate.record')}
              </Button>
            </Form.Item>
          </Form>
          {save.isError && <GspErrorAlert error={save.error} />}
          {last !== null && (
            <Alert
              className="ml-form-top"
              type={last.outOfRange ? 'error' : 'success'}
              showIcon
              data-testid="climate-result"
              title={last.outOfRange ? t('gsp.climate.recordedOutOfRange') : t('gsp.climate.recorded')}
              description={`${areaLabel(last.areaId)} · ${last.temperature} ℃ · ${last.humidity} %`}
            />
          )}
        </Card>
      )}
      <Card>
        <Select
          allowClear
          className="ml-select-wide ml-toolbar"
          placeholder={t('gsp.climate.areaFilter')}
          aria-label={t('gsp.climate.areaFilter')}
          options={areas.options}
          onChange={(v: string | undefined) => setAreaId(v)}
        />
        {records.isError ? (
          <GspErrorAlert error={records.error} />
        ) : (
          <Table<ClimateView>
            rowKey="id"
            size="small"
            loading={records.isPending}
            dataSource={records.data?.records ?? []}
            locale={{ emptyText: t('gsp.climate.empty') }}
            pagination={{ pageSize: 50, hideOnSinglePage: true }}
            rowClassName={(r) => (r.outOfRange ? 'ml-row-expired' : '')}
            columns={[
              {
                title: t('gsp.climate.time'),
                key: 'at',
                render: (_: unknown, r) => formatLocalTime(r.at, i18n.language, 'short'),
              },
              { title: t('gsp.climate.area'), key: 'area', render: (_: unknown, r) => areaLabel(r.areaId) },
              { title: t('gsp.climate.temperature'), dataIndex: 'temperature' },
              { title: t('gsp.climate.humidity'), dataIndex: 'humidity' },
              {
                title: t('gsp.common.status'),
                key: 'range',
                render: (_: unknown, r) =>
                  r.outOfRange ? (
                    <Tag color="red">{t('gsp.climate.outOfRange')}</Tag>
                  ) : (
                    <Tag color="green">{t('gsp.climate.inRange')}</Tag>
                  ),
              },
              { title: t('gsp.climate.recordedBy'), dataIndex: 'recordedByName' },
              { title: t('gsp.climate.note'), key: 'note', render: (_: unknown, r) => r.note ?? '' },
            ]}
          />
        )}
      </Card>
    </Space>
  );
}
