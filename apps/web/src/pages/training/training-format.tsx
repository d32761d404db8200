import type { TrainingState } from '@medledger/contract';
import { Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

/** The Chinese or English variant of a bilingual field, following the interface language. */
export function usePick(): (zh: string, en: string) => string {
  const { i18n } = useTranslation();
  return (zh, en) => (i18n.language === 'en' ? en : zh);
}

/** A calendar date in the interface language. */
export function formatDate(at: string, language: string): string {
  return new Intl.DateTimeFormat(language, { year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(at));
}

const STATE_COLOURS: Record<TrainingState, string> = {
  not_started: 'default',
  current: 'green',
  expiring: 'orange',
  expired: 'red',
};

/** "Not started / current until … / expiring soon / expired" as a tag. */
export function StateTag({ state, expiresAt }: { state: TrainingState; expiresAt: string | null }) {
  const { t, i18n } = useTranslation();
  const date = expiresAt === null ? '' : formatDate(expiresAt, i18n.language);
  return <Tag color={STATE_COLOURS[state]}>{t(`training.states.${state}`, { date })}</Tag>;
}

/** Course text: paragraphs separated by blank lines; a line starting with `## ` is a heading. Never HTML. */
export function CourseBody({ text }: { text: string }) {
  const blocks = text.split(/\n\s*\n/).filter((b) => b.trim() !== '');
  return (
    <div className="ml-course-body">
      {blocks.map((block, i) =>
        block.startsWith('## ') ? (
          <Typography.Title key={i} level={4}>
            {block.slice(3).trim()}
          </Typography.Title>
        ) : (
          <Typography.Paragraph key={i} style={{ whiteSpace: 'pre-line' }}>
            {block.trim()}
          </Typography.Paragraph>
        ),
      )}
    </div>
  );
}
