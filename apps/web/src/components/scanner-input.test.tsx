import { GS1_FNC1_SUBSTITUTES, gs1CheckDigit, parseUdi } from '@medledger/contract';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import dayjs from 'dayjs';
import { createMemoryRouter } from 'react-router';
import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../api/client';
import { AppRoot } from '../app/app-root';
import { createAppI18n } from '../app/i18n';
import { createQueryClient } from '../app/query-client';
import { ScannerInput } from './scanner-input';

const SLOW = { timeout: 60_000 };
// Synthetic GTIN with a correct check digit, and the same with a wrong one.
const GTIN = `0690123456789${gs1CheckDigit('0690123456789')}`;
const BAD_GTIN = `0690123456789${(Number(gs1CheckDigit('0690123456789')) + 1) % 10}`;
const EXPIRY = dayjs().add(2, 'year').endOf('year'); // a 31 December ahead: the day is explicit
const YYMMDD = EXPIRY.format('YYMMDD');
const ISO = EXPIRY.format('YYYY-MM-DD');

function renderScanner(onSubmit: (scans: string[]) => Promise<unknown>, lang?: 'en') {
  if (lang) window.localStorage.setItem('medledger.lang', lang);
  const router = createMemoryRouter([{ path: '/', element: <ScannerInput onSubmit={onSubmit} maxBatch={1000} /> }]);
  return render(<AppRoot nonce={undefined} i18n={createAppI18n()} queryClient={createQueryClient()} router={router} />);
}

const field = () => screen.getByLabelText<HTMLInputElement>('扫描 UDI');
const typeScan = (raw: string) => fireEvent.change(field(), { target: { value: raw } });
const enter = (ctrlKey = false) => fireEvent.keyDown(field(), { key: 'Enter', code: 'Enter', ctrlKey });
const shownField = (name: string) =>
  screen.getByTestId('parsed-udi').querySelector(`[data-field="${name}"]`)?.textContent;

