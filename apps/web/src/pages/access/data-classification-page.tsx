import {
  DATA_CATEGORY_LABELS,
  DATA_FIELDS,
  DATA_LEVEL_LABELS,
  PERMISSIONS,
  PURPOSE_LEVEL,
  type ClassifiedField,
  type DataField,
  type Permission,
} from '@medledger/contract';
import { Card, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ForbiddenResult } from '../../components/forbidden-result';
import { ROLE_READ_PERMISSION } from '../../api/access';
import { useCurrentSession } from '../../app/session';

type Row = ClassifiedField & { key: DataField };

const ROWS: Row[] = (Object.entries(DATA_FIELDS) as [DataField, ClassifiedField][])
  .map(([key, field]) => ({ ...field, key }))
  .sort((a, b) => b.level - a.level || a.key.localeCompare(b.key));

const LEVEL_COLOURS: Record<number, string> = { 1: 'default', 2: 'blue', 3: 'gold', 4: 'orange', 5: 'red' };

function ClassificationForbidden() {
  const { t } = useTranslation();
  return (
    <ForbiddenResult
      title={t('classification.forbiddenTitle')}
      description={t('classification.forbiddenDescription')}
      testId="classification-forbidden"
    />
  );
}

function Requirements({ field }: { field: Row }) {
  const { t, i18n } = useTranslation();
  const zh = i18n.language === 'zh-CN';
  const note =
    field.note === undefined ? null : (
      <Typography.Text type="secondary">{zh ? field.note.zh : field.note.en}</Typography.Text>
    );
  if (field.clear === null) {
    return (
      <Space direction="vertical" size={0}>
        <Typography.Text type="secondary">{t('classification.neverInClear')}</Typography.Text>
        {note}
      </Space>
    );
  }
  const label = (p: Permission) => (zh ? PERMISSIONS[p].zh : PERMISSIONS[p].en);
  const items = [
    <Tooltip key="permission" title={field.clear}>
      <span>{t('classification.permission', { permission: label(field.clear) })}</span>
    </Tooltip>,
  ];
  if (field.level >= PURPOSE_LEVEL) {
    if (field.training !== undefined) {
      items.push(<span key="training">{t('classification.training', { course: field.training })}</span>);
    }
    items.push(<span key="purpose">{t('classification.purpose')}</span>);
  }
  if (field.breakGlass !== undefined) {
    items.push(
      <Typography.Text key="break-glass" type="secondary">
        {t('classification.breakGlass', { permission: label(field.breakGlass) })}
      </Typography.Text>,
    );
  }
  return (
    <Space direction="vertical" size={0}>
      {items}
      {note}
    </Space>
  );
}

/** `/access/data-classification`: the AC-07 catalogue, read-only, in the language of the session. */
export function DataClassificationPage() {
  const { t, i18n } = useTranslation();
  const session = useCurrentSession();
  if (!session.permissions.includes(ROLE_READ_PERMISSION)) return <ClassificationForbidden />;
  const zh = i18n.language === 'zh-CN';
  const otherwise = { masked: 'otherwiseMasked', omitted: 'otherwiseOmitted', never: 'otherwiseNever' } as const;
  return (
    <Space direction="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>{t('classification.title')}</Typography.Title>
      <Card>
        <Typography.Paragraph>{t('classification.intro')}</Typography.Paragraph>
        <Typography.Paragraph strong>{t('classification.rule')}</Typography.Paragraph>
        <Typography.Paragraph type="secondary">
          {t('classification.count', { count: ROWS.length })}
        </Typography.Paragraph>
        <Table<Row>
          rowKey="key"
          pagination={false}
          dataSource={ROWS}
          scroll={{ x: 900 }}
          columns={[
            {
              title: t('classification.field'),
              key: 'field',
              render: (_: unknown, f) => (
                <Space direction="vertical" size={0}>
                  <span>{zh ? f.zh : f.en}</span>
                  <Typography.Text type="secondary" code>
                    {f.key}
                  </Typography.Text>
                </Space>
              ),
            },
            {
              title: t('classification.level'),
              dataIndex: 'level',
              render: (level: Row['level']) => (
                <Tooltip title={zh ? DATA_LEVEL_LABELS[level].zh : DATA_LEVEL_LABELS[level].en}>
                  <Tag color={LEVEL_COLOURS[level]} data-testid="classification-level">
                    {level}
                  </Tag>
                </Tooltip>
              ),
            },
            {
              title: t('classification.category'),
              dataIndex: 'category',
              render: (c: Row['category']) => (zh ? DATA_CATEGORY_LABELS[c].zh : DATA_CATEGORY_LABELS[c].en),
            },
            {
              title: t('classification.otherwise'),
              key: 'otherwise',
              render: (_: unknown, f) => (
                <Space direction="vertical" size={0}>
                  <span>{t(`classification.${otherwise[f.otherwise]}`)}</span>
                  {f.sealed !== undefined && <Tag>{t('classification.sealedYes')}</Tag>}
                </Space>
              ),
            },
            {
              title: t('classification.required'),
              key: 'required',
              render: (_: unknown, f) => <Requirements field={f} />,
            },
          ]}
        />
      </Card>
    </Space>
  );
}
