import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi, renderApp } from '../../../test/render-app';

const session = (id: string, permissions: string[]) => ({
  status: 200,
  body: {
    user: { id, name: '王安全', login: 'sec.wang' },
    permissions,
    idleTimeoutSeconds: 900,
    passwordExpiresSoon: null,
    unreadNotifications: 0,
  },
});
const roles = {
  status: 200,
  body: {
    roles: [
      {
        code: 'audit-admin',
        zh: '审计管理员',
        en: 'Audit administrator',
        descriptionZh: '',
        descriptionEn: '',
        adminClass: 'audit',
        highRisk: true,
        permissions: ['audit.event.read'],
      },
      {
        code: 'purchasing',
        zh: '采购',
        en: 'Purchasing',
        descriptionZh: '',
        descriptionEn: '',
        adminClass: null,
        highRisk: false,
        permissions: [],
      },
    ],
  },
};
const nurse = {
  id: '01900000-0000-7000-8000-000000000001',
  login: 'ward.li',
  name: '李晓梅',
  phoneMasked: null,
  emailMasked: null,
  organisation: null,
  employmentEndsOn: null,
  status: 'active',
  disabledReason: null,
  disabledAt: null,
  locked: false,
  lockedUntil: null,
  passwordSet: true,
  factors: ['totp'],
  lastLoginAt: null,
  createdAt: '2026-11-29T10:00:00.000Z',
};
const assignment = (over: Record<string, unknown>) => ({
  id: '01900000-0000-7000-8000-0000000000a1',
  userId: nurse.id,
  userLogin: 'ward.li',
  userName: '李晓梅',
  roleCode: 'audit-admin',
  site: null,
  status: 'pending',
  reason: '岗位任命',
  requestedBy: 'admin-1',
  requestedByName: '张卫国',
  decidedBy: null,
  decidedAt: null,
  createdAt: '2026-11-29T10:00:00.000Z',
  ...over,
});

