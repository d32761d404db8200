import { DATA_FIELDS, PERMISSIONS } from '@medledger/contract';
import { screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { LANGUAGE_STORAGE_KEY } from '../../app/i18n';
import { mockApi, renderApp } from '../../../test/render-app';

const session = (permissions: string[]) => ({
  status: 200,
  body: {
    user: { id: 'sec-1', name: '王安全', login: 'sec.wang' },
    permissions,
    idleTimeoutSeconds: 900,
    passwordExpiresSoon: null,
    unreadNotifications: 0,
  },
});

function rowOf(text: string): HTMLElement {
  const row = screen.getByText(text).closest('tr');
  if (row === null) throw new Error(`no row for ${text}`);
  return row;
}

describe('AC-07 data classification screen', () => {
  afterEach(() => window.localStorage.removeItem(LANGUAGE_STORAGE_KEY));

  it('AC-07 lists every classified field with level, category and what shows it in clear (Chinese)', async () => {
    mockApi({ 'GET /api/v1/session': session(['access.role.read']) });
    renderApp('/access/data-classification');
    expect(await screen.findByRole('heading', { name: '数据分级' }, { timeout: 5000 })).toBeTruthy();
    expect(screen.getByRole('menuitem', { name: /数据分级/ })).toBeTruthy();
    expect(screen.getAllByTestId('classification-level')).toHaveLength(Object.keys(DATA_FIELDS).length);
    const patient = rowOf('患者身份证件号码');
    expect(within(patient).getByText('4')).toBeTruthy();
    expect(within(patient).getByText('个人健康医疗数据')).toBeTruthy();
    expect(within(patient).getByText('脱敏')).toBeTruthy();
    expect(within(patient).getByText('加密存储')).toBeTruthy();
    expect(within(patient).getByText(`权限：${PERMISSIONS['clinical.patient.reveal'].zh}`)).toBeTruthy();
    expect(within(patient).getByText('培训：privacy-pipl（当前有效，不设宽限期）')).toBeTruthy();
    expect(within(patient).getByText('填写查看目的')).toBeTruthy();
    const phone = rowOf('用户手机号');
    expect(within(phone).getByText('3')).toBeTruthy();
    expect(within(phone).getByText('个人信息')).toBeTruthy();
    expect(within(phone).queryByText('填写查看目的')).toBeNull();
    expect(within(rowOf('动态口令密钥')).getByText('任何人都不能查看明文')).toBeTruthy();
    expect(within(rowOf('短信正文（含验证码）')).getByText(/例外：仅在开发用短信发件箱/)).toBeTruthy();
  });

  it('AC-07 the same catalogue in English', async () => {
    window.localStorage.setItem(LANGUAGE_STORAGE_KEY, 'en');
    mockApi({ 'GET /api/v1/session': session(['access.role.read']) });
    renderApp('/access/data-classification');
    expect(await screen.findByRole('heading', { name: 'Data classification' }, { timeout: 5000 })).toBeTruthy();
    const patient = rowOf('Patient name (usage record)');
    expect(within(patient).getByText('Personal health data')).toBeTruthy();
    expect(within(patient).getByText('Training: privacy-pipl (current, no grace period)')).toBeTruthy();
    expect(within(patient).getByText('A declared purpose')).toBeTruthy();
    expect(within(rowOf('Sales prices and amounts')).getByText('Business confidential')).toBeTruthy();
  });

  it('without the permission the screen is refused and the menu has no entry', async () => {
    mockApi({ 'GET /api/v1/session': session(['inventory.stock.read']) });
    renderApp('/access/data-classification');
    expect(await screen.findByTestId('classification-forbidden', {}, { timeout: 5000 })).toBeTruthy();
    expect(screen.queryByRole('menuitem', { name: /数据分级/ })).toBeNull();
  });
});
