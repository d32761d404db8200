import type { CreateUserInput, PasswordLink, UpdateUserInput, UserSummary } from '@medledger/contract';
import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Dropdown, Input, Modal, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLE_READ_PERMISSION } from '../../api/access';
import {
  USER_MANAGE_PERMISSION,
  USER_REVEAL_PERMISSION,
  createUser,
  disableUser,
  enableUser,
  endUserSessions,
  issuePasswordLink,
  revealContact,
  unlockUser,
  updateUser,
  useUserList,
  usersKey,
  type UserFilters,
} from '../../api/users';
import { formatLocalTime } from '../../app/format';
import { useCurrentSession } from '../../app/session';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { useStepUp } from '../../components/step-up';
import { UserRolesDrawer } from '../access/user-roles-drawer';
import { PasswordLinkResult } from './password-link-result';
import { UserFormDrawer } from './user-form-drawer';

type Action = 'edit' | 'roles' | 'reveal' | 'link' | 'unlock' | 'disable' | 'enable' | 'sessions';

function StatusTags({ user }: { user: UserSummary }) {
  const { t } = useTranslation();
  return (
    <Space size={4} wrap>
      {user.status === 'active' ? (
        <Tag color="green">{t('users.status.active')}</Tag>
      ) : (
        <Tag color="red">
          {t('users.status.disabled')}
          {user.disabledReason !== null &&
            ` · ${t(`users.reason.${user.disabledReason}` as 'users.reason.dormant', { defaultValue: user.disabledReason })}`}
        </Tag>
      )}
      {user.locked && <Tag color="orange">{t('users.locked')}</Tag>}
      {!user.passwordSet && <Tag>{t('users.noPassword')}</Tag>}
      {user.passwordSet && user.factors.length === 0 && <Tag color="gold">{t('users.noFactor')}</Tag>}
    </Space>
  );
}

