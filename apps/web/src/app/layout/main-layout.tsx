import {
  AuditOutlined,
  BookOutlined,
  FileSearchOutlined,
  DatabaseOutlined,
  HomeOutlined,
  InboxOutlined,
  MedicineBoxOutlined,
  LogoutOutlined,
  MessageOutlined,
  ShoppingCartOutlined,
  ShoppingOutlined,
  SafetyCertificateOutlined,
  TeamOutlined,
  UploadOutlined,
  UserOutlined,
} from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Badge, Button, Dropdown, Layout, Menu, type MenuProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { AUDIT_READ_PERMISSION } from '../../api/audit';
import { APPROVE_PERMISSION, ROLE_READ_PERMISSION } from '../../api/access';
import { USER_READ_PERMISSION } from '../../api/users';
import { MD_APPROVE_PERMISSION, MD_READ_PERMISSION } from '../../api/master-data';
import { STOCK_READ_PERMISSION } from '../../api/inventory';
import { PROCUREMENT_READ_PERMISSION } from '../../api/procurement';
import { SALES_READ_PERMISSION } from '../../api/sales';
import { LEDGERS } from '@medledger/contract';
import { BREAK_GLASS_PERMISSION, BREAK_GLASS_REVIEW_PERMISSION, USAGE_READ_PERMISSION } from '../../api/clinical';
import { logout } from '../../api/auth';
import { SMS_OUTBOX_PERMISSION, useSmsOutbox } from '../../api/sms-outbox';
import { clearSession } from '../../api/session';
import { Brand } from '../../components/brand';
import { LanguageSwitch } from '../../components/language-switch';
import { useCurrentSession } from '../session';
import { SecurityNotices } from './security-notices';

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
    { key: 'security', icon: <SafetyCertificateOutlined />, label: t('layout.menuSecurity') },
    { key: 'sign-out', icon: <LogoutOutlined />, label: t('layout.signOut'), disabled: signOut.isPending },
  ];

  return (
    <Dropdown
      trigger={['click']}
      menu={{
        items,
        onClick: ({ key }) => (key === 'sign-out' ? signOut.mutate() : void navigate('/security')),
      }}
    >
      <Button type="text" icon={<UserOutlined aria-hidden />} aria-haspopup="menu" title={t('layout.userMenu')}>
        <Badge dot={session.unreadNotifications > 0} offset={[6, 0]}>
          {session.user.name}
        </Badge>
      </Button>
    </Dropdown>
  );
}

/** The menu entry of a page: a record's detail page belongs to its list. */
function selectedMenuKey(pathname: string): string {
  const salesList = /^\/sales\/(supplier-returns|disposals|returns)(\/|$)/.exec(pathname);
  if (salesList) return `/sales/${salesList[1]}`;
  if (pathname.startsWith('/training')) return '/training';
  if (pathname.startsWith('/procurement')) return '/procurement';
  if (pathname.startsWith('/sales')) return '/sales';
  if (pathname.startsWith('/inventory/stocktakes/')) return '/inventory/stocktakes';
  if (pathname.startsWith('/clinical/usage')) return '/clinical';
  const record = /^\/master-data\/(parties|products)\//.exec(pathname);
  return record ? `/master-data/${record[1]}` : pathname;
}

