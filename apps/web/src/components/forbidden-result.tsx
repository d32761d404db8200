import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';

/** Shown instead of a page the session may not see: what is missing, and the way home. */
export function ForbiddenResult({
  title,
  description,
  testId,
}: {
  title: string;
  description: string;
  testId: string;
}) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Result
      status="403"
      title={
        <>
          <div className="ml-status-code">403</div>
          <span role="heading" aria-level={1}>
            {title}
          </span>
        </>
      }
      subTitle={description}
      extra={
        <Button type="primary" onClick={() => void navigate('/')}>
          {t('notFound.backHome')}
        </Button>
      }
      data-testid={testId}
    />
  );
}
