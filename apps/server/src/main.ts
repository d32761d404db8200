import { mkdirSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { parseUdi, UDI_ISSUERS } from '@medledger/contract';
import { Command, CommanderError } from 'commander';
import { migrations } from '../migrations/index.js';
import { buildApp, createRuntime } from './app.js';
import {
  exportBundle,
  recordDetached,
  sealOnce,
  startSealer,
  verifyAndRecord,
  type VerifyReport,
} from './modules/audit/index.js';
import { verifyBundle } from './modules/audit/bundle-verifier.js';
import {
  keysRetireCommand,
  keysRewrapCommand,
  keysRotateCommand,
  keysStatusCommand,
  reloadKeys,
} from './modules/keys/index.js';
import {
  backupCreateCommand,
  backupRestoreCommand,
  backupVerifyCommand,
  loadBackupMasterKey,
  startBackupSchedule,
} from './ops/backup.js';
import { systemCtx } from './platform/http/ctx.js';
import { AppError } from './platform/errors.js';
import { every } from './platform/scheduler.js';
import type { Runtime } from './platform/runtime.js';
import { describeDatabase, loadConfig, type Config } from './config.js';
import {
  disableInactiveAccounts,
  enableByLogin,
  issueSetupToken,
  isSetupComplete,
  loadSmsSettings,
  preloadPasswordPolicy,
} from './modules/identity/index.js';
import { sendTrainingReminders } from './modules/training/index.js';
import { notifyExpiringDocuments } from './modules/master-data/index.js';
import { escalateOverdueBreakGlassReviews } from './modules/clinical/index.js';
import { loadDemoCompany } from './ops/demo.js';
import { openApiFromConfig } from './ops/openapi.js';
import { systemClock } from './platform/clock.js';
import { createDb, type DbHandle } from './platform/db/create-db.js';
import { migrateToLatest, migrationStatus } from './platform/db/migrator.js';
import { createRedirectServer } from './platform/http/redirect.js';
import { ensureTlsMaterial, tlsCertificateInfo, tlsExpiry, tlsServerOptions } from './platform/http/tls.js';
import { createLogger } from './platform/logger.js';
import { defaultWebDir, serverVersion } from './paths.js';

type Out = { out: (s: string) => void; err: (s: string) => void; readStdin?: () => Promise<Buffer> };

async function readProcessStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const stdio: Out = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
  readStdin: readProcessStdin,
};

class ExitError extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}

const SMS_OUTBOX_WARNING = [
  '',
  '!!! WARNING: MEDLEDGER_SMS_PROVIDER=outbox. Text-message codes are NOT sent: they are kept on this server',
  '!!! and shown to administrators on the "SMS outbox" page. Development and testing only; never in production.',
  '',
  '',
].join('\n');

function smsDescription(c: Config): string {
  switch (c.smsProvider) {
    case 'off':
      return 'off';
    case 'outbox':
      return 'development outbox (codes stay on the server; NOT for production)';
    case 'http':
      return `signed HTTPS gateway ${c.smsGatewayUrl ?? ''} (key id ${c.smsGatewayKeyId}, timeout ${c.smsGatewayTimeoutMs} ms)`;
  }
}

function requireConfig(io: Out, configFile: string | undefined): Config {
  const result = loadConfig(configFile === undefined ? {} : { configFile });
  if (result.ok) return result.config;
  io.err(`MedLedger cannot start: ${result.problems.length} configuration problem(s):\n`);
  for (const p of result.problems) io.err(`  - ${p}\n`);
  io.err('Fix them, then run `medledger config check` to confirm.\n');
  throw new ExitError(2);
}

async function openAndMigrate(config: Config, io: Out): Promise<DbHandle> {
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const handle = createDb(config.database);
  try {
    // Only touch the schema when something is pending, so the server can run under a PostgreSQL
    // role without DDL rights (docs/operations/postgresql-roles.md).
    const { pending } = await migrationStatus(handle.db, migrations);
    if (pending.length > 0) {
      const applied = await migrateToLatest(handle.db, migrations);
      io.out(`Applied ${applied.length} migration(s): ${applied.join(', ')}\n`);
    }
  } catch (err) {
    await handle.close();
    throw err;
  }
  return handle;
}

