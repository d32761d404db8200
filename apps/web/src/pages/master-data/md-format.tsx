import {
  GSP_ZONE_COLOURS,
  LICENCE_LABELS,
  type GspZone,
  type LicenceKind,
  type PartyView,
  type RecordStatus,
  type StorageCondition,
} from '@medledger/contract';
import { Space, Tag } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';

/** The Chinese or English variant of a bilingual text, following the interface language. */
export function usePick(): (zh: string, en: string) => string {
  const { i18n } = useTranslation();
  return (zh, en) => (i18n.language === 'en' ? en : zh);
}

/** Today as `YYYY-MM-DD` on this computer (the server decides with China time; this is for display). */
export const todayIso = (): string => dayjs().format('YYYY-MM-DD');

/** Whole days from today to a `YYYY-MM-DD` date; negative when it has passed. */
export function daysUntil(date: string): number {
  return dayjs(date).startOf('day').diff(dayjs().startOf('day'), 'day');
}

/** Dates travel as calendar dates without a time (the contract's `z.iso.date()`). */
export const DATE_FORMAT = 'YYYY-MM-DD';

/** Ant Design colour of a validity: expired red, within 30 days orange, within 90 days gold. */
export function validityColour(date: string | null): 'red' | 'orange' | 'gold' | undefined {
  if (date === null) return undefined;
  const days = daysUntil(date);
  if (days < 0) return 'red';
  if (days <= 30) return 'orange';
  if (days <= 90) return 'gold';
  return undefined;
}

/** "valid until" of a document: 长期 for none, red when expired, orange within 30 days. */
export function ValidUntil({ date }: { date: string | null }) {
  const { t } = useTranslation();
  if (date === null) return <span>{t('masterData.longTerm')}</span>;
  const days = daysUntil(date);
  if (days < 0) {
    return (
      <Tag color="red" data-validity="expired">
        {t('masterData.expiredOn', { date })}
      </Tag>
    );
  }
  if (days <= 30) {
    return (
      <Tag color="orange" data-validity="due30">
        {t('masterData.dueIn', { date, days })}
      </Tag>
    );
  }
  return <span>{date}</span>;
}

const STATUS_COLOURS: Record<RecordStatus, string> = { pending: 'gold', approved: 'green', rejected: 'red' };

/** pending / in force / rejected, for records and for proposals. */
export function StatusTag({ status, change = false }: { status: RecordStatus; change?: boolean }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOURS[status]}>
      {change ? t(`masterData.changeStatus.${status}`) : t(`masterData.status.${status}`)}
    </Tag>
  );
}

export function useLicenceLabel(): (kind: string) => string {
  const pick = usePick();
  return (kind) => {
    const label = (LICENCE_LABELS as Record<string, { zh: string; en: string } | undefined>)[kind];
    return label === undefined ? kind : pick(label.zh, label.en);
  };
}

export function licenceLabel(kind: LicenceKind, language: string): string {
  return language === 'en' ? LICENCE_LABELS[kind].en : LICENCE_LABELS[kind].zh;
}

/** Supplier / manufacturer / customer (with its type) as tags. */
export function RoleTags({ party }: { party: Pick<PartyView, 'isSupplier' | 'isManufacturer' | 'customerType'> }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      {party.isSupplier && <Tag color="blue">{t('masterData.roles.supplier')}</Tag>}
      {party.isManufacturer && <Tag color="geekblue">{t('masterData.roles.manufacturer')}</Tag>}
      {party.customerType !== null && (
        <Tag color="purple">
          {t('masterData.roles.customer')} · {t(`masterData.customerTypes.${party.customerType}`)}
        </Tag>
      )}
    </Space>
  );
}

/** The nearest expiry among a party's licences: a tag when it has passed or is within 90 days. */
export function LicenceExpiryIndicator({ party }: { party: Pick<PartyView, 'licences'> }) {
  const { t } = useTranslation();
  const dates = party.licences.map((l) => l.validUntil).filter((d): d is string => d !== null);
  if (dates.length === 0) return <Tag>{t('masterData.longTerm')}</Tag>;
  const nearest = dates.sort()[0]!;
  const colour = validityColour(nearest);
  const days = daysUntil(nearest);
  if (colour === 'red') return <Tag color="red">{t('masterData.licenceExpired', { date: nearest })}</Tag>;
  if (colour === undefined) return <Tag color="green">{t('masterData.licenceValid', { date: nearest })}</Tag>;
  return <Tag color={colour}>{t('masterData.dueIn', { date: nearest, days })}</Tag>;
}

/** GSP colour zone as a tag in its colour (待验 yellow, 合格 green, 不合格 red …). */
export function ZoneTag({ zone }: { zone: GspZone }) {
  const { t } = useTranslation();
  const colour = GSP_ZONE_COLOURS[zone];
  return (
    <Tag color={colour === 'yellow' ? 'gold' : colour} data-zone-colour={colour}>
      {t(`masterData.zones.${zone}`)}
    </Tag>
  );
}

export function useStorageLabel(): (storage: StorageCondition) => string {
  const { t } = useTranslation();
  return (storage) => t(`masterData.storage.${storage}`);
}
