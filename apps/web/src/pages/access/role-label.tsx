import type { RoleListResponse } from '@medledger/contract';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

type Role = RoleListResponse['roles'][number];

/** A role's name in the interface language (the code when the role is unknown). */
export function roleName(roles: readonly Role[] | undefined, code: string, language: string): string {
  const role = roles?.find((r) => r.code === code);
  if (role === undefined) return code;
  return language.startsWith('zh') ? role.zh : role.en;
}

export function AssignmentStatusTag({ status }: { status: string }) {
  const { t } = useTranslation();
  const color = { active: 'green', pending: 'gold', rejected: 'red', revoked: 'default' }[status] ?? 'default';
  return <Tag color={color}>{t(`access.status.${status}` as 'access.status.active', { defaultValue: status })}</Tag>;
}
