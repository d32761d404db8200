import type { PasskeyView } from '@medledger/contract';
import { KeyOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { addPasskey, addPasskeyOptions, listPasskeys, removePasskey, renamePasskey } from '../../api/passkeys';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { StepUpModal, isStepUpRequired, myFactorsQueryKey } from '../../components/step-up';
import { PasskeyErrorAlert, createPasskey } from '../login/passkey-ceremony';

export const passkeysQueryKey = myFactorsQueryKey;

/** What waits for the step-up to finish. */
type Pending = { kind: 'add'; name: string } | { kind: 'remove'; id: string };

/** A modal asking for a passkey's name (adding and renaming). */
function NameModal(props: {
  open: boolean;
  title: string;
  initial: string;
  busy: boolean;
  error?: ReactNode;
  onSubmit: (name: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ name: string }>();
  return (
    <Modal
      open={props.open}
      title={props.title}
      okText={t('passkey.card.save')}
      cancelText={t('passkey.card.cancel')}
      confirmLoading={props.busy}
      onOk={() => form.submit()}
      onCancel={props.onCancel}
      destroyOnHidden
    >
      <Form<{ name: string }>
        form={form}
        name="passkey-name"
        layout="vertical"
        requiredMark={false}
        initialValues={{ name: props.initial }}
        disabled={props.busy}
        onFinish={({ name }) => props.onSubmit(name.trim())}
      >
        <Form.Item
          label={t('passkey.name')}
          name="name"
          extra={t('passkey.nameHelp')}
          rules={[{ required: true, whitespace: true, message: t('passkey.nameRequired') }]}
        >
          <Input maxLength={60} autoComplete="off" />
        </Form.Item>
        {props.error}
      </Form>
    </Modal>
  );
}

/**
 * The signed-in user's passkeys: list, add (the browser creates it after the fingerprint, face or
 * PIN), rename and remove. Adding and removing need a recent authentication; the card asks for it
 * (passkey or authenticator code) and then carries on. The server refuses to remove the last strong
 * factor; the card says what to do instead.
 */
export function PasskeysCard() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const list = useQuery({ queryKey: passkeysQueryKey, queryFn: listPasskeys });
  const [adding, setAdding] = useState(false);
  const [renaming, setRenaming] = useState<PasskeyView | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: passkeysQueryKey });

  const add = useMutation({
    mutationFn: async (name: string) => addPasskey(name, await createPasskey(await addPasskeyOptions())),
    onSuccess: async () => {
      setAdding(false);
      void message.success(t('passkey.card.added'));
      await refresh();
    },
    onError: (error, name) => {
      if (isStepUpRequired(error)) {
        setAdding(false);
        setPending({ kind: 'add', name });
      }
    },
  });
  const rename = useMutation({
    mutationFn: ({ id, name }: { id: string; name: string }) => renamePasskey(id, name),
    onSuccess: async () => {
      setRenaming(null);
      void message.success(t('passkey.card.renamed'));
      await refresh();
    },
  });
  const remove = useMutation({
    mutationFn: removePasskey,
    onSuccess: async () => {
      void message.success(t('passkey.card.removed'));
      await refresh();
    },
    onError: (error, id) => {
      if (isStepUpRequired(error)) setPending({ kind: 'remove', id });
    },
  });

  function resume() {
    const next = pending;
    setPending(null);
    if (next?.kind === 'add') add.mutate(next.name);
    if (next?.kind === 'remove') remove.mutate(next.id);
  }

  const when = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

  const removeError =
    remove.isError && !isStepUpRequired(remove.error) ? (
      <ApiErrorAlert
        error={remove.error}
        message={
          remove.error instanceof ApiError && remove.error.code === 'conflict'
            ? t('passkey.card.removeLast')
            : undefined
        }
      />
    ) : null;
  const addError =
    add.isError && !isStepUpRequired(add.error) && !adding ? (
      <PasskeyErrorAlert error={add.error} ceremony="register" />
    ) : null;

  return (
    <Card
      title={t('passkey.card.title')}
      extra={
        <Button
          icon={<KeyOutlined aria-hidden />}
          onClick={() => {
            add.reset();
            setAdding(true);
          }}
          loading={add.isPending && !adding}
        >
          {t('passkey.card.add')}
        </Button>
      }
    >
      <Typography.Paragraph type="secondary">{t('passkey.card.intro')}</Typography.Paragraph>
      {list.isError && (
        <div className="ml-form-notice">
          <ApiErrorAlert error={list.error} message={t('passkey.card.loadFailed')} />
        </div>
      )}
      {addError && <div className="ml-form-notice">{addError}</div>}
      {removeError && <div className="ml-form-notice">{removeError}</div>}
      <Table<PasskeyView>
        rowKey="id"
        size="small"
        loading={list.isPending}
        pagination={false}
        dataSource={list.data?.passkeys ?? []}
        locale={{ emptyText: t('passkey.card.empty') }}
        columns={[
          {
            key: 'name',
            title: t('passkey.name'),
            render: (_, p) => (
              <Space>
                <Typography.Text strong>{p.name}</Typography.Text>
                {p.backedUp && (
                  <Tooltip title={t('passkey.card.syncedHelp')}>
                    <Tag>{t('passkey.card.synced')}</Tag>
                  </Tooltip>
                )}
              </Space>
            ),
          },
          {
            key: 'used',
            title: '',
            render: (_, p) => (
              <Typography.Text type="secondary">
                {t('passkey.card.created', { time: when(p.createdAt) })}
                {' · '}
                {p.lastUsedAt ? t('passkey.card.lastUsed', { time: when(p.lastUsedAt) }) : t('passkey.card.neverUsed')}
              </Typography.Text>
            ),
          },
          {
            key: 'actions',
            title: '',
            align: 'right',
            render: (_, p) => (
              <Space>
                <Button
                  size="small"
                  onClick={() => {
                    rename.reset();
                    setRenaming(p);
                  }}
                >
                  {t('passkey.card.rename')}
                </Button>
                <Popconfirm
                  title={t('passkey.card.removeConfirm', { name: p.name })}
                  okText={t('passkey.card.remove')}
                  cancelText={t('passkey.card.cancel')}
                  okButtonProps={{ danger: true }}
                  onConfirm={() => remove.mutate(p.id)}
                >
                  <Button size="small" danger loading={remove.isPending && remove.variables === p.id}>
                    {t('passkey.card.remove')}
                  </Button>
                </Popconfirm>
              </Space>
            ),
          },
        ]}
      />
      <NameModal
        open={adding}
        title={t('passkey.card.add')}
        initial={t('passkey.defaultName', { date: new Date().toISOString().slice(0, 10) })}
        busy={add.isPending}
        error={
          add.isError && !isStepUpRequired(add.error) ? (
            <PasskeyErrorAlert error={add.error} ceremony="register" />
          ) : undefined
        }
        onSubmit={(name) => add.mutate(name)}
        onCancel={() => setAdding(false)}
      />
      <NameModal
        open={renaming !== null}
        title={t('passkey.card.renameTitle')}
        initial={renaming?.name ?? ''}
        busy={rename.isPending}
        error={rename.isError ? <ApiErrorAlert error={rename.error} /> : undefined}
        onSubmit={(name) => renaming && rename.mutate({ id: renaming.id, name })}
        onCancel={() => setRenaming(null)}
      />
      <StepUpModal
        open={pending !== null}
        canUsePasskey={(list.data?.passkeys.length ?? 0) > 0}
        canUseCode={list.data?.totpEnrolled ?? false}
        onDone={resume}
        onCancel={() => setPending(null)}
      />
    </Card>
  );
}
