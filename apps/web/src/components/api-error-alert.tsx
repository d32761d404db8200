import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { apiErrorText } from '../app/error-message';

interface Props {
  error: unknown;
  /** Replaces the message derived from the error code. */
  message?: string | undefined;
}

/**
 * A failed API call as an alert: localized message, plus the request ID when the server gave one.
 * A refusal by the qualification check lists its reasons (the server names the licence, scope code
 * or date in each).
 */
export function ApiErrorAlert({ error, message }: Props) {
  const { t } = useTranslation();
  const text = apiErrorText(t, error);
  const requestId = text.requestId ? t('errors.requestId', { requestId: text.requestId }) : undefined;
  const reasons = error instanceof ApiError && error.code === 'qualification_blocked' ? error.issues : [];
  return (
    <Alert
      type="error"
      showIcon
      title={message ?? text.message}
      description={
        reasons.length > 0 ? (
          <>
            <ul className="ml-issue-list" data-testid="qualification-reasons">
              {reasons.map((issue, i) => (
                <li key={i}>{issue.message}</li>
              ))}
            </ul>
            <div>{t('errors.qualificationAdvice')}</div>
            {requestId && <div>{requestId}</div>}
          </>
        ) : (
          requestId
        )
      }
    />
  );
}
