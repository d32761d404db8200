import { AuditOutlined, HomeOutlined, LogoutOutlined, MessageOutlined, UserOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Dropdown, Layout, Menu, type MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { AUDIT_READ_PERMISSION } from '../../api/audit';
import { logout } from '../../api/auth';
import { SMS_OUTBOX_PERMISSION, useSmsOutbox } from '../../api/sms-outbox';
import { clearSession } from '../../api/session';
import { Brand } from '../../components/brand';
import { LanguageSwitch } from '../../components/language-switch';
import { useCurrentSession } from '../session';

function UserMenu() {
  const { t } = useTranslation();
  const session = useCurrentSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { message } = App.useApp();

  const signOut = useMutation({
    mutationFn: logout,
    onError: () => void message.warning(t('layout.signOutFailed')),
    // Whatever the server said, the session ends here; the login page then drops every cached answer.
    onSettled: async () => {
      clearSession(queryClient, { ended: false });
      await navigate('/login', { replace: true });
    },
  });

  const items: MenuProps['items'] = [
    { key: 'sign-out', icon: <LogoutOutlined />, label: t('layout.signOut'), disabled: signOut.isPending },
  ];

  return (
    <Dropdown trigger={['click']} menu={{ items, onClick: ({ key }) => key === 'sign-out' && signOut.mutate() }}>
      <Button type="text" icon={<UserOutlined aria-hidden />} aria-haspopup="menu" title={t('layout.userMenu')}>
        {session.user.name}
      </Button>
    </Dropdown>
  );
}

/** The signed-in frame: header (brand, language, user menu), left menu, page content. */
export function MainLayout() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const { permissions } = useCurrentSession();
  // Development only: the server answers the outbox with 404 unless the outbox provider is on.
  const smsOutbox = useSmsOutbox(permissions.includes(SMS_OUTBOX_PERMISSION));

  const menuItems: MenuProps['items'] = [
    { key: '/', icon: <HomeOutlined />, label: t('layout.menuHome') },
    ...(permissions.includes(AUDIT_READ_PERMISSION)
      ? [{ key: '/audit', icon: <AuditOutlined />, label: t('layout.menuAudit') }]
      : []),
    ...(smsOutbox.isSuccess
      ? [{ key: '/dev/sms-outbox', icon: <MessageOutlined />, label: t('layout.menuSmsOutbox') }]
      : []),
  ];

  return (
    <Layout className="ml-layout">
      <Layout.Header className="ml-header">
        <Brand />
        <div className="ml-header-actions">
          <LanguageSwitch />
          <UserMenu />
        </div>
      </Layout.Header>
      <Layout>
        <Layout.Sider className="ml-sider" width={208}>
          <Menu
            mode="inline"
            selectedKeys={[location.pathname]}
            items={menuItems}
            onClick={({ key }) => void navigate(key)}
          />
        </Layout.Sider>
        <Layout.Content className="ml-content">
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