/** `/users`: administrators create accounts, hand out password links, disable, enable and unlock. */
export function UsersPage() {
  const { t, i18n } = useTranslation();
  const { permissions } = useCurrentSession();
  const canManage = permissions.includes(USER_MANAGE_PERMISSION);
  const canSeeRoles = permissions.includes(ROLE_READ_PERMISSION);
  const canReveal = permissions.includes(USER_REVEAL_PERMISSION);
  const [rolesOf, setRolesOf] = useState<UserSummary | null>(null);
  const queryClient = useQueryClient();
  const { message, modal } = App.useApp();
  const { run, modal: stepUpModal } = useStepUp();
  const [filters, setFilters] = useState<UserFilters>({ page: 1, pageSize: 20 });
  const list = useUserList(filters);
  const [drawer, setDrawer] = useState<{ open: boolean; editing: UserSummary | null }>({ open: false, editing: null });
  const [link, setLink] = useState<(PasswordLink & { login: string }) | null>(null);
  const [disabling, setDisabling] = useState<UserSummary | null>(null);
  const [reason, setReason] = useState('');

  const refresh = () => queryClient.invalidateQueries({ queryKey: usersKey });

  const act = useMutation({
    mutationFn: async ({
      action,
      user,
    }: {
      action: Exclude<Action, 'edit' | 'disable' | 'roles'>;
      user: UserSummary;
    }) => {
      switch (action) {
        case 'reveal': {
          const contact = await revealContact(user.id);
          void modal.info({
            title: t('users.revealTitle', { login: user.login }),
            content: (
              <div data-testid="revealed-contact">
                <div>
                  {t('users.phone')}: {contact.phone ?? '—'}
                </div>
                <div>
                  {t('users.email')}: {contact.email ?? '—'}
                </div>
                <Typography.Text type="secondary">{t('users.revealAudited')}</Typography.Text>
              </div>
            ),
          });
          return;
        }
        case 'link': {
          const issued = await run(() => issuePasswordLink(user.id));
          setLink({ ...issued, login: user.login });
          return;
        }
        case 'unlock':
          await unlockUser(user.id);
          void message.success(t('users.unlocked', { login: user.login }));
          return;
        case 'enable':
          await run(() => enableUser(user.id));
          void message.success(t('users.enabled', { login: user.login }));
          return;
        case 'sessions': {
          const { ended } = await endUserSessions(user.id);
          void message.success(t('users.sessionsEnded', { count: ended, login: user.login }));
          return;
        }
      }
    },
    onSettled: refresh,
  });

  const disable = useMutation({
    mutationFn: ({ user, why }: { user: UserSummary; why: string }) => disableUser(user.id, why),
    onSuccess: (_data, { user }) => {
      void message.success(t('users.disabled', { login: user.login }));
      setDisabling(null);
      setReason('');
    },
    onSettled: refresh,
  });

  const submit = async (input: CreateUserInput) => {
    const editing = drawer.editing;
    if (editing === null) {
      const created = await run(() => createUser(input));
      setLink({ ...created.link, login: created.user.login });
    } else {
      const { login: _login, ...rest } = input;
      const changes: UpdateUserInput = { ...rest };
      // Masked values left blank are kept as they are.
      if (rest.phone === null && editing.phoneMasked !== null) delete changes.phone;
      if (rest.email === null && editing.emailMasked !== null) delete changes.email;
      await updateUser(editing.id, changes);
    }
    await refresh();
  };

  const actionsFor = (user: UserSummary) =>
    [
      ...(canManage ? [{ key: 'edit', label: t('users.action.edit') }] : []),
      ...(canSeeRoles ? [{ key: 'roles', label: t('users.action.roles') }] : []),
      ...(canReveal && (user.phoneMasked !== null || user.emailMasked !== null)
        ? [{ key: 'reveal', label: t('users.action.reveal') }]
        : []),
      ...(canManage
        ? [
            ...(user.status === 'active' ? [{ key: 'link', label: t('users.action.link') }] : []),
            ...(user.locked ? [{ key: 'unlock', label: t('users.action.unlock') }] : []),
            { key: 'sessions', label: t('users.action.sessions') },
            user.status === 'active'
              ? { key: 'disable', label: t('users.action.disable'), danger: true }
              : { key: 'enable', label: t('users.action.enable') },
          ]
        : []),
    ] as { key: Action; label: string; danger?: boolean }[];

  const onAction = (user: UserSummary, action: Action) => {
    if (action === 'edit') setDrawer({ open: true, editing: user });
    else if (action === 'roles') setRolesOf(user);
    else if (action === 'disable') setDisabling(user);
    else act.mutate({ action, user });
  };

  return (
    <Space direction="vertical" size="large" className="ml-page-stack">
      {stepUpModal}
      <Typography.Title level={2}>{t('users.title')}</Typography.Title>
      <Card>
        <Space wrap className="ml-toolbar">
          <Input.Search
            allowClear
            placeholder={t('users.search')}
            aria-label={t('users.search')}
            onSearch={(q) => setFilters({ ...filters, q: q.trim() || undefined, page: 1 })}
          />
          <Select
            allowClear
            placeholder={t('users.statusFilter')}
            aria-label={t('users.statusFilter')}
            className="ml-select-status"
            options={[
              { value: 'active', label: t('users.status.active') },
              { value: 'disabled', label: t('users.status.disabled') },
            ]}
            onChange={(status: 'active' | 'disabled' | undefined) => setFilters({ ...filters, status, page: 1 })}
          />
          {canManage && (
            <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ open: true, editing: null })}>
              {t('users.new')}
            </Button>
          )}
        </Space>
        {act.isError && <ApiErrorAlert error={act.error} />}
        {list.isError ? (
          <ApiErrorAlert error={list.error} />
        ) : (
          <Table<UserSummary>
            rowKey="id"
            size="middle"
            loading={list.isPending || list.isFetching}
            dataSource={list.data?.users ?? []}
            pagination={{
              current: filters.page,
              pageSize: filters.pageSize,
              total: list.data?.total ?? 0,
              showSizeChanger: true,
              onChange: (page, pageSize) => setFilters({ ...filters, page, pageSize }),
            }}
            columns={[
              { title: t('users.login'), dataIndex: 'login' },
              { title: t('users.name'), dataIndex: 'name' },
              { title: t('users.organisation'), dataIndex: 'organisation', render: (v: string | null) => v ?? '—' },
              { title: t('users.phone'), dataIndex: 'phoneMasked', render: (v: string | null) => v ?? '—' },
              { title: t('users.state'), key: 'state', render: (_: unknown, user) => <StatusTags user={user} /> },
              {
                title: t('users.lastLogin'),
                dataIndex: 'lastLoginAt',
                render: (at: string | null) =>
                  at === null ? t('security.never') : formatLocalTime(at, i18n.language, 'short'),
              },
              ...(canManage || canSeeRoles || canReveal
                ? [
                    {
                      title: '',
                      key: 'actions',
                      render: (_: unknown, user: UserSummary) => (
                        <Dropdown
                          trigger={['click']}
                          menu={{ items: actionsFor(user), onClick: ({ key }) => onAction(user, key as Action) }}
                        >
                          <Button size="small" aria-label={t('users.actionsFor', { login: user.login })}>
                            {t('users.actions')}
                          </Button>
                        </Dropdown>
                      ),
                    },
                  ]
                : []),
            ]}
          />
        )}
      </Card>
      <UserFormDrawer
        open={drawer.open}
        editing={drawer.editing}
        onClose={() => setDrawer({ open: false, editing: null })}
        onSubmit={submit}
      />
      <PasswordLinkResult link={link} onClose={() => setLink(null)} />
      <UserRolesDrawer user={rolesOf} onClose={() => setRolesOf(null)} />
      <Modal
        open={disabling !== null}
        title={t('users.disableTitle', { login: disabling?.login })}
        okText={t('users.action.disable')}
        okButtonProps={{ danger: true, disabled: reason.trim().length < 2 }}
        cancelText={t('users.cancel')}
        confirmLoading={disable.isPending}
        onOk={() => disabling !== null && disable.mutate({ user: disabling, why: reason.trim() })}
        onCancel={() => {
          setDisabling(null);
          setReason('');
        }}
        destroyOnHidden
      >
        <Typography.Paragraph>{t('users.disableIntro')}</Typography.Paragraph>
        <Input.TextArea
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder={t('users.disableReason')}
          aria-label={t('users.disableReason')}
          maxLength={500}
        />
        {disable.isError && <ApiErrorAlert error={disable.error} />}
      </Modal>
    </Space>
  );
}
