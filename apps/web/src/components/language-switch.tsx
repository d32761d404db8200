import { GlobalOutlined } from '@ant-design/icons';
import type { Locale } from '@medledger/contract';
import { Button } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLocale, currentLocale } from '../app/i18n';

/** Each language is named in itself, so it can be found whatever the current language is. */
const LANGUAGE_NAMES: Record<Locale, { label: string; lang: string }> = {
  'zh-CN': { label: '中文', lang: 'zh-CN' },
  en: { label: 'English', lang: 'en' },
};

/** Toggles between the two UI languages; the button shows the language it switches to. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  const target: Locale = currentLocale(i18n) === 'zh-CN' ? 'en' : 'zh-CN';
  const name = LANGUAGE_NAMES[target];
  return (
    <Button
      type="text"
      icon={<GlobalOutlined aria-hidden />}
      title={t('language.switchTo')}
      data-testid="language-switch"
      onClick={() => void changeLocale(i18n, target)}
    >
      <span lang={name.lang}>{name.label}</span>
    </Button>
  );
}
