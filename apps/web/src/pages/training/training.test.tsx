import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { mockApi, renderApp } from '../../../test/render-app';

const session = (permissions: string[]) => ({
  status: 200,
  body: {
    user: { id: 'a1', name: '张卫国', login: 'qa.zhang' },
    permissions,
    idleTimeoutSeconds: 900,
    passwordExpiresSoon: null,
    unreadNotifications: 0,
  },
});

const none = { state: 'not_started', completedVersion: null, completedAt: null, expiresAt: null, score: null };
const my = {
  status: 200,
  body: {
    courses: [
      {
        code: 'security-basics',
        titleZh: '信息安全七项基本实践',
        titleEn: 'The seven security practices',
        version: 1,
        passMark: 80,
        validityMonths: 12,
        required: true,
        status: {
          state: 'current',
          completedVersion: 1,
          completedAt: '2026-12-01T02:00:00.000Z',
          expiresAt: '2027-12-01T02:00:00.000Z',
          score: 90,
        },
        attemptsLeftToday: 5,
      },
      {
        code: 'privacy-pipl',
        titleZh: '患者个人信息保护',
        titleEn: 'Protecting patient personal information',
        version: 1,
        passMark: 80,
        validityMonths: 12,
        required: false,
        status: {
          ...none,
          state: 'expired',
          completedVersion: 1,
          completedAt: '2025-01-01T00:00:00.000Z',
          expiresAt: '2026-01-01T00:00:00.000Z',
          score: 100,
        },
        attemptsLeftToday: 5,
      },
    ],
    undertaking: { version: '2026-1', signedAt: null },
  },
};

const course = {
  status: 200,
  body: {
    course: {
      code: 'security-basics',
      titleZh: '信息安全七项基本实践',
      titleEn: 'The seven security practices',
      version: 1,
      bodyZh: '导言段落。\n\n## 一、强身份认证\n\n每个账号只属于一个人。',
      bodyEn: 'Introduction.\n\n## 1. Strong authentication\n\nEach account belongs to one person.',
      passMark: 80,
      validityMonths: 12,
    },
    questions: [
      {
        id: 'q1',
        kind: 'single',
        promptZh: '有人索要验证码，怎么办？',
        promptEn: 'Someone asks for your code. What do you do?',
        options: [
          { id: 'a', textZh: '告诉他', textEn: 'Give it' },
          { id: 'b', textZh: '拒绝并报告', textEn: 'Refuse and report' },
        ],
      },
      {
        id: 'q2',
        kind: 'multiple',
        promptZh: '哪些是第二因素？',
        promptEn: 'Which are second factors?',
        options: [
          { id: 'a', textZh: '验证器', textEn: 'Authenticator app' },
          { id: 'b', textZh: '通行密钥', textEn: 'Passkey' },
          { id: 'c', textZh: '生日', textEn: 'Birthday' },
        ],
      },
    ],
    status: none,
    attemptsLeftToday: 3,
  },
};

