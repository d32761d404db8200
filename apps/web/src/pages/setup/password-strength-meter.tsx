import { Progress, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ADMIN_PASSWORD_MIN_LENGTH, estimatePasswordStrength } from './password-strength';

/** Red to green, one colour per score. */
const COLORS = ['#cf1322', '#d4380d', '#d48806', '#389e0d', '#237804'] as const;

interface Props {
  password: string;
  /** The login and name typed so far: a password built from them is weak. */
  personal: readonly string[];
  /** Minimum length for this account (15 for administrators, 12 otherwise). */
  min?: number;
  /** Shown while the field is empty. */
  help?: string;
}

/** The live strength estimate under a new-password field, with what would make it stronger. */
export function PasswordStrengthMeter({ password, personal, min = ADMIN_PASSWORD_MIN_LENGTH, help }: Props) {
  const { t } = useTranslation();
  if (password === '') {
    return <Typography.Text type="secondary">{help ?? t('setup.passwordHelp', { min })}</Typography.Text>;
  }

  const { score, hints } = estimatePasswordStrength(password, personal, min);
  const label = t('passwordStrength.label', { level: t(`passwordStrength.level${score}`) });
  return (
    <div className="ml-strength" data-testid="password-strength" data-score={score}>
      <Progress steps={5} percent={(score + 1) * 20} showInfo={false} strokeColor={COLORS[score]} aria-label={label} />
      <div aria-live="polite">{label}</div>
      {hints.length > 0 && (
        <ul className="ml-strength-hints">
          {hints.map((hint) => (
            <li key={hint}>{t(`passwordStrength.${hint}`, { min })}</li>
          ))}
        </ul>
      )}
      <Typography.Text type="secondary">{t('passwordStrength.serverDecides')}</Typography.Text>
    </div>
  );
}