async function openRuntime(
  config: Config,
  handle: DbHandle,
  level = 'warn',
): Promise<{ runtime: Runtime; masterNote: string }> {
  const { runtime, master } = await createRuntime({
    database: handle,
    clock: systemClock,
    logger: createLogger({ level: level === 'warn' ? config.logLevel : level }),
    keys: { masterKey: config.masterKey, masterKeyFile: config.masterKeyFile },
    identity: { passwordProfile: config.passwordProfile, dormantDays: config.dormantDays },
    sms: loadSmsSettings(config),
    files: { dir: config.filesDir, maxBytes: config.uploadMaxMb * 1024 * 1024 },
    company:
      config.companyName === undefined || config.companyAddress === undefined || config.companyLicenceNo === undefined
        ? null
        : {
            name: config.companyName,
            address: config.companyAddress,
            licenceNo: config.companyLicenceNo,
            phone: config.companyPhone ?? null,
          },
    audit: {
      witnessDir: config.auditWitnessDir,
      checkpointEvents: config.auditCheckpointEvents,
      checkpointSeconds: config.auditCheckpointSeconds,
    },
  });
  const masterNote =
    master.source === 'setting'
      ? 'from MEDLEDGER_MASTER_KEY'
      : `${master.file}${master.generated ? ' (just generated: back it up and move it off this disk, see README)' : ''}`;
  return { runtime, masterNote };
}

/** A text progress bar on a terminal (stderr), silent otherwise. */
function progressBar(io: Out, label: string): (done: number, total: number) => void {
  if (!process.stderr.isTTY) return () => undefined;
  return (done, total) => {
    const pct = total === 0 ? 100 : Math.floor((done / total) * 100);
    const bar = '#'.repeat(Math.floor(pct / 4)).padEnd(25, '.');
    io.err(`\r${label} [${bar}] ${pct}% ${done}/${total}${done >= total ? '\n' : ''}`);
  };
}

function printReport(io: Out, report: VerifyReport): void {
  if (report.ok) {
    io.out(
      `Audit trail intact: ${report.treeSize} sealed events, ${report.checkpoints} signed checkpoints, ${report.witnessCheckpoints} witness copies, ${report.unsealed} not yet sealed.\n`,
    );
    return;
  }
  io.err(`AUDIT TRAIL VERIFICATION FAILED (${report.problems.length} problem(s)):\n`);
  if (report.firstBadIndex !== null) io.err(`  first bad index: ${report.firstBadIndex}\n`);
  for (const p of report.problems) io.err(`  - ${p}\n`);
}

async function printSetupLink(config: Config, runtime: Runtime, io: Out, via: string): Promise<void> {
  const ctx = systemCtx(runtime, via);
  if (await isSetupComplete(ctx)) return;
  const { token, expiresAt } = await issueSetupToken(ctx, config.setupTokenTtlMinutes);
  await recordDetached(ctx, { action: 'identity.setupToken.issued', outcome: 'success', data: { expiresAt } });
  io.out(
    [
      '',
      'No administrator exists yet. Create the first one with this one-time link (valid until ' + expiresAt + '):',
      `  ${config.publicUrl}/setup#token=${token}`,
      'It works once; a new start or `medledger admin setup-token` replaces it.',
      '',
    ].join('\n'),
  );
}