describe('training centre', () => {
  it('TRN-01 lists my courses with their status and the unsigned undertaking; no management links without permissions', async () => {
    mockApi({ 'GET /api/v1/session': session([]), 'GET /api/v1/training/my': my });
    renderApp('/training');
    expect(await screen.findByText('信息安全七项基本实践', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByText('有效，至 2027/12/01')).toBeTruthy();
    expect(screen.getByText('已过期：2026/01/01')).toBeTruthy();
    expect(screen.getByText('必修')).toBeTruthy();
    expect(screen.getByText(/尚未签署保密承诺书（版本 2026-1）/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: '团队完成情况' })).toBeNull();
    expect(screen.queryByRole('button', { name: '课程分配' })).toBeNull();
  });

  it('TRN-01 managers see the report and assignment links', async () => {
    mockApi({
      'GET /api/v1/session': session(['training.report.read', 'training.course.manage']),
      'GET /api/v1/training/my': my,
    });
    renderApp('/training');
    expect(await screen.findByRole('button', { name: '团队完成情况' }, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByRole('button', { name: '课程分配' })).toBeTruthy();
  });

  it('TRN-01 the course page renders the text, sends one answer per question and shows a failed result with the retry rules', async () => {
    let sent: unknown;
    const fetchMock = mockApi({
      'GET /api/v1/session': session([]),
      'GET /api/v1/training/courses/security-basics': course,
      'POST /api/v1/training/courses/security-basics/attempts': (init) => {
        sent = JSON.parse(init?.body as string);
        return {
          status: 201,
          body: {
            attemptId: 'x',
            score: 50,
            correctCount: 1,
            questionCount: 2,
            passMark: 80,
            passed: false,
            attemptsLeftToday: 2,
            completion: null,
          },
        };
      },
    });
    renderApp('/training/courses/security-basics');
    expect(await screen.findByRole('heading', { name: '一、强身份认证' }, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByText('24 小时内还可提交 3 次')).toBeTruthy();
    const submit = screen.getByRole('button', { name: '提交答卷' });
    expect((submit as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByLabelText('拒绝并报告'));
    fireEvent.click(screen.getByLabelText('验证器'));
    fireEvent.click(screen.getByLabelText('通行密钥'));
    await waitFor(() => expect((submit as HTMLButtonElement).disabled).toBe(false));
    fireEvent.click(submit);
    expect(await screen.findByText(/未通过：50 分（答对 1\/2 题，及格线 80%）.*还可提交 2 次/)).toBeTruthy();
    expect(sent).toEqual({
      version: 1,
      answers: [
        { questionId: 'q1', optionIds: ['b'] },
        { questionId: 'q2', optionIds: ['a', 'b'] },
      ],
    });
    expect(fetchMock.mock.calls.some(([, init]) => init?.method === 'POST')).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: '重新作答' }));
    expect(await screen.findByRole('button', { name: '提交答卷' })).toBeTruthy();
  });

  it('TRN-01 with no attempts left in 24 hours the page says so and submitting stays disabled', async () => {
    mockApi({
      'GET /api/v1/session': session([]),
      'GET /api/v1/training/courses/security-basics': { status: 200, body: { ...course.body, attemptsLeftToday: 0 } },
    });
    renderApp('/training/courses/security-basics');
    expect(
      await screen.findByText('24 小时内的提交次数已用完，请重新阅读课程后稍后再试。', {}, { timeout: 5000 }),
    ).toBeTruthy();
    fireEvent.click(screen.getByLabelText('拒绝并报告'));
    fireEvent.click(screen.getByLabelText('验证器'));
    expect(screen.getByRole<HTMLButtonElement>('button', { name: '提交答卷' }).disabled).toBe(true);
  });

  it('TRN-01 certificates are shown for printing', async () => {
    mockApi({
      'GET /api/v1/session': session([]),
      'GET /api/v1/training/certificates': {
        status: 200,
        body: {
          certificates: [
            {
              id: 'c1',
              code: 'security-basics',
              titleZh: '信息安全七项基本实践',
              titleEn: 'The seven security practices',
              version: 1,
              score: 90,
              completedAt: '2026-12-01T02:00:00.000Z',
              expiresAt: '2027-12-01T02:00:00.000Z',
              current: true,
              holderName: '张卫国',
              holderLogin: 'qa.zhang',
            },
          ],
        },
      },
    });
    renderApp('/training/certificates');
    expect(await screen.findByText('培训合格证书', {}, { timeout: 5000 })).toBeTruthy();
    expect(
      screen.getByText('张卫国（qa.zhang）已完成课程《信息安全七项基本实践》第 1 版的学习并通过测验，成绩 90 分。'),
    ).toBeTruthy();
    expect(screen.getByText('有效期至：2027/12/01')).toBeTruthy();
    expect(screen.getByRole('button', { name: '打印' })).toBeTruthy();
  });

  it('TRN-01 the undertaking is signed with a 6-digit code; a wrong code shows the error', async () => {
    let signed = false;
    mockApi({
      'GET /api/v1/session': session([]),
      'GET /api/v1/training/undertaking': () => ({
        status: 200,
        body: {
          version: '2026-1',
          textZh: '本人承诺：保密。',
          textEn: 'I undertake: confidentiality.',
          signature: signed
            ? { id: 's1', signedAt: '2026-12-01T02:00:00.000Z', signerName: '张卫国', recordHash: 'ab' }
            : null,
        },
      }),
      'POST /api/v1/training/undertaking/sign': (init) => {
        const body = JSON.parse(init?.body as string) as { code: string; version: string };
        if (body.code !== '123456') {
          return { status: 401, body: { code: 'step_up_required', message: 'x', requestId: 'r1' } };
        }
        signed = true;
        return {
          status: 201,
          body: {
            version: '2026-1',
            textZh: 'x',
            textEn: 'x',
            signature: { id: 's1', signedAt: '2026-12-01T02:00:00.000Z', signerName: '张卫国', recordHash: 'ab' },
          },
        };
      },
    });
    renderApp('/training/undertaking');
    expect(await screen.findByText('本人承诺：保密。', {}, { timeout: 5000 })).toBeTruthy();
    fireEvent.change(screen.getByLabelText('验证码'), { target: { value: '000000' } });
    fireEvent.click(screen.getByRole('button', { name: '签署' }));
    expect(await screen.findByText(/请求编号：r1/)).toBeTruthy();
    fireEvent.change(screen.getByLabelText('验证码'), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: '签署' }));
    expect(await screen.findByText('签署人：张卫国，签署时间：2026/12/01')).toBeTruthy();
  });

  it('TRN-01 the team report filters by state', async () => {
    const urls: string[] = [];
    mockApi({
      'GET /api/v1/session': session(['training.report.read']),
      'GET /api/v1/training/report': (_init, url) => {
        urls.push(url.search);
        return {
          status: 200,
          body: {
            rows: [
              {
                user: { id: 'u1', login: 'ward.chen', name: '陈小雨' },
                course: { code: 'security-basics', titleZh: '信息安全七项基本实践', titleEn: 'x' },
                status: {
                  state: 'expired',
                  completedVersion: 1,
                  completedAt: '2025-01-01T00:00:00.000Z',
                  expiresAt: '2026-01-01T00:00:00.000Z',
                  score: 80,
                },
              },
            ],
          },
        };
      },
    });
    renderApp('/training/report');
    expect(await screen.findByText('陈小雨 (ward.chen)', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByText('已过期：2026/01/01')).toBeTruthy();
    fireEvent.click(screen.getByText('即将到期'));
    await waitFor(() => expect(urls).toContain('?state=expiring'));
    expect(urls[0]).toBe('');
  });

  it('TRN-01 the report answers 403 without the permission and the page says so', async () => {
    mockApi({
      'GET /api/v1/session': session([]),
      'GET /api/v1/training/report': { status: 403, body: { code: 'forbidden', message: 'x', requestId: 'r9' } },
    });
    renderApp('/training/report');
    expect(await screen.findByText(/请求编号：r9/, {}, { timeout: 5000 })).toBeTruthy();
  });

  it('TRN-01 assignments: list, assign a course to a role by name, revoke', async () => {
    let created: unknown;
    let revoked = '';
    mockApi({
      'GET /api/v1/session': session(['training.course.manage']),
      'GET /api/v1/training/admin/courses': {
        status: 200,
        body: {
          courses: [
            {
              code: 'privacy-pipl',
              titleZh: '患者个人信息保护',
              titleEn: 'x',
              version: 1,
              passMark: 80,
              validityMonths: 12,
              questionCount: 6,
              active: true,
              publishedAt: '2026-12-01T00:00:00.000Z',
            },
          ],
        },
      },
      'GET /api/v1/training/admin/assignments': {
        status: 200,
        body: {
          assignments: [
            {
              id: '0192f4c0-0000-7000-8000-000000000001',
              courseCode: 'security-basics',
              titleZh: '信息安全七项基本实践',
              titleEn: 'x',
              targetKind: 'all',
              targetRole: null,
              targetUser: null,
              createdAt: '2026-12-01T00:00:00.000Z',
            },
          ],
        },
      },
      'POST /api/v1/training/admin/assignments': (init) => {
        created = JSON.parse(init?.body as string);
        return {
          status: 201,
          body: {
            assignment: {
              id: '0192f4c0-0000-7000-8000-000000000002',
              courseCode: 'privacy-pipl',
              titleZh: '患者个人信息保护',
              titleEn: 'x',
              targetKind: 'role',
              targetRole: 'QA',
              targetUser: null,
              createdAt: '2026-12-01T00:00:00.000Z',
            },
          },
        };
      },
      'POST /api/v1/training/admin/assignments/0192f4c0-0000-7000-8000-000000000001/revoke': () => {
        revoked = 'yes';
        return { status: 200, body: { revoked: true } };
      },
    });
    renderApp('/training/assignments');
    expect(await screen.findByText('全体员工', { selector: 'td' }, { timeout: 5000 })).toBeTruthy();
    fireEvent.mouseDown(screen.getByRole('combobox', { name: '课程' }));
    fireEvent.click(await screen.findByText('患者个人信息保护', { selector: '.ant-select-item-option-content' }));
    fireEvent.mouseDown(screen.getByRole('combobox', { name: '分配对象' }));
    fireEvent.click(await screen.findByText('按角色', { selector: '.ant-select-item-option-content' }));
    fireEvent.change(await screen.findByLabelText('角色名称'), { target: { value: ' QA ' } });
    fireEvent.click(screen.getByRole('button', { name: '分配' }));
    await waitFor(() => expect(created).toEqual({ courseCode: 'privacy-pipl', target: { kind: 'role', role: 'QA' } }));
    fireEvent.click(screen.getByRole('button', { name: '撤销' }));
    fireEvent.click(await screen.findByRole('button', { name: /确\s*定|OK/ }));
    await waitFor(() => expect(revoked).toBe('yes'));
  });
});
