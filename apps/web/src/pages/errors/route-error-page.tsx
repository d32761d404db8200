import { Button, Result } from 'antd';
import { useTranslation } from 'react-i18next';
import { isRouteErrorResponse, useRouteError } from 'react-router';
import { NotFoundPage } from './not-found-page';

/** The router's errorElement: a render or loader error somewhere below the root route. */
export function RouteErrorPage() {
  const { t } = useTranslation();
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  return (
    <Result
      status="error"
      title={
        <span role="heading" aria-level={1}>
          {t('routeError.title')}
        </span>
      }
      subTitle={t('routeError.description')}
      extra={
        // A full page load: whatever state broke this page is discarded.
        <Button type="primary" href="/">
          {t('routeError.backHome')}
        </Button>
      }
      data-testid="route-error"
    />
  );
}
