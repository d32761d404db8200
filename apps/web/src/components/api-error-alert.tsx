import { Alert } from 'antd';
import { useTranslation } from 'react-i18next';
import { apiErrorText } from '../app/error-message';

interface Props {
  error: unknown;
  /** Replaces the message derived from the error code. */
  message?: string | undefined;
}

/** A failed API call as an alert: localized message, plus the request ID when the server gave one. */
export function ApiErrorAlert({ error, message }: Props) {
  const { t } = useTranslation();
  const text = apiErrorText(t, error);
  return (
    <Alert
      type="error"
      showIcon
      title={message ?? text.message}
      description={text.requestId ? t('errors.requestId', { requestId: text.requestId }) : undefined}
    />
  );
}
