import type { AttemptResult } from '@medledger/contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Checkbox, Radio, Result, Space, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { submitAttempt, trainingKey, useLearnerCourse } from '../../api/training';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { CourseBody, formatDate, StateTag, usePick } from './training-format';

/** TRN-01: read the course, take its quiz on one page, see the score; grading happens on the server. */
export function CoursePage() {
  const { code = '' } = useParams();
  const { t, i18n } = useTranslation();
  const pick = usePick();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const course = useLearnerCourse(code);
  const [answers, setAnswers] = useState<Record<string, string[]>>({});
  const [result, setResult] = useState<AttemptResult | null>(null);

  const submit = useMutation({
    mutationFn: () =>
      submitAttempt(code, {
        version: course.data!.course.version,
        answers: course.data!.questions.map((q) => ({ questionId: q.id, optionIds: answers[q.id] ?? [] })),
      }),
    onSuccess: async (r) => {
      setResult(r);
      await queryClient.invalidateQueries({ queryKey: trainingKey });
    },
  });

  if (course.error) return <ApiErrorAlert error={course.error} />;
  if (!course.data) return <Card loading />;
  const { course: c, questions, status, attemptsLeftToday } = course.data;
  const complete = questions.every((q) => (answers[q.id]?.length ?? 0) > 0);

  if (result) {
    return (
      <Result
        status={result.passed ? 'success' : 'warning'}
        title={
          result.passed
            ? t('training.passed', {
                score: result.score,
                correct: result.correctCount,
                total: result.questionCount,
                date: formatDate(result.completion!.expiresAt, i18n.language),
              })
            : t('training.failed', {
                score: result.score,
                correct: result.correctCount,
                total: result.questionCount,
                mark: result.passMark,
                left: result.attemptsLeftToday,
              })
        }
        extra={[
          result.passed ? (
            <Button key="certs" type="primary" onClick={() => void navigate('/training/certificates')}>
              {t('training.viewCertificates')}
            </Button>
          ) : (
            <Button
              key="retry"
              type="primary"
              disabled={result.attemptsLeftToday === 0}
              onClick={() => {
                setAnswers({});
                setResult(null);
              }}
            >
              {t('training.retry')}
            </Button>
          ),
          <Button key="back" onClick={() => void navigate('/training')}>
            {t('training.back')}
          </Button>,
        ]}
      />
    );
  }

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2}>{pick(c.titleZh, c.titleEn)}</Typography.Title>
      <Space wrap>
        <StateTag state={status.state} expiresAt={status.expiresAt} />
        <Typography.Text type="secondary">
          {t('training.passMark', { mark: c.passMark, months: c.validityMonths })}
        </Typography.Text>
      </Space>
      {status.completedVersion !== null && status.completedVersion !== c.version && status.state !== 'expired' && (
        <Alert
          type="info"
          showIcon
          title={t('training.newVersion', { version: c.version, completed: status.completedVersion })}
        />
      )}
      <Card>
        <CourseBody text={pick(c.bodyZh, c.bodyEn)} />
      </Card>
      <Card title={t('training.quiz')}>
        <Space orientation="vertical" size="large" style={{ width: '100%' }}>
          {questions.map((q, i) => (
            <fieldset key={q.id} className="ml-quiz-question" aria-label={`${i + 1}. ${pick(q.promptZh, q.promptEn)}`}>
              <Typography.Paragraph strong>
                {i + 1}. {pick(q.promptZh, q.promptEn)}{' '}
                <Typography.Text type="secondary">({t(`training.${q.kind}`)})</Typography.Text>
              </Typography.Paragraph>
              {q.kind === 'single' ? (
                <Radio.Group
                  value={answers[q.id]?.[0]}
                  onChange={(e) => setAnswers({ ...answers, [q.id]: [String(e.target.value)] })}
                >
                  <Space orientation="vertical">
                    {q.options.map((o) => (
                      <Radio key={o.id} value={o.id}>
                        {pick(o.textZh, o.textEn)}
                      </Radio>
                    ))}
                  </Space>
                </Radio.Group>
              ) : (
                <Checkbox.Group
                  value={answers[q.id] ?? []}
                  onChange={(values) => setAnswers({ ...answers, [q.id]: values.map(String) })}
                >
                  <Space orientation="vertical">
                    {q.options.map((o) => (
                      <Checkbox key={o.id} value={o.id}>
                        {pick(o.textZh, o.textEn)}
                      </Checkbox>
                    ))}
                  </Space>
                </Checkbox.Group>
              )}
            </fieldset>
          ))}
          {submit.error && <ApiErrorAlert error={submit.error} />}
          {attemptsLeftToday === 0 ? (
            <Alert type="warning" showIcon title={t('training.noAttemptsLeft')} />
          ) : (
            <Typography.Text type="secondary">
              {t('training.attemptsLeft', { count: attemptsLeftToday })}
            </Typography.Text>
          )}
          {!complete && <Typography.Text type="secondary">{t('training.answerAll')}</Typography.Text>}
          <Button
            type="primary"
            disabled={!complete || attemptsLeftToday === 0}
            loading={submit.isPending}
            onClick={() => submit.mutate()}
          >
            {t('training.submit')}
          </Button>
        </Space>
      </Card>
    </Space>
  );
}
