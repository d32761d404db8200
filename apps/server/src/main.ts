import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { Command, CommanderError } from 'commander';
import { migrations } from '../migrations/index.js';
import { buildApp } from './app.js';
import { describeDatabase, loadConfig, type Config } from './config.js';
import { issueSetupToken, isSetupComplete } from './modules/identity/index.js';
import { systemClock } from './platform/clock.js';
import { createDb, type DbHandle } from './platform/db/create-db.js';
import { migrateToLatest } from './platform/db/migrator.js';
import { createRedirectServer } from './platform/http/redirect.js';
import { ensureTlsMaterial, tlsServerOptions } from './platform/http/tls.js';
import { createLogger } from './platform/logger.js';
import { defaultWebDir, serverVersion } from './paths.js';

type Out = { out: (s: string) => void; err: (s: string) => void };
const stdio: Out = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) };

class ExitError extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
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
    const applied = await migrateToLatest(handle.db, migrations);
    if (applied.length > 0) io.out(`Applied ${applied.length} migration(s): ${applied.join(', ')}\n`);
  } catch (err) {
    await handle.close();
    throw err;
  }
  return handle;
}

async function printSetupLink(config: Config, handle: DbHandle, io: Out): Promise<void> {
  const ctx = { db: handle.db, now: systemClock.now() };
  if (await isSetupComplete(ctx)) return;
  const { token, expiresAt } = await issueSetupToken(ctx, config.setupTokenTtlMinutes);
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
  const logger = createLogger({ level: config.logLevel });
  const webDir = config.webDir ?? defaultWebDir();
  const { app } = await buildApp({
    database: handle,
    clock: systemClock,
    logger,
    settings: { ...config, webDir },
    tls: tlsServerOptions(tls),
  });
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
      `  Data directory:  ${config.dataDir}`,
      `  Database:        ${describeDatabase(config.database)}`,
      `  TLS certificate: ${tls.certFile}${tls.generated ? ' (self-signed, just generated)' : ''}`,
      `  TLS key:         ${tls.keyFile}`,
      `  Web files:       ${webDir}`,
      '',
    ].join('\n'),
  );
  await printSetupLink(config, handle, io);

  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      io.out('Stopping MedLedger…\n');
      redirect?.close();
      void app
        .close()
        .then(() => handle.close())
        .then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
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
          '',
        ].join('\n'),
      );
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
        await printSetupLink(config, handle, io);
      } finally {
        await handle.close();
      }
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