describe('access pages', () => {
  it('AC-05 grants a role in a site scope from the users page and shows the server’s refusal reason', async () => {
    let sent: unknown;
    mockApi({
      'GET /api/v1/session': session('sec-1', ['identity.user.read', 'access.role.read', 'access.role.assign']),
      'GET /api/v1/users': { status: 200, body: { users: [nurse], total: 1, page: 1, pageSize: 20 } },
      'GET /api/v1/access/roles': roles,
      'GET /api/v1/access/assignments': { status: 200, body: { assignments: [] } },
      [`GET /api/v1/access/users/${nurse.id}/effective`]: {
        status: 200,
        body: {
          roles: [],
          permissions: [],
          suspended: [{ permission: 'audit.event.read', reason: 'Take the training course “Security basics”.' }],
          bootstrap: false,
        },
      },
      'POST /api/v1/access/assignments': (init) => {
        sent = JSON.parse(init?.body as string);
        return {
          status: 403,
          body: {
            code: 'forbidden',
            message: 'You cannot grant a role with permissions you do not hold yourself: audit.event.read.',
            requestId: 'r1',
          },
        };
      },
    });
    renderApp('/users');
    fireEvent.click(await screen.findByRole('button', { name: 'ward.li 的操作' }, { timeout: 5000 }));
    fireEvent.click(await screen.findByText('角色与数据范围'));
    const drawer = await screen.findByRole('dialog');
    expect(await within(drawer).findByText('尚未分配角色')).toBeTruthy();
    expect(await within(drawer).findByText(/Take the training course/)).toBeTruthy();
    fireEvent.mouseDown(within(drawer).getByLabelText('角色'));
    fireEvent.click(await screen.findByText('审计管理员'));
    fireEvent.change(within(drawer).getByLabelText('数据范围'), { target: { value: 'WH-SH-01' } });
    fireEvent.change(within(drawer).getByLabelText('原因'), { target: { value: '岗位任命' } });
    fireEvent.click(within(drawer).getByRole('button', { name: /分\s*配/ }));
    expect(await within(drawer).findByText(/audit\.event\.read/)).toBeTruthy();
    expect(sent).toEqual({ userId: nurse.id, roleCode: 'audit-admin', site: 'WH-SH-01', reason: '岗位任命' });
  }, 45_000);

  it('AC-05 the approvals inbox lets a second person approve with a comment, but not their own requests', async () => {
    let decided: unknown;
    mockApi({
      'GET /api/v1/session': session('sec-1', ['access.role.read', 'access.assignment.approve']),
      'GET /api/v1/access/roles': roles,
      'GET /api/v1/access/assignments': {
        status: 200,
        body: {
          assignments: [
            assignment({}),
            assignment({ id: '01900000-0000-7000-8000-0000000000a2', requestedBy: 'sec-1', userLogin: 'mine.x' }),
          ],
        },
      },
      'POST /api/v1/access/assignments/01900000-0000-7000-8000-0000000000a1/approve': (init) => {
        decided = JSON.parse(init?.body as string);
        return { status: 200, body: { assignment: assignment({ status: 'active' }) } };
      },
    });
    renderApp('/access/approvals');
    expect(await screen.findByText('李晓梅 (ward.li)', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByText('需由他人审批')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('对 ward.li 的审批意见'), { target: { value: '同意任命' } });
    fireEvent.click(screen.getByText(/^批\s*准$/));
    await waitFor(() => expect(decided).toEqual({ reason: '同意任命' }));
  });

  it('AC-06 the initial administrator sees who holds the three administrator roles and gives up the all-permission role', async () => {
    let retired: unknown;
    const admin = (holders: { id: string; login: string; name: string }[]) => ({
      holder: { id: 'admin-1', login: 'qa.zhang', name: '张卫国' },
      administrators: [
        { roleCode: 'system-admin', adminClass: 'system', holders },
        {
          roleCode: 'security-admin',
          adminClass: 'security',
          holders: [{ id: 's', login: 'sec.wang', name: '王安全' }],
        },
        { roleCode: 'audit-admin', adminClass: 'audit', holders: [{ id: 'a', login: 'audit.zhao', name: '赵审计' }] },
      ],
      ready: holders.length > 0,
    });
    let status = admin([]);
    mockApi({
      'GET /api/v1/session': session('admin-1', ['access.role.read', 'access.assignment.approve']),
      'GET /api/v1/access/roles': roles,
      'GET /api/v1/access/assignments': { status: 200, body: { assignments: [] } },
      'GET /api/v1/access/bootstrap': () => ({ status: 200, body: status }),
      'POST /api/v1/access/bootstrap/retirement': (init) => {
        retired = JSON.parse(init?.body as string);
        return { status: 200, body: { ...status, holder: null } };
      },
    });
    const { queryClient } = renderApp('/access/approvals');
    expect(await screen.findByText('初始管理员仍拥有全部权限', {}, { timeout: 5000 })).toBeTruthy();
    expect(within(screen.getByTestId('bootstrap-system-admin')).getByText('尚未任命（或培训已过期）')).toBeTruthy();
    expect(within(screen.getByTestId('bootstrap-audit-admin')).getByText('赵审计 (audit.zhao)')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('原因'), { target: { value: '三权分立已就位' } });
    const button = screen.getByRole('button', { name: '交出初始管理员权限' });
    expect(button.hasAttribute('disabled')).toBe(true);
    expect(screen.getByText('请先任命三位管理员。')).toBeTruthy();
    // Once the system administrator is appointed, the button works (after a confirmation).
    status = admin([{ id: 'y', login: 'sys.qian', name: '钱系统' }]);
    await queryClient.invalidateQueries();
    await waitFor(() =>
      expect(screen.getByRole('button', { name: '交出初始管理员权限' }).hasAttribute('disabled')).toBe(false),
    );
    fireEvent.click(screen.getByRole('button', { name: '交出初始管理员权限' }));
    fireEvent.click(await screen.findByRole('button', { name: /^确\s*定$/ }));
    await waitFor(() => expect(retired).toEqual({ reason: '三权分立已就位' }));
  });
});
