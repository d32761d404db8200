import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Popconfirm, Select, Space, Table, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createAssignment, revokeAssignment, trainingKey, useAssignments, useManagedCourses } from '../../api/training';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { usePick } from './training-format';

type Assignment = NonNullable<ReturnType<typeof useAssignments>['data']>['assignments'][number];
type FormValues = { courseCode: string; kind: 'all' | 'role'; role?: string };

/** TRN-01: assign courses to all staff or to a role by name (training.course.manage). */
export function AssignmentsPage() {
  const { t } = useTranslation();
  const pick = usePick();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const courses = useManagedCourses();
  const list = useAssignments();
  const [form] = Form.useForm<FormValues>();
  const [kind, setKind] = useState<'all' | 'role'>('all');
  const refresh = () => queryClient.invalidateQueries({ queryKey: trainingKey });
  const create = useMutation({
    mutationFn: (v: FormValues) =>
      createAssignment({
        courseCode: v.courseCode,
        target: v.kind === 'role' ? { kind: 'role', role: (v.role ?? '').trim() } : { kind: 'all' },
      }),
    onSuccess: async () => {
      form.resetFields();
      setKind('all');
      void message.success(t('training.assigned'));
      await refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: revokeAssignment,
    onSuccess: async () => {
      void message.success(t('training.revoked'));
      await refresh();
    },
  });
  const target = (a: Assignment) =>
    a.targetKind === 'all'
      ? t('training.targetAll')
      : a.targetKind === 'role'
        ? t('training.targetRole', { role: a.targetRole ?? '' })
        : t('training.targetUser', { name: a.targetUser?.name ?? '', login: a.targetUser?.login ?? '' });

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <Typography.Title level={2}>{t('training.assignments')}</Typography.Title>
      <Card>
        <Form<FormValues>
          form={form}
          layout="inline"
          initialValues={{ kind: 'all' }}
          onFinish={(v) => create.mutate(v)}
        >
          <Form.Item
            name="courseCode"
            label={t('training.course')}
            rules={[{ required: true, message: t('training.courseRequired') }]}
          >
            <Select
              style={{ minWidth: 260 }}
              loading={courses.isPending}
              options={(courses.data?.courses ?? [])
                .filter((c) => c.active)
                .map((c) => ({ value: c.code, label: pick(c.titleZh, c.titleEn) }))}
            />
          </Form.Item>
          <Form.Item name="kind" label={t('training.target')}>
            <Select
              style={{ minWidth: 140 }}
              onChange={(v: 'all' | 'role') => setKind(v)}
              options={[
                { value: 'all', label: t('training.kindAll') },
                { value: 'role', label: t('training.kindRole') },
              ]}
            />
          </Form.Item>
          {kind === 'role' && (
            <Form.Item
              name="role"
              label={t('training.roleName')}
              rules={[{ required: true, whitespace: true, message: t('training.roleRequired') }]}
            >
              <Input maxLength={64} />
            </Form.Item>
          )}
          <Button type="primary" htmlType="submit" loading={create.isPending}>
            {t('training.assign')}
          </Button>
        </Form>
        {create.error && <ApiErrorAlert error={create.error} />}
        {revoke.error && <ApiErrorAlert error={revoke.error} />}
      </Card>
      <Card>
        <Table<Assignment>
          rowKey="id"
          loading={list.isPending}
          dataSource={list.data?.assignments ?? []}
          pagination={false}
          locale={{ emptyText: t('training.noRows') }}
          columns={[
            { title: t('training.course'), key: 'course', render: (_, a) => pick(a.titleZh, a.titleEn) },
            { title: t('training.target'), key: 'target', render: (_, a) => target(a) },
            {
              title: '',
              key: 'revoke',
              render: (_, a) => (
                <Popconfirm title={t('training.revokeConfirm')} onConfirm={() => revoke.mutate(a.id)}>
                  <Button type="link" danger>
                    {t('training.revoke')}
                  </Button>
                </Popconfirm>
              ),
            },
          ]}
        />
      </Card>
    </Space>
  );
}
