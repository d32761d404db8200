import { BREAK_GLASS_DECISIONS, type BreakGlassGrantView } from '@medledger/contract';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Radio, Select, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { clinicalKey, reviewBreakGlass, useBreakGlassReviews } from '../../api/clinical';
import { ClinicalErrorAlert } from './clinical-format';

interface Values {
  decision?: (typeof BREAK_GLASS_DECISIONS)[number];
  comment?: string;
}

function ReviewDialog({ grant, onClose }: { grant: BreakGlassGrantView | null; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Values>();
  const review = useMutation({
    mutationFn: (v: Values) =>
      reviewBreakGlass(grant?.id ?? '', { decision: v.decision ?? 'justified', comment: (v.comment ?? '').trim() }),
    onSuccess: async () => {
      void message.success(t('clinical.breakGlass.reviewed'));
      await queryClient.invalidateQueries({ queryKey: clinicalKey });
      form.resetFields();
      onClose();
    },
  });
  return (
    <Modal
      open={grant !== null}
      title={t('clinical.breakGlass.review')}
      okText={t('clinical.breakGlass.submitReview')}
      cancelText={t('gsp.common.cancel')}
      okButtonProps={{ loading: review.isPending }}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
    >
      {grant !== null && (
        <Typography.Paragraph>
          {grant.userName} · {grant.grantedAt} · {grant.reason}
        </Typography.Paragraph>
      )}
      <Form<Values> form={form} layout="vertical" requiredMark={false} onFinish={(v) => review.mutate(v)}>
        <Form.Item
          label={t('clinical.breakGlass.decision')}
          name="decision"
          rules={[{ required: true, message: t('gsp.common.required') }]}
        >
          <Radio.Group
            options={BREAK_GLASS_DECISIONS.map((d) => ({ value: d, label: t(`clinical.breakGlass.decisions.${d}`) }))}
          />
        </Form.Item>
        <Form.Item
          label={t('clinical.breakGlass.comment')}
          name="comment"
          rules={[{ required: true, whitespace: true, min: 2, message: t('clinical.breakGlass.commentRequired') }]}
        >
          <Input.TextArea rows={3} maxLength={1000} />
        </Form.Item>
      </Form>
      {review.isError && <ClinicalErrorAlert error={review.error} />}
    </Modal>
  );
}

/** `/clinical/break-glass/reviews`: the security administrator's queue (overdue flagged). */
export function BreakGlassReviewsPage() {
  const { t } = useTranslation();
  const [state, setState] = useState<'open' | 'closed' | undefined>('open');
  const [reviewing, setReviewing] = useState<BreakGlassGrantView | null>(null);
  const queue = useBreakGlassReviews(state);
  return (
    <Space orientation="vertical" size="large" className="ml-page-stack">
      <Typography.Title level={2}>{t('clinical.breakGlass.reviewsTitle')}</Typography.Title>
      <Card>
        <Typography.Paragraph type="secondary">{t('clinical.breakGlass.reviewsIntro')}</Typography.Paragraph>
        <Space wrap className="ml-toolbar">
          <Select
            allowClear
            value={state}
            className="ml-select-status"
            aria-label={t('clinical.breakGlass.state')}
            options={(['open', 'closed'] as const).map((s) => ({
              value: s,
              label: t(`clinical.breakGlass.states.${s}`),
            }))}
            onChange={(s: 'open' | 'closed' | undefined) => setState(s)}
          />
        </Space>
        {queue.isError ? (
          <ClinicalErrorAlert error={queue.error} />
        ) : (
          <Table<BreakGlassGrantView>
            rowKey="id"
            size="middle"
            loading={queue.isPending}
            dataSource={queue.data?.grants ?? []}
            locale={{ emptyText: t('clinical.breakGlass.emptyReviews') }}
            columns={[
              { title: t('clinical.breakGlass.user'), dataIndex: 'userName' },
              { title: t('clinical.breakGlass.grantedAt'), dataIndex: 'grantedAt' },
              { title: t('clinical.breakGlass.reason'), dataIndex: 'reason' },
              {
                title: t('clinical.breakGlass.target'),
                key: 'target',
                render: (_: unknown, g) =>
                  g.target === 'record'
                    ? `${t('clinical.breakGlass.targetRecord')} ${g.recordId ?? ''}`
                    : `${t('clinical.breakGlass.targetPatient')} ${g.patientIdMasked ?? ''}`,
              },
              { title: t('clinical.breakGlass.reads'), dataIndex: 'reads' },
              {
                title: t('clinical.breakGlass.dueAt'),
                key: 'due',
                render: (_: unknown, g) => (
                  <Space>
                    {g.review.dueAt}
                    {g.review.overdue && <Tag color="red">{t('clinical.breakGlass.overdue')}</Tag>}
                    {g.review.escalatedAt !== null && <Tag color="volcano">{t('clinical.breakGlass.escalated')}</Tag>}
                  </Space>
                ),
              },
              {
                title: t('clinical.breakGlass.decision'),
                key: 'decision',
                render: (_: unknown, g) =>
                  g.review.status === 'open' ? (
                    <Button size="small" onClick={() => setReviewing(g)}>
                      {t('clinical.breakGlass.review')}
                    </Button>
                  ) : (
                    `${t(`clinical.breakGlass.decisions.${g.review.decision ?? 'justified'}`)} · ${g.review.reviewedByName ?? ''} · ${g.review.comment ?? ''}`
                  ),
              },
            ]}
          />
        )}
      </Card>
      <ReviewDialog grant={reviewing} onClose={() => setReviewing(null)} />
    </Space>
  );
}
