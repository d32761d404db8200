import type { PartyView } from '@medledger/contract';
import { ArrowLeftOutlined, EditOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Skeleton, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { MD_EDIT_PERMISSION, useParty } from '../../api/master-data';
import { formatLocalTime } from '../../app/format';
import { useCurrentSession } from '../../app/session';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { ChangeDrawer } from './change-drawer';
import { ChangeHistory } from './change-history';
import { DocumentsCard } from './documents-card';
import { RoleTags, StatusTag, ValidUntil, useLicenceLabel } from './md-format';
import { RecordBanner } from './record-parts';
import { PartyFormDrawer } from './party-form-drawer';

type Licence = PartyView['licences'][number];
type Letter = PartyView['repAuthorisations'][number];

/** `/master-data/parties/:id`: one party file with its documents and every version. */
export function PartyPage() {
  const { id = '' } = useParams();
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const licenceLabel = useLicenceLabel();
  const { permissions } = useCurrentSession();
  const canEdit = permissions.includes(MD_EDIT_PERMISSION);
  const party = useParty(id);
  const [editing, setEditing] = useState(false);
  const [openChange, setOpenChange] = useState<string | null>(null);
  const p = party.data?.party;

  if (party.isError) return <ApiErrorAlert error={party.error} />;
  if (p === undefined) return <Skeleton active />;
  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Space wrap>
        <Button icon={<ArrowLeftOutlined aria-hidden />} onClick={() => void navigate('/master-data/parties')}>
          {t('masterData.party.back')}
        </Button>
      </Space>
      <Space wrap align="center">
        <Typography.Title level={2} className="ml-title-inline">
          {p.name}
        </Typography.Title>
        <StatusTag status={p.status} />
        <RoleTags party={p} />
      </Space>
      <RecordBanner status={p.status} pendingChangeId={p.pendingChangeId} onOpen={setOpenChange} />
      <Card
        title={t('masterData.party.details')}
        extra={
          canEdit && (
            <Tooltip title={p.pendingChangeId === null ? undefined : t('masterData.banner.oneAtATime')}>
              <Button
                icon={<EditOutlined aria-hidden />}
                disabled={p.pendingChangeId !== null}
                onClick={() => setEditing(true)}
              >
                {t('masterData.proposeChange')}
              </Button>
            </Tooltip>
          )
        }
      >
        <Descriptions
          size="small"
          bordered
          column={{ xs: 1, md: 2 }}
          items={[
            { key: 'code', label: t('masterData.party.code'), children: p.code },
            { key: 'uscc', label: t('masterData.party.uscc'), children: p.uscc },
            { key: 'legal', label: t('masterData.party.legalRepresentative'), children: p.legalRepresentative },
            { key: 'head', label: t('masterData.party.enterpriseHead'), children: p.enterpriseHead },
            { key: 'address', label: t('masterData.party.address'), children: p.address, span: 'filled' },
            {
              key: 'warehouse',
              label: t('masterData.party.warehouseAddress'),
              children: p.warehouseAddress ?? '—',
              span: 'filled',
            },
            {
              key: 'version',
              label: t('masterData.versionInForce'),
              children:
                p.version === 0
                  ? t('masterData.noVersionYet')
                  : t('masterData.versionApproved', {
                      version: p.version,
                      name: p.approvedByName ?? '',
                      at: p.approvedAt === null ? '' : formatLocalTime(p.approvedAt, i18n.language, 'short'),
                    }),
              span: 'filled',
            },
          ]}
        />
      </Card>
      <Card title={t('masterData.party.licences')}>
        <Table<Licence>
          rowKey={(l) => `${l.kind}-${l.number}`}
          size="small"
          pagination={false}
          dataSource={p.licences}
          columns={[
            { title: t('masterData.licence.kind'), key: 'kind', render: (_: unknown, l) => licenceLabel(l.kind) },
            { title: t('masterData.licence.number'), dataIndex: 'number' },
            { title: t('masterData.licence.authority'), dataIndex: 'authority' },
            { title: t('masterData.licence.issuedOn'), dataIndex: 'issuedOn' },
            {
              title: t('masterData.licence.validUntil'),
              key: 'validUntil',
              render: (_: unknown, l) => <ValidUntil date={l.validUntil} />,
            },
            {
              title: t('masterData.licence.scope'),
              key: 'scope',
              render: (_: unknown, l) =>
                l.scope.length === 0 ? (
                  '—'
                ) : (
                  <Space size={[4, 4]} wrap>
                    {l.scope.map((s) => (
                      <Tag key={s}>{s}</Tag>
                    ))}
                  </Space>
                ),
            },
          ]}
        />
      </Card>
      <Card title={t('masterData.party.letters')}>
        <Table<Letter>
          rowKey="id"
          size="small"
          pagination={false}
          dataSource={p.repAuthorisations}
          locale={{ emptyText: t('masterData.party.noLetters') }}
          columns={[
            { title: t('masterData.letter.repName'), dataIndex: 'repName' },
            { title: t('masterData.letter.idNumber'), dataIndex: 'idNumberMasked' },
            { title: t('masterData.letter.territory'), dataIndex: 'territory' },
            {
              title: t('masterData.letter.productCodes'),
              key: 'products',
              render: (_: unknown, r) =>
                r.productCodes.length === 0 ? t('masterData.letter.allProducts') : r.productCodes.join(', '),
            },
            { title: t('masterData.letter.validFrom'), dataIndex: 'validFrom' },
            {
              title: t('masterData.letter.validUntil'),
              key: 'validUntil',
              render: (_: unknown, r) => <ValidUntil date={r.validUntil} />,
            },
          ]}
        />
      </Card>
      <DocumentsCard entity="parties" id={p.id} />
      <ChangeHistory entityId={p.id} onOpen={setOpenChange} />
      <PartyFormDrawer open={editing} party={p} onClose={() => setEditing(false)} onFiled={() => setEditing(false)} />
      <ChangeDrawer changeId={openChange} onClose={() => setOpenChange(null)} />
    </Space>
  );
}
