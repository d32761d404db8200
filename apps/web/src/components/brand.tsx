import { useTranslation } from 'react-i18next';
import markUrl from '../assets/favicon.svg';

/** Product mark and name. */
export function Brand() {
  const { t } = useTranslation();
  return (
    <span className="ml-brand">
      <img className="ml-brand-mark" src={markUrl} alt="" />
      <span>{t('app.title')}</span>
    </span>
  );
}