describe('scanner input', SLOW, () => {
  it('VAL-01 every FNC1 variant (ASCII 29, ^, <GS>, {GS}…), with or without ]d2, HRI and Digital Link show the same UDI before sending', async () => {
    renderScanner(() => Promise.resolve());
    await screen.findByLabelText('扫描 UDI');
    const variants = [
      ...GS1_FNC1_SUBSTITUTES.map((sep) => `01${GTIN}17${YYMMDD}10LOT-A${sep}21SN0001`),
      `]d201${GTIN}17${YYMMDD}10LOT-A\x1d21SN0001`,
      `]d2^01${GTIN}17${YYMMDD}10LOT-A^21SN0001`,
      `(01)${GTIN}(17)${YYMMDD}(10)LOT-A(21)SN0001`,
      `https://id.gs1.org/01/${GTIN}/10/LOT-A/21/SN0001?17=${YYMMDD}`,
    ];
    for (const raw of variants) {
      typeScan(raw);
      await waitFor(() => expect(shownField('di'), raw).toBe(GTIN));
      expect(shownField('lot'), raw).toBe('LOT-A');
      expect(shownField('serial'), raw).toBe('SN0001');
      expect(shownField('expiryDate'), raw).toBe(ISO);
      expect(screen.getByText('中国物品编码中心（GS1）')).toBeTruthy();
    }
    // The field is cleared and the scan waits in the list after Enter; focus stays on the field.
    enter();
    await waitFor(() => expect(field().value).toBe(''));
    const list = screen.getByTestId('pending-scans');
    expect(within(list).getByText(`${GTIN} · LOT-A · SN0001`)).toBeTruthy();
    expect(document.activeElement).toBe(field());
  });

  it('VAL-01 a wrong check digit shows the parser’s own message with the position, and nothing is queued', async () => {
    renderScanner(() => Promise.resolve());
    await screen.findByLabelText('扫描 UDI');
    const raw = `]d201${BAD_GTIN}10LOT-A`;
    const expected = parseUdi(raw);
    if (expected.ok) throw new Error('the scan should not parse');
    typeScan(raw);
    const message = await screen.findByTestId('udi-error-message');
    expect(message.textContent).toBe(expected.error.message);
    expect(expected.error.message).toMatch(/position \d+/);
    expect(
      screen.getByText(`无法识别此条码（第 ${expected.error.position! + 1} 个字符） · 校验位错误`, { exact: false }),
    ).toBeTruthy();
    // The offending character is marked in the raw scan.
    expect(screen.getByTestId('raw-scan').querySelector('mark')?.textContent).toBe(
      raw.charAt(expected.error.position!),
    );
    enter();
    await waitFor(() => expect(field().value).toBe(''));
    // The error stays visible after Enter, the list stays empty.
    expect(screen.getByTestId('udi-error-message').textContent).toBe(expected.error.message);
    expect(screen.queryByTestId('pending-scans')).toBeNull();
    expect(screen.getByText('尚无待提交的扫码。')).toBeTruthy();
  });

  it('GSP-03 expired dates are red with the date; Delete removes the last scan; Ctrl+Enter sends the batch exactly as scanned', async () => {
    const batches: string[][] = [];
    let fail = true;
    const onSubmit = vi.fn((scans: string[]) => {
      batches.push(scans);
      if (fail) {
        fail = false;
        return Promise.reject(
          new ApiError({
            status: 409,
            code: 'conflict',
            message: 'Scan 1: lot OLD-1 expired on 2020-01-31.',
            requestId: 'req-1',
          }),
        );
      }
      return Promise.resolve({});
    });
    renderScanner(onSubmit);
    await screen.findByLabelText('扫描 UDI');
    const expired = `01${GTIN}1720013110OLD-1`;
    typeScan(expired);
    const tag = await screen.findByText('已过期 2020-01-31');
    expect(tag.closest('[data-expired]')).toBeTruthy();
    expect(tag.closest('.ant-tag')?.className).toContain('red');
    enter();
    const second = `01${GTIN}17${YYMMDD}10LOT-B^21SN0002`;
    typeScan(second);
    enter();
    typeScan(`01${GTIN}17${YYMMDD}10LOT-B^21SN0003`);
    enter();
    await waitFor(() => expect(within(screen.getByTestId('pending-scans')).getAllByRole('listitem')).toHaveLength(3));
    // A serial already in the list is not queued twice.
    typeScan(second);
    enter();
    expect(await screen.findByText('序列号 SN0002 已在待提交列表中：同一序列号只代表一件产品。')).toBeTruthy();
    // Delete on an empty field removes the last one.
    fireEvent.keyDown(field(), { key: 'Delete', code: 'Delete' });
    await waitFor(() => expect(within(screen.getByTestId('pending-scans')).getAllByRole('listitem')).toHaveLength(2));
    expect(within(screen.getByTestId('pending-scans')).getByText('已过期 2020-01-31')).toBeTruthy();

    // Ctrl+Enter sends the batch; the refusal is shown with the server's detail and the list is kept.
    enter(true);
    expect(await screen.findByText('服务器说明：Scan 1: lot OLD-1 expired on 2020-01-31.')).toBeTruthy();
    expect(batches).toEqual([[expired, second]]);
    expect(within(screen.getByTestId('pending-scans')).getAllByRole('listitem')).toHaveLength(2);
    // Remove the expired one with its button, then send again with Ctrl+Enter.
    fireEvent.click(screen.getByLabelText('删除第 1 条'));
    await waitFor(() => expect(within(screen.getByTestId('pending-scans')).getAllByRole('listitem')).toHaveLength(1));
    expect(document.activeElement).toBe(field());
    enter(true);
    expect(await screen.findByText('已提交 1 条扫码。')).toBeTruthy();
    expect(batches.at(-1)).toEqual([second]);
    expect(screen.queryByTestId('pending-scans')).toBeNull();
  });

  it('speaks English when the interface does', async () => {
    renderScanner(() => Promise.resolve(), 'en');
    const input = await screen.findByLabelText<HTMLInputElement>('Scan UDI');
    fireEvent.change(input, { target: { value: `]d201${BAD_GTIN}` } });
    expect(await screen.findByText(/This barcode cannot be read \(character \d+\) · Wrong check digit/)).toBeTruthy();
  });
});