async function serve(configFile: string | undefined, io: Out): Promise<void> {
  const config = requireConfig(io, configFile);
  const handle = await openAndMigrate(config, io);
  const tls = await ensureTlsMaterial({
    dataDir: config.dataDir,
    certFile: config.tlsCertFile,
    keyFile: config.tlsKeyFile,
    now: systemClock.now(),
  });
  const { runtime, masterNote } = await openRuntime(config, handle);
  const webDir = config.webDir ?? defaultWebDir();
  const tlsCertificate = tlsCertificateInfo(tls);
  // TRN-03: a certificate within 30 days of its end is announced at start-up (and in the shell).
  const certificateAge = tlsExpiry(tlsCertificate, runtime.clock.now());
  if (certificateAge.expiresSoon) {
    runtime.log.warn(
      { notAfter: tlsCertificate.notAfter, daysLeft: certificateAge.daysLeft, configured: tlsCertificate.configured },
      certificateAge.expired
        ? 'the TLS certificate has expired: browsers will refuse to connect; configure a new one'
        : `the TLS certificate expires in ${certificateAge.daysLeft} days: renew it and configure the new one`,
    );
  }
  const { app } = await buildApp({
    runtime,
    settings: { ...config, webDir, uploadMaxBytes: config.uploadMaxMb * 1024 * 1024 },
    tls: tlsServerOptions(tls),
    tlsCertificate,
  });
  const sealer = startSealer(runtime);
  void preloadPasswordPolicy();
  // A rotation done from the CLI reaches this process within a minute.
  const keyReload = every(
    60_000,
    () => reloadKeys(runtime),
    (err: unknown) => runtime.log.error({ err }, 'reloading data keys failed'),
  );
  const backups =
    config.backupDir === undefined
      ? undefined
      : startBackupSchedule(runtime, {
          dir: config.backupDir,
          intervalHours: config.backupIntervalHours,
          keep: config.backupKeep,
          database: handle,
        });
  // AUTH-23: dormant and expired accounts are disabled at start-up and every hour.
  const lifecycle = async () => {
    const disabled = await disableInactiveAccounts(systemCtx(runtime, 'identity.lifecycle'), config.dormantDays);
    if (disabled > 0) runtime.log.info({ disabled }, 'disabled dormant or expired accounts');
  };
  const lifecycleError = (err: unknown) => runtime.log.error({ err }, 'disabling inactive accounts failed');
  await lifecycle().catch(lifecycleError);
  const accounts = every(3_600_000, lifecycle, lifecycleError);
  // TRN-01: training expiry reminders (30 days ahead and on expiry) at start-up and every hour.
  const remind = async () => {
    const sent = await sendTrainingReminders(systemCtx(runtime, 'training.reminders'));
    if (sent > 0) runtime.log.info({ sent }, 'sent training reminders');
  };
  const remindError = (err: unknown) => runtime.log.error({ err }, 'sending training reminders failed');
  await remind().catch(remindError);
  const reminders = every(3_600_000, remind, remindError);
  // GSP art. 51(5): licence and certificate expiry reminders to QA (90 / 30 days, expired), hourly.
  const expiry = async () => {
    const { items } = await notifyExpiringDocuments(runtime);
    if (items > 0) runtime.log.info({ items }, 'sent qualification expiry reminders');
  };
  const expiryError = (err: unknown) => runtime.log.error({ err }, 'sending qualification expiry reminders failed');
  await expiry().catch(expiryError);
  const expiryReminders = every(3_600_000, expiry, expiryError);
  // AC-10: break-glass reviews open for more than 24 hours are escalated, at start-up and hourly.
  const escalate = async () => {
    const { escalated } = await escalateOverdueBreakGlassReviews(runtime);
    if (escalated > 0) runtime.log.info({ escalated }, 'escalated overdue break-glass reviews');
  };
  const escalateError = (err: unknown) => runtime.log.error({ err }, 'escalating break-glass reviews failed');
  await escalate().catch(escalateError);
  const escalations = every(3_600_000, escalate, escalateError);
  const verifier = every(
    config.auditVerifyHours * 3_600_000,
    () => verifyAndRecord(runtime, 'schedule'),
    (err: unknown) => runtime.log.error({ err }, 'scheduled audit verification failed'),
  );
  await app.listen({ host: config.host, port: config.httpsPort });
  let redirect: Server | undefined;
  if (config.httpPort !== undefined) {
    redirect = createRedirectServer(config.publicUrl);
    await new Promise<void>((resolve, reject) => {
      redirect?.once('error', reject);
      redirect?.listen(config.httpPort, config.host, () => resolve());
    });
  }
  io.out(
    [
      `MedLedger ${serverVersion()} is running.`,
      `  Web UI and API:  ${config.publicUrl}  (listening on ${config.host}:${config.httpsPort})`,
      ...(redirect ? [`  HTTP redirect:   port ${config.httpPort} → HTTPS`] : []),
      ...(backups
        ? [
            `  Backups:         every ${config.backupIntervalHours} h to ${config.backupDir} (keeping ${config.backupKeep})`,
          ]
        : []),
      `  Data directory:  ${config.dataDir}`,
      `  Database:        ${describeDatabase(config.database)}`,
      `  TLS certificate: ${tls.certFile}${tls.generated ? ' (self-signed, just generated)' : ''}`,
      `  TLS key:         ${tls.keyFile}`,
      `  Master key:      ${masterNote}`,
      `  Audit witness:   ${config.auditWitnessDir}  (signed checkpoints; keep on other media)`,
      `  SMS codes:       ${smsDescription(config)}`,
      `  Administration:  from ${config.adminNetworks.join(', ')}${config.adminMfa === 'passkey' ? ' with a passkey sign-in' : ''}  (MEDLEDGER_ADMIN_NETWORKS)`,
      `  Web files:       ${webDir}`,
      `  Uploaded files:  ${config.filesDir}  (encrypted; up to ${config.uploadMaxMb} MB each)`,
      '',
    ].join('\n'),
  );
  if (config.smsProvider === 'outbox') io.err(SMS_OUTBOX_WARNING);
  await printSetupLink(config, runtime, io, 'serve');

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      io.out('Stopping MedLedger…\n');
      redirect?.close();
      void app
        .close()
        .then(() =>
          Promise.all([
            verifier.stop(),
            keyReload.stop(),
            accounts.stop(),
            reminders.stop(),
            expiryReminders.stop(),
            escalations.stop(),
          ]),
        )
        .then(() => backups?.stop())
        .then(() => sealer.stop())
        .then(() => handle.close())
        .then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `medledger udi parse`: pure parsing, so no configuration, database or keys are opened. */
async function udiParse(
  io: Out,
  scanArg: string | undefined,
  opts: { json?: boolean; stdin?: boolean },
): Promise<number> {
  if ((scanArg === undefined) === (opts.stdin !== true)) {
    io.err('Give the scan either as an argument or with --stdin (not both).\n');
    return 2;
  }
  let scan = scanArg ?? '';
  if (opts.stdin === true) {
    const bytes = await (io.readStdin ?? readProcessStdin)();
    scan = bytes.toString('utf8').replace(/\r?\n$/, '');
  }
  const parsed = parseUdi(scan);
  if (!parsed.ok) {
    if (opts.json === true) io.err(`${JSON.stringify({ error: parsed.error }, null, 2)}\n`);
    else io.err(`Not a valid UDI (${parsed.error.code}): ${parsed.error.message}\n`);
    return 1;
  }
  const udi = parsed.udi;
  if (opts.json === true) {
    io.out(`${JSON.stringify(udi, null, 2)}\n`);
    return 0;
  }
  const unspecified = (flag: boolean | undefined, what: string) => (flag === true ? ` (day not given: ${what})` : '');
  const rows: [string, string | undefined][] = [
    ['Issuer (发码机构)', `${udi.issuer} — ${UDI_ISSUERS[udi.issuer].en}`],
    ['UDI-DI (产品标识)', udi.di],
    ['Packaging level (包装层级)', udi.packagingLevel],
    ['Lot (批号)', udi.lot],
    ['Serial (序列号)', udi.serial],
    [
      'Production date (生产日期)',
      udi.productionDate && udi.productionDate + unspecified(udi.productionDayUnspecified, 'first of the month'),
    ],
    [
      'Expiry date (失效日期)',
      udi.expiryDate && udi.expiryDate + unspecified(udi.expiryDayUnspecified, 'end of the month'),
    ],
    ['Symbology', udi.symbology],
    ['Normalised', udi.normalised],
  ];
  // Chinese characters take two columns in a terminal.
  const columns = (text: string) =>
    [...text].reduce((n, ch) => n + (/[\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\uff00-\uff60]/.test(ch) ? 2 : 1), 0);
  const width = Math.max(...rows.map(([label]) => columns(label)));
  for (const [label, value] of rows) io.out(`${label}:${' '.repeat(width + 2 - columns(label))}${value ?? '—'}\n`);
  return 0;
}

function buildProgram(io: Out, result: { code: number }): Command {
  const program = new Command('medledger')
    .description('MedLedger: security-first ERP for medical-device distributors and hospital device departments')
    .version(serverVersion(), '-v, --version', 'print the version')
    .showHelpAfterError()
    .configureOutput({ writeOut: io.out, writeErr: io.err })
    .exitOverride();
  const configOption = ['-c, --config <file>', 'JSON configuration file (default: $MEDLEDGER_CONFIG)'] as const;

  program
    .command('serve')
    .description('start the HTTPS server (runs pending migrations first)')
    .option(...configOption)
    .action(async (opts: { config?: string }) => {
      await serve(opts.config, io);
    });

  program
    .command('migrate')
    .description('apply pending database migrations and exit')
    .option(...configOption)
    .action(async (opts: { config?: string }) => {
      const config = requireConfig(io, opts.config);
      const handle = await openAndMigrate(config, io);
      await handle.close();
      io.out(`Database is up to date (${describeDatabase(config.database)}).\n`);
    });

  const configCmd = program.command('config').description('inspect the configuration');
  configCmd
    .command('check')
    .description('validate every setting and list all problems at once; exit code 1 if there are any')
    .option(...configOption)
    .action((opts: { config?: string }) => {
      const loaded = loadConfig(opts.config === undefined ? {} : { configFile: opts.config });
      if (!loaded.ok) {
        io.err(`${loaded.problems.length} configuration problem(s):\n`);
        for (const p of loaded.problems) io.err(`  - ${p}\n`);
        result.code = 1;
        return;
      }
      const c = loaded.config;
      io.out(
        [
          'Configuration is valid.',
          `  data directory: ${c.dataDir}`,
          `  database:       ${describeDatabase(c.database)}`,
          `  listen:         ${c.host}:${c.httpsPort}${c.httpPort ? ` (HTTP redirect on ${c.httpPort})` : ''}`,
          `  public URL:     ${c.publicUrl}`,
          `  TLS:            ${c.tlsCertFile ? `${c.tlsCertFile} / ${c.tlsKeyFile}` : 'self-signed certificate in the data directory'}`,
          `  trusted proxies: ${c.trustedProxies.length ? c.trustedProxies.join(', ') : 'none (client IP = direct peer)'}`,
          `  administration: from ${c.adminNetworks.join(', ')}${c.adminMfa === 'passkey' ? ', passkey sign-in only' : ''}`,
          `  SMS codes:      ${smsDescription(c)}`,
          '',
        ].join('\n'),
      );
      if (c.smsProvider === 'outbox') io.err(SMS_OUTBOX_WARNING);
    });

  const admin = program.command('admin').description('administrative tasks run on the server host');
  admin
    .command('setup-token')
    .description('issue a new one-time link for creating the first administrator (revokes the previous one)')
    .option(...configOption)
    .action(async (opts: { config?: string }) => {
      const config = requireConfig(io, opts.config);
      const handle = await openAndMigrate(config, io);
      try {
        if (await isSetupComplete({ db: handle.db })) {
          io.err('The first administrator already exists; setup links are no longer issued.\n');
          result.code = 1;
          return;
        }
        const { runtime } = await openRuntime(config, handle);
        await printSetupLink(config, runtime, io, 'cli:admin setup-token');
        await sealOnce(runtime, { fullSweep: true });
      } finally {
        await handle.close();
      }
    });

  admin
    .command('enable')
    .description('re-enable and unlock an account by login (recovery when no administrator can sign in)')
    .requiredOption('--login <login>', 'the login of the account')
    .option(...configOption)
    .action(async (opts: { config?: string; login: string }) => {
      const config = requireConfig(io, opts.config);
      const handle = await openAndMigrate(config, io);
      try {
        const { runtime } = await openRuntime(config, handle);
        try {
          const user = await runtime.db
            .transaction()
            .execute((tx) => enableByLogin(systemCtx(runtime, 'cli:admin enable', tx), opts.login));
          io.out(`Account ${user.login} (${user.name}) is active and unlocked.\n`);
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          io.err(`${err.message}\n`);
          result.code = 1;
        }
        await sealOnce(runtime, { fullSweep: true });
      } finally {
        await handle.close();
      }
    });

  program
    .command('demo')
    .description(
      'load the synthetic demo company (suppliers, hospitals, products, warehouse, stock) into an empty database',
    )
    .option(...configOption)
    .action(async (opts: { config?: string }) => {
      const config = requireConfig(io, opts.config);
      const handle = await openAndMigrate(config, io);
      try {
        const { runtime } = await openRuntime(config, handle);
        try {
          const summary = await loadDemoCompany(runtime);
          io.out(
            `Demo company loaded: ${summary.parties} parties, ${summary.products} products, warehouse ${summary.warehouse}, ` +
              `${summary.lots} lots in ${summary.movements} opening-stock movements, open orders ${summary.orders.join(', ')}.\n` +
              'All of it is synthetic. Start MedLedger (npm start) and sign in as the first administrator.\n',
          );
        } catch (err) {
          if (!(err instanceof AppError)) throw err;
          io.err(`${err.message}\n`);
          result.code = 1;
        }
        await sealOnce(runtime, { fullSweep: true });
      } finally {
        await handle.close();
      }
    });

  const audit = program.command('audit').description('the tamper-evident audit trail');
  audit
    .command('verify')
    .description(
      'recompute the Merkle tree, check every signed checkpoint and the witness copies; exit 1 on any problem',
    )
    .option(...configOption)
    .option('--json', 'print the report as JSON')
    .action(async (opts: { config?: string; json?: boolean }) => {
      const config = requireConfig(io, opts.config);
      const handle = await openAndMigrate(config, io);
      try {
        const { runtime } = await openRuntime(config, handle);
        await sealOnce(runtime, { fullSweep: true });
        const report = await verifyAndRecord(runtime, 'cli', { onProgress: progressBar(io, 'Verifying') });
        if (opts.json === true) io.out(`${JSON.stringify(report, null, 2)}\n`);
        else printReport(io, report);
        if (!report.ok) result.code = 1;
      } finally {
        await handle.close();
      }
    });
  audit
    .command('export')
    .description(
      'write an evidence bundle (events in a range, checkpoints, proofs, public key) for offline verification',
    )
    .requiredOption('--out <file>', 'bundle file to write')
    .option('--from <index>', 'first event index (default 0)', '0')
    .option('--to <index>', 'one past the last event index (default: the whole signed tree)')
    .option(...configOption)
    .action(async (opts: { out: string; from: string; to?: string; config?: string }) => {
      const config = requireConfig(io, opts.config);
      const handle = await openAndMigrate(config, io);
      try {
        const { runtime } = await openRuntime(config, handle);
        const sealed = await sealOnce(runtime, { forceCheckpoint: true, fullSweep: true });
        const from = Number(opts.from);
        const to = opts.to === undefined ? sealed.treeSize : Number(opts.to);
        if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to)) {
          throw new Error('--from and --to must be whole numbers');
        }
        const bundle = await exportBundle(runtime, { from, to });
        const { writeFileSync } = await import('node:fs');
        writeFileSync(opts.out, bundle.text, { mode: 0o600, flag: 'wx' });
        await recordDetached(systemCtx(runtime, 'cli:audit export'), {
          action: 'audit.bundle.exported',
          outcome: 'success',
          data: { from, to, treeSize: bundle.treeSize, sha256: bundle.sha256 },
        });
        io.out(`Wrote ${opts.out}: events ${from}…${to - 1} of ${bundle.treeSize}, SHA-256 ${bundle.sha256}\n`);
        io.out(
          `Checkpoint signing key: ${runtime.audit.origin} ${runtime.audit.signer.publicKey.toString('base64')}\n`,
        );
      } finally {
        await handle.close();
      }
    });
  audit
    .command('verify-bundle <file>')
    .description('verify an evidence bundle offline: no database, no MedLedger keys needed')
    .option('--key <base64>', 'the Ed25519 public key you expect the checkpoints to be signed with')
    .action(async (file: string, opts: { key?: string }) => {
      const { readFileSync } = await import('node:fs');
      const text = readFileSync(file, 'utf8');
      const report = verifyBundle(text);
      const problems = [...report.problems];
      if (opts.key !== undefined) {
        const declared = (JSON.parse(text) as { publicKey?: { ed25519?: string } }).publicKey?.ed25519;
        if (declared !== opts.key) {
          problems.push('the bundle is signed with a different key than the one given with --key');
        }
      }
      if (report.ok && problems.length === 0) {
        io.out(
          `Bundle verified: ${report.eventsVerified} events proven against ${report.checkpointsVerified} signed checkpoint(s) of ${report.origin ?? ''} (tree size ${report.treeSize ?? 0}).\n`,
        );
        if (opts.key === undefined) {
          io.out('Compare the signing key with the one the operator published (or pass --key).\n');
        }
        return;
      }
      io.err(`Bundle verification FAILED:\n`);
      for (const p of problems) io.err(`  - ${p}\n`);
      result.code = 1;
    });

  const keys = program
    .command('keys')
    .description('field-encryption keys: status, rotation, re-encryption, retirement');
  const withRuntime = async (configFile: string | undefined, fn: (runtime: Runtime) => Promise<number>) => {
    const config = requireConfig(io, configFile);
    const handle = await openAndMigrate(config, io);
    try {
      const { runtime } = await openRuntime(config, handle);
      result.code = await fn(runtime);
    } finally {
      await handle.close();
    }
  };
  keys
    .command('status')
    .description('key versions per purpose and how many sealed values use each version')
    .option(...configOption)
    .action(async (opts: { config?: string }) => withRuntime(opts.config, (runtime) => keysStatusCommand(runtime, io)));
  keys
    .command('rotate')
    .description('create a new key version; new values are sealed with it at once (then run `keys rewrap`)')
    .option('--purpose <purpose>', 'which key to rotate', 'field')
    .option(...configOption)
    .action(async (opts: { purpose: string; config?: string }) =>
      withRuntime(opts.config, (runtime) => keysRotateCommand(runtime, io, { purpose: opts.purpose })),
    );
  keys
    .command('rewrap')
    .description(
      're-encrypt every sealed value to the newest key version (resumable; Ctrl-C stops after the current batch)',
    )
    .option('--batch-size <n>', 'values per transaction', '500')
    .option(...configOption)
    .action(async (opts: { batchSize: string; config?: string }) =>
      withRuntime(opts.config, async (runtime) => {
        const controller = new AbortController();
        const stop = () => controller.abort();
        process.once('SIGINT', stop);
        try {
          return await keysRewrapCommand(runtime, io, { batchSize: Number(opts.batchSize), signal: controller.signal });
        } finally {
          process.off('SIGINT', stop);
        }
      }),
    );
  keys
    .command('retire')
    .description('retire an old key version once no sealed value uses it')
    .requiredOption('--key-version <n>', 'the key version to retire')
    .option('--purpose <purpose>', 'which key', 'field')
    .option(...configOption)
    .action(async (opts: { keyVersion: string; purpose: string; config?: string }) =>
      withRuntime(opts.config, (runtime) =>
        keysRetireCommand(runtime, io, { purpose: opts.purpose, version: opts.keyVersion }),
      ),
    );

  const backup = program.command('backup').description('encrypted backups of the database and the audit witness');
  const masterKeyFileOption = [
    '--master-key-file <file>',
    'the master key file (default: MEDLEDGER_MASTER_KEY, else the configured key file)',
  ] as const;
  const backupKey = (config: Config, file: string | undefined) =>
    loadBackupMasterKey({
      masterKey: file === undefined ? config.masterKey : undefined,
      masterKeyFile: file ?? config.masterKeyFile,
    });
  backup
    .command('create')
    .description('write an encrypted, consistent online backup (database snapshot + witness checkpoints)')
    .option('--to <dir>', 'directory for the backup file (default: MEDLEDGER_BACKUP_DIR)')
    .option(...configOption)
    .action(async (opts: { to?: string; config?: string }) => {
      const config = requireConfig(io, opts.config);
      const to = opts.to ?? config.backupDir;
      if (to === undefined) {
        io.err('Say where to write the backup: --to <dir>, or set MEDLEDGER_BACKUP_DIR.\n');
        result.code = 1;
        return;
      }
      const handle = await openAndMigrate(config, io);
      try {
        const { runtime } = await openRuntime(config, handle);
        result.code = await backupCreateCommand(runtime, io, { to, database: handle });
      } finally {
        await handle.close();
      }
    });
  backup
    .command('verify <file>')
    .description('decrypt and check every chunk and entry of a backup, writing nothing')
    .option(...masterKeyFileOption)
    .option(...configOption)
    .action(async (file: string, opts: { masterKeyFile?: string; config?: string }) => {
      const config = requireConfig(io, opts.config);
      result.code = await backupVerifyCommand(io, { file, masterKey: backupKey(config, opts.masterKeyFile) });
    });
  backup
    .command('restore <file>')
    .description(
      'restore a backup into an empty data directory (or empty PostgreSQL database), then verify the audit trail',
    )
    .requiredOption('--data-dir <dir>', 'empty data directory to restore into')
    .option('--database-url <url>', 'an empty PostgreSQL database to restore a PostgreSQL backup into')
    .option(...masterKeyFileOption)
    .option(...configOption)
    .action(
      async (
        file: string,
        opts: { dataDir: string; databaseUrl?: string; masterKeyFile?: string; config?: string },
      ) => {
        const config = requireConfig(io, opts.config);
        result.code = await backupRestoreCommand(io, {
          file,
          masterKey: backupKey(config, opts.masterKeyFile),
          dataDir: opts.dataDir,
          ...(opts.databaseUrl === undefined ? {} : { databaseUrl: opts.databaseUrl }),
        });
      },
    );

  program
    .command('openapi')
    .description(
      'print the OpenAPI 3.1 description of the API (the document GET /api/v1/openapi.json serves); needs no database and no running server',
    )
    .option(...configOption)
    .option('-o, --out <file>', 'write the document to this file instead of standard output')
    .action((opts: { config?: string; out?: string }) => {
      const config = requireConfig(io, opts.config);
      const { document, text } = openApiFromConfig(config);
      if (opts.out === undefined) {
        io.out(text);
        return;
      }
      writeFileSync(opts.out, text);
      const operations = Object.values(document.paths as Record<string, object>).reduce(
        (n, item) => n + Object.keys(item).length,
        0,
      );
      io.out(`Wrote the OpenAPI description (${operations} operations) to ${opts.out}\n`);
    });

  const udi = program
    .command('udi')
    .description('UDI barcodes (GS1, MA, AHM); needs no database, configuration or keys');
  udi
    .command('parse [scan]')
    .description(
      'parse one scanned UDI: print issuer, UDI-DI, packaging level, lot, serial and dates; exit 1 with the reason if it is not valid',
    )
    .option('--json', 'print the parsed UDI as JSON')
    .option(
      '--stdin',
      'read the scan from standard input (raw bytes, so ASCII 29 separators survive; one trailing line end is removed)',
    )
    .action(async (scan: string | undefined, opts: { json?: boolean; stdin?: boolean }) => {
      result.code = await udiParse(io, scan, opts);
    });

  return program;
}

/** Runs the `medledger` command line and returns the process exit code. */
export async function main(argv: readonly string[], io: Out = stdio): Promise<number> {
  const result = { code: 0 };
  const program = buildProgram(io, result);
  try {
    await program.parseAsync([...argv]);
    return result.code;
  } catch (err) {
    if (err instanceof ExitError) return err.exitCode;
    if (err instanceof CommanderError) {
      return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.code === 'commander.help'
        ? 0
        : err.exitCode || 1;
    }
    io.err(`medledger: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

const invokedDirectly = process.argv[1] !== undefined && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (invokedDirectly) {
  process.exitCode = await main(process.argv);
}
