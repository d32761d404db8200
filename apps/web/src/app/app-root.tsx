import { QueryClientProvider, type QueryClient } from '@tanstack/react-query';
import { App as AntApp, ConfigProvider } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import type { i18n as I18n } from 'i18next';
import { useEffect, type ReactNode } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { RouterProvider, type RouterProviderProps } from 'react-router';
import { currentLocale } from './i18n';
import { theme } from './theme';

interface Props {
  /** From src/csp-nonce.ts; undefined in tests. */
  nonce: string | undefined;
  i18n: I18n;
  queryClient: QueryClient;
  router: RouterProviderProps['router'];
}

function LocalizedAntd({ nonce, children }: { nonce: string | undefined; children: ReactNode }) {
  const { t, i18n } = useTranslation();
  const locale = currentLocale(i18n);
  useEffect(() => {
    document.title = t('app.title');
  }, [t, locale]);
  // Date pickers name months and weekdays through dayjs; its locale follows the UI language.
  dayjs.locale(locale === 'en' ? 'en' : 'zh-cn');
  return (
    <ConfigProvider
      csp={nonce ? { nonce } : undefined}
      locale={locale === 'en' ? enUS : zhCN}
      theme={theme}
      button={{ autoInsertSpace: false }}
    >
      {/* message, modal and notification come only from App.useApp(), so they inherit the nonce. */}
      <AntApp>{children}</AntApp>
    </ConfigProvider>
  );
}

/** Everything the UI needs around the router: i18n, antd (CSP nonce, locale, theme), TanStack Query. */
export function AppRoot({ nonce, i18n, queryClient, router }: Props) {
  return (
    <I18nextProvider i18n={i18n}>
      <QueryClientProvider client={queryClient}>
        <LocalizedAntd nonce={nonce}>
          <RouterProvider router={router} />
        </LocalizedAntd>
      </QueryClientProvider>
    </I18nextProvider>
  );
}
