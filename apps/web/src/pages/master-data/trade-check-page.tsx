import type { TradeBlockReason, TradeCheckResponse } from '@medledger/contract';
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Card, Form, Radio, Select, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { checkTrade, useParties, useProducts, type TradeDirection } from '../../api/master-data';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { usePick } from './md-format';

interface Values {
  direction: TradeDirection;
  partyId: string;
  productId: string;
}

/** The answer of the qualification check: allowed, or every reason with what to do about it. */
export function TradeCheckResult({ result }: { result: TradeCheckResponse }) {
  const { t } = useTranslation();
  const pick = usePick();
  if (result.allowed) {
    return <Alert type="success" showIcon title={t('masterData.trade.allowed', { on: result.on })} />;
  }
  const reasons = [...new Set(result.blocks.map((b) => b.reason))];
  return (
    <Alert
      type="error"
      showIcon
      title={t('masterData.trade.blocked', { on: result.on })}
      description={
        <>
          <ul className="ml-issue-list" data-testid="trade-blocks">
            {result.blocks.map((b, i) => (
              <li key={i}>{pick(b.zh, b.en)}</li>
            ))}
          </ul>
          {reasons.map((r: TradeBlockReason) => (
            <Typography.Paragraph key={r} type="secondary" className="ml-advice">
              {t(`masterData.trade.advice.${r}`)}
            </Typography.Paragraph>
          ))}
        </>
      }
    />
  );
}

type Option = { value: string; label: string };

/** Search results as options, with the chosen record kept so that it keeps its label. */
function withChosen(current: Option[], chosen: Option | null): Option[] {
  return chosen === null || current.some((o) => o.value === chosen.value) ? current : [chosen, ...current];
}

/** `/master-data/trade-check`: may we buy this product from this party, or sell it to them, today? */
export function TradeCheckPage() {
  const { t } = useTranslation();
  const [form] = Form.useForm<Values>();
  const [partyQ, setPartyQ] = useState('');
  const [productQ, setProductQ] = useState('');
  const parties = useParties({ q: partyQ || undefined, page: 1, pageSize: 20 });
  const products = useProducts({ q: productQ || undefined, page: 1, pageSize: 20 });
  const [partyChosen, setPartyChosen] = useState<Option | null>(null);
  const [productChosen, setProductChosen] = useState<Option | null>(null);
  const check = useMutation({ mutationFn: checkTrade });
  const statusSuffix = (status: string) =>
    status === 'approved' ? '' : ` (${t(`masterData.status.${status}` as 'masterData.status.pending')})`;
  const partyOptions = withChosen(
    (parties.data?.parties ?? []).map((p) => ({
      value: p.id,
      label: `${p.code} · ${p.name}${statusSuffix(p.status)}`,
    })),
    partyChosen,
  );
  const productOptions = withChosen(
    (products.data?.products ?? []).map((p) => ({
      value: p.id,
      label: `${p.code} · ${p.name} ${p.model}${statusSuffix(p.status)}`,
    })),
    productChosen,
  );

  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>{t('masterData.trade.title')}</Typography.Title>
      <Card>
        <Typography.Paragraph type="secondary">{t('masterData.trade.intro')}</Typography.Paragraph>
        <Form<Values>
          form={form}
          name="trade-check"
          layout="vertical"
          requiredMark={false}
          initialValues={{ direction: 'purchase' }}
          onValuesChange={() => check.reset()}
          onFinish={(values) => check.mutate(values)}
        >
          <Form.Item label={t('masterData.trade.direction')} name="direction">
            <Radio.Group
              optionType="button"
              options={[
                { value: 'purchase', label: t('masterData.trade.purchase') },
                { value: 'sale', label: t('masterData.trade.sale') },
              ]}
            />
          </Form.Item>
          <Form.Item
            label={t('masterData.trade.party')}
            name="partyId"
            rules={[{ required: true, message: t('masterData.trade.partyRequired') }]}
          >
            <Select
              showSearch={{ filterOption: false, onSearch: setPartyQ }}
              loading={parties.isFetching}
              placeholder={t('masterData.trade.searchHint')}
              notFoundContent={t('masterData.trade.nothingFound')}
              options={partyOptions}
              onChange={(_v: string, option) => setPartyChosen((option as Option | undefined) ?? null)}
            />
          </Form.Item>
          <Form.Item
            label={t('masterData.trade.product')}
            name="productId"
            rules={[{ required: true, message: t('masterData.trade.productRequired') }]}
          >
            <Select
              showSearch={{ filterOption: false, onSearch: setProductQ }}
              loading={products.isFetching}
              placeholder={t('masterData.trade.searchHint')}
              notFoundContent={t('masterData.trade.nothingFound')}
              options={productOptions}
              onChange={(_v: string, option) => setProductChosen((option as Option | undefined) ?? null)}
            />
          </Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            icon={<SafetyCertificateOutlined aria-hidden />}
            loading={check.isPending}
          >
            {t('masterData.trade.check')}
          </Button>
        </Form>
      </Card>
      {check.isError && <ApiErrorAlert error={check.error} />}
      {check.data && <TradeCheckResult result={check.data} />}
    </Space>
  );
}
