import type { PasskeyView } from '@medledger/contract';
import { KeyOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Modal, Popconfirm, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import {
  addPasskey,
  addPasskeyOptions,
  listPasskeys,
  passkeyStepUp,
  passkeyStepUpOptions,
  removePasskey,
  renamePasskey,
  totpStepUp,
} from '../../api/passkeys';
import { ApiErrorAlert } from '../../components/api-error-alert';
import { PasskeyErrorAlert, createPasskey, signWithPasskey } from '../login/passkey-ceremony';
import { TOTP_CODE, normaliseTotpCode } from '../login/one-time-code';

export const passkeysQueryKey = ['auth', 'passkeys'] as const;

const isStepUpRequired = (error: unknown) => error instanceof ApiError && error.code === 'step_up_required';

/** What waits for the step-up to finish. */
type Pending = { kind: 'add'; name: string } | { kind: 'remove'; id: string };

interface StepUpProps {
  open: boolean;
  canUsePasskey: boolean;
  canUseCode: boolean;
  onDone: () => void;
  onCancel: () => void;
}

/** SESS-09: confirm your identity again, with a passkey or an authenticator code. */
function StepUpModal({ open, canUsePasskey, canUseCode, onDone, onCancel }: StepUpProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ code: string }>();
  const withPasskey = useMutation({
    mutationFn: async () => passkeyStepUp(await signWithPasskey(await passkeyStepUpOptions())),
    onSuccess: onDone,
  });
  const withCode = useMutation({
    mutationFn: totpStepUp,
    onSuccess: onDone,
    onError: () => form.setFieldValue('code', ''),
  });
  const busy = withPasskey.isPending || withCode.isPending;

  return (
    <Modal open={open} title={t('passkey.card.stepUpTitle')} footer={null} onCancel={onCancel} destroyOnHidden>
      <Typography.Paragraph>{t('passkey.card.stepUpIntro')}</Typography.Paragraph>
      {canUsePasskey && withPasskey.isError && (
        <div className="ml-form-notice">
          <PasskeyErrorAlert error={withPasskey.error} ceremony="sign_in" />
        </div>
      )}
      {canUsePasskey && (
        <Button
          type="primary"
          block
          icon={<KeyOutlined aria-hidden />}
          loading={withPasskey.isPending}
          disabled={busy}
          onClick={() => withPasskey.mutate()}
        >
          {t('passkey.card.stepUpPasskey')}
        </Button>
      )}
      {canUseCode && (
        <Form<{ code: string }>
          form={form}
          name="step-up-code"
          layout="vertical"
          requiredMark={false}
          className="ml-form-action"
          disabled={busy}
          onFinish={({ code }) => withCode.mutate(code)}
        >
          <Form.Item
            label={t('passkey.card.stepUpCode')}
            name="code"
            normalize={normaliseTotpCode}
            rules={[
              { required: true, message: t('login.totpCodeRequired') },
              { pattern: TOTP_CODE, message: t('login.totpCodeFormat') },
            ]}
          >
            <Input className="ml-code-input" autoComplete="one-time-code" inputMode="numeric" spellCheck={false} />
          </Form.Item>
          {withCode.isError && (
            <Form.Item>
              <ApiErrorAlert
                error={withCode.error}
                message={isStepUpRequired(withCode.error) ? t('passkey.card.stepUpInvalid') : undefined}
              />
            </Form.Item>
          )}
          <Button htmlType="submit" block loading={withCode.isPending}>
            {t('passkey.card.stepUpVerify')}
          </Button>
        </Form>
      )}
    </Modal>
  );
}

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
