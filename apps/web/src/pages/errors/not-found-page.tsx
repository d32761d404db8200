import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

export function NotFoundPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="404"
      title={
        <>
          <div className="ml-status-code">404</div>
          <span role="heading" aria-level={1}>
            {t('notFound.title')}
          </span>
        </>
      }
      subTitle={t('notFound.description')}
      extra={
        <Button type="primary" onClick={() => void navigate('/')}>
          {t('notFound.backHome')}
        </Button>
      }
      data-testid="not-found"
    />
  );
}
