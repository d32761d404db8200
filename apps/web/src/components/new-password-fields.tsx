import { Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { PasswordStrengthMeter } from '../pages/setup/password-strength-meter';

/** AUTH-02: 15 characters for privileged accounts, 12 otherwise (code points, as the server counts). */
export const USER_PASSWORD_MIN_LENGTH = 12;

interface Props {
  /** The field name of the new password; the confirmation is `${name}Confirm`. */
  name: string;
  password: string;
  /** Login, name and other words of the account: a password built from them is weak. */
  personal: readonly string[];
  min: number;
}

/**
 * A new password and its confirmation (AUTH-05: `type=password`, `autocomplete="new-password"`,
 * paste allowed), with the live strength meter. The server's policy check decides.
 */
export function NewPasswordFields({ name, password, personal, min }: Props) {
  const { t } = useTranslation();
  return (
    <>
      <Form.Item
        label={t('passwordPolicy.newPassword')}
        name={name}
        validateTrigger={['onChange', 'onBlur']}
        extra={
          <PasswordStrengthMeter
            password={password}
            personal={personal}
            min={min}
            help={t('passwordPolicy.help', { min })}
          />
        }
        rules={[
          { required: true, message: t('passwordPolicy.required') },
          {
            validateTrigger: 'onBlur',
            validator: (_rule, value: string | undefined) =>
              !value || [...value].length >= min
                ? Promise.resolve()
                : Promise.reject(new Error(t('passwordPolicy.too_short_min', { min }))),
          },
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
      <Form.Item
        label={t('passwordPolicy.confirm')}
        name={`${name}Confirm`}
        dependencies={[name]}
        rules={[
          { required: true, message: t('passwordPolicy.confirmRequired') },
          ({ getFieldValue }) => ({
            validator: (_rule, value: string | undefined) =>
              !value || value === getFieldValue(name)
                ? Promise.resolve()
                : Promise.reject(new Error(t('passwordPolicy.mismatch'))),
          }),
        ]}
      >
        <Input.Password autoComplete="new-password" />
      </Form.Item>
    </>
  );
}