/** The signed-in frame: header (brand, language, user menu), left menu, page content. */
export function MainLayout() {
  const { t } = useTranslation();
  const location = useLocation();
  const navigate = useNavigate();
  const { permissions, unreadNotifications } = useCurrentSession();
  // Development only: the server answers the outbox with 404 unless the outbox provider is on.
  const smsOutbox = useSmsOutbox(permissions.includes(SMS_OUTBOX_PERMISSION));

  const menuItems: MenuProps['items'] = [
    { key: '/', icon: <HomeOutlined />, label: t('layout.menuHome') },
    ...(permissions.includes(AUDIT_READ_PERMISSION)
      ? [{ key: '/audit', icon: <AuditOutlined />, label: t('layout.menuAudit') }]
      : []),
    ...(permissions.includes(USER_READ_PERMISSION)
      ? [{ key: '/users', icon: <TeamOutlined />, label: t('layout.menuUsers') }]
      : []),
    ...(permissions.includes(APPROVE_PERMISSION)
      ? [{ key: '/access/approvals', icon: <AuditOutlined />, label: t('layout.menuApprovals') }]
      : []),
    ...(permissions.includes(ROLE_READ_PERMISSION)
      ? [
          {
            key: '/access/data-classification',
            icon: <SafetyCertificateOutlined />,
            label: t('classification.menu'),
          },
        ]
      : []),
    ...(smsOutbox.isSuccess
      ? [{ key: '/dev/sms-outbox', icon: <MessageOutlined />, label: t('layout.menuSmsOutbox') }]
      : []),
    ...(permissions.includes(MD_READ_PERMISSION)
      ? [
          {
            key: 'master-data',
            icon: <DatabaseOutlined />,
            label: t('masterData.menu.group'),
            children: [
              { key: '/master-data/parties', label: t('masterData.menu.parties') },
              { key: '/master-data/products', label: t('masterData.menu.products') },
              ...(permissions.includes(MD_APPROVE_PERMISSION)
                ? [{ key: '/master-data/review', label: t('masterData.menu.review') }]
                : []),
              { key: '/master-data/expiry', label: t('masterData.menu.expiry') },
              { key: '/master-data/trade-check', label: t('masterData.menu.tradeCheck') },
              { key: '/master-data/warehouses', label: t('masterData.menu.warehouses') },
              ...(permissions.includes('master-data.record.edit')
                ? [{ key: '/master-data/import', icon: <UploadOutlined />, label: t('mdImport.menu') }]
                : []),
            ],
          },
        ]
      : []),
    ...(permissions.includes(PROCUREMENT_READ_PERMISSION)
      ? [{ key: '/procurement', icon: <ShoppingCartOutlined />, label: t('gsp.menu.procurement') }]
      : []),
    ...(permissions.includes(SALES_READ_PERMISSION)
      ? [{ key: '/sales', icon: <ShoppingOutlined />, label: t('gsp.menu.sales') }]
      : []),
    ...(permissions.includes(STOCK_READ_PERMISSION)
      ? [
          {
            key: 'inventory',
            icon: <InboxOutlined />,
            label: t('gsp.menu.stock'),
            children: [
              { key: '/inventory', label: t('gsp.menu.stockList') },
              { key: '/inventory/climate', label: t('gsp.menu.climate') },
              { key: '/inventory/stocktakes', label: t('stocktake.menu') },
              { key: '/inventory/maintenance', label: t('maintenance.menu') },
            ],
          },
        ]
      : []),
    ...(permissions.includes(SALES_READ_PERMISSION)
      ? [
          {
            key: 'stock-docs',
            icon: <InboxOutlined />,
            label: t('ledgers.menu.returnsGroup'),
            children: [
              { key: '/sales/returns', label: t('ledgers.menu.customerReturns') },
              { key: '/sales/supplier-returns', label: t('ledgers.menu.supplierReturns') },
              { key: '/sales/disposals', label: t('ledgers.menu.disposals') },
            ],
          },
        ]
      : []),
    ...(permissions.includes(USAGE_READ_PERMISSION) || permissions.includes(BREAK_GLASS_REVIEW_PERMISSION)
      ? [
          {
            key: 'clinical',
            icon: <MedicineBoxOutlined />,
            label: t('clinical.menu.group'),
            children: [
              ...(permissions.includes(USAGE_READ_PERMISSION)
                ? [{ key: '/clinical', label: t('clinical.menu.usage') }]
                : []),
              ...(permissions.includes(BREAK_GLASS_PERMISSION)
                ? [{ key: '/clinical/break-glass', label: t('clinical.menu.myBreakGlass') }]
                : []),
              ...(permissions.includes(BREAK_GLASS_REVIEW_PERMISSION)
                ? [{ key: '/clinical/break-glass/reviews', label: t('clinical.menu.reviews') }]
                : []),
            ],
          },
        ]
      : []),
    ...(Object.values(LEDGERS).some((l) => permissions.includes(l.permission))
      ? [{ key: '/gsp/ledgers', icon: <FileSearchOutlined />, label: t('ledgers.menu.ledgers') }]
      : []),
    { key: '/training', icon: <BookOutlined />, label: t('training.menu') },
    {
      key: '/security',
      icon: <SafetyCertificateOutlined />,
      label: (
        <Badge count={unreadNotifications} size="small" offset={[10, 0]}>
          {t('layout.menuSecurity')}
        </Badge>
      ),
    },
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
            selectedKeys={[selectedMenuKey(location.pathname)]}
            defaultOpenKeys={
              location.pathname.startsWith('/master-data')
                ? ['master-data']
                : location.pathname.startsWith('/inventory')
                  ? ['inventory']
                  : location.pathname.startsWith('/clinical')
                    ? ['clinical']
                    : []
            }
            items={menuItems}
            onClick={({ key }) => void navigate(key)}
          />
        </Layout.Sider>
        <Layout.Content className="ml-content">
          <SecurityNotices />
          <Outlet />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
