import { Space, Tag, Typography } from 'antd';
import type { TFunction } from 'i18next';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useLicenceLabel } from './md-format';

/** The order (and set) of fields QA reviews for each kind of record. */
export const PARTY_FIELDS = [
  'code',
  'name',
  'uscc',
  'isSupplier',
  'isManufacturer',
  'customerType',
  'legalRepresentative',
  'enterpriseHead',
  'address',
  'warehouseAddress',
  'licences',
  'repAuthorisations',
] as const;

export const PRODUCT_FIELDS = [
  'code',
  'name',
  'model',
  'specification',
  'deviceClass',
  'catalogCode',
  'registrant',
  'registrantLicenceNo',
  'contractManufacturer',
  'contractManufacturerLicenceNo',
  'certificateNo',
  'certificateIssuedOn',
  'certificateValidUntil',
  'implantable',
  'storage',
  'humidityMax',
  'packages',
] as const;

/** The label of a field of a party or product file. */
export function fieldLabel(t: TFunction, entity: 'party' | 'product', field: string): string {
  return entity === 'party'
    ? t(`masterData.party.${field}` as 'masterData.party.name', { defaultValue: field })
    : t(`masterData.product.${field}` as 'masterData.product.name', { defaultValue: field });
}

type Row = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const rows = (v: unknown): Row[] => (Array.isArray(v) ? (v as Row[]) : []);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : []);

/** One value of a proposed or previous version, readable (documents as short lines). */
export function ChangeValue({ field, value }: { field: string; value: unknown }): ReactNode {
  const { t } = useTranslation();
  const licenceLabel = useLicenceLabel();
  if (value === null || value === undefined || value === '') {
    return <Typography.Text type="secondary">—</Typography.Text>;
  }
  if (typeof value === 'boolean') return value ? t('masterData.yes') : t('masterData.no');
  switch (field) {
    case 'customerType':
      return t(`masterData.customerTypes.${str(value)}` as 'masterData.customerTypes.hospital');
    case 'deviceClass':
      return t(`masterData.classes.${str(value)}` as 'masterData.classes.I');
    case 'storage':
      return t(`masterData.storage.${str(value)}` as 'masterData.storage.normal');
    case 'humidityMax':
      return `≤ ${str(value)}%`;
    case 'licences':
      return (
        <Space orientation="vertical" size={4}>
          {rows(value).map((l, i) => (
            <div key={i}>
              <strong>{licenceLabel(str(l.kind))}</strong> {str(l.number)}
              <br />
              <Typography.Text type="secondary">
                {t('masterData.licenceLine', {
                  authority: str(l.authority),
                  from: str(l.issuedOn),
                  until: l.validUntil === null ? t('masterData.longTerm') : str(l.validUntil),
                })}
              </Typography.Text>
              {strings(l.scope).length > 0 && (
                <div>
                  {strings(l.scope).map((s) => (
                    <Tag key={s}>{s}</Tag>
                  ))}
                </div>
              )}
            </div>
          ))}
        </Space>
      );
    case 'repAuthorisations':
      return rows(value).length === 0 ? (
        <Typography.Text type="secondary">{t('masterData.none')}</Typography.Text>
      ) : (
        <Space orientation="vertical" size={4}>
          {rows(value).map((r, i) => (
            <div key={i}>
              <strong>{str(r.repName)}</strong> {str(r.idNumberMasked)}
              <br />
              <Typography.Text type="secondary">
                {t('masterData.letterLine', {
                  territory: str(r.territory),
                  from: str(r.validFrom),
                  until: str(r.validUntil),
                  products: strings(r.productCodes).join(', ') || t('masterData.letter.allProducts'),
                })}
              </Typography.Text>
            </div>
          ))}
        </Space>
      );
    case 'packages':
      return (
        <Space orientation="vertical" size={4}>
          {rows(value).map((p, i) => (
            <div key={i}>
              {t('masterData.packageLine', { level: str(p.level), quantity: str(p.quantity), unit: str(p.unit) })}{' '}
              {rows(p.dis).map((d) => (
                <Tag key={str(d.di)}>
                  {str(d.issuer)} {str(d.di)}
                </Tag>
              ))}
            </div>
          ))}
        </Space>
      );
    default:
      return str(value) || JSON.stringify(value);
  }
}
