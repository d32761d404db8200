import { Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Brand } from './brand';
import { LanguageSwitch } from './language-switch';

interface Props {
  children: ReactNode;
  /** Wider card for pages with more text than a form. */
  wide?: boolean;
}

/** The frame of the pages reachable without a session (login, setup): brand, language, one card. */
export function PublicLayout({ children, wide = false }: Props) {
  const { t } = useTranslation();
  return (
    <div className="ml-public">
      <header className="ml-public-header">
        <Brand />
        <LanguageSwitch />
      </header>
      <main className="ml-public-main">
        <div className={wide ? 'ml-public-card ml-wide' : 'ml-public-card'}>
          <div className="ml-public-intro">
            <Typography.Text type="secondary">{t('app.subtitle')}</Typography.Text>
          </div>
          {children}
        </div>
      </main>
    </div>
  );
}
