import { existsSync, readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/**
 * All settings, one schema. Sources, later ones winning: built-in defaults, an optional JSON config
 * file (`MEDLEDGER_CONFIG` or `--config`), then `MEDLEDGER_*` environment variables. Parsing reports
 * every problem at once. There are no default secrets: anything secret is generated on first start
 * into the data directory or must be supplied.
 */

/** Environment variables are strings; numbers may come as digits only, never coerced loosely. */
const wholeNumber = (min: number, max: number, unit = '') =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
    z
      .number({ error: 'must be a whole number' })
      .int('must be a whole number')
      .min(min, `must be between ${min} and ${max}${unit}`)
      .max(max, `must be between ${min} and ${max}${unit}`),
  );

const port = wholeNumber(1, 65535);

const cidr = z.string().refine((value) => {
  const [addr, prefix, ...rest] = value.split('/');
  if (!addr || rest.length > 0) return false;
  const family = isIP(addr);
  if (family === 0) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (family === 4 ? 32 : 128);
}, 'must be an IP address or CIDR range such as 10.0.0.0/8');

const listOf = (item: z.ZodType<string, string>) =>
  z
    .union([
      z.array(z.string()),
      z.string().transform((s) =>
        s
          .split(',')
          .map((x) => x.trim())
          .filter((x) => x.length > 0),
      ),
    ])
    .pipe(z.array(item));

const databaseUrl = z
  .string()
  .refine((value) => /^(postgres|postgresql):\/\/./.test(value) || /^sqlite:./.test(value), {
    message: 'must start with postgres:// (or postgresql://) for PostgreSQL, or sqlite:<file> for SQLite',
  });

export const ConfigSchema = z.strictObject({
  dataDir: z.string().min(1).default('./data'),
  host: z.string().min(1).default('127.0.0.1'),
  httpsPort: port.default(8443),
  httpPort: port.optional(),
  publicUrl: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).optional(),
  databaseUrl: databaseUrl.optional(),
  tlsCertFile: z.string().min(1).optional(),
  tlsKeyFile: z.string().min(1).optional(),
  trustedProxies: listOf(cidr).default([]),
  /** AC-11: management networks; administrative routes refuse every other source. Loopback only by default. */
  adminNetworks: listOf(cidr)
    .refine((list) => list.length > 0, 'list at least one management network (127.0.0.1 is the server itself)')
    .default(['127.0.0.1', '::1']),
  /** AC-11: `passkey` lets administrators administer only after a passkey sign-in (phishing-resistant). */
  adminMfa: z.enum(['any', 'passkey']).default('any'),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  bodyLimitBytes: wholeNumber(1024, 20 * 1024 * 1024, ' bytes').default(1024 * 1024),
  /** FILE-01: largest document upload (scans, certificates), in MiB; enforced while the body is read. */
  uploadMaxMb: wholeNumber(1, 20, ' MiB').default(10),
  webDir: z.string().min(1).optional(),
  setupTokenTtlMinutes: wholeNumber(5, 7 * 24 * 60, ' minutes').default(24 * 60),
  /** The master key (KEK) itself, base64 of 32 bytes. Prefer a key file or a secret manager. */
  masterKey: z
    .string()
    .refine((v) => /^[A-Za-z0-9+/]{43}=$/.test(v) && Buffer.from(v, 'base64').length === 32, {
      message: 'must be 32 bytes in base64 (44 characters); generate one with `openssl rand -base64 32`',
    })
    .optional(),
  masterKeyFile: z.string().min(1).optional(),
  auditWitnessDir: z.string().min(1).optional(),
  auditCheckpointEvents: wholeNumber(1, 1_000_000).default(1000),
  auditCheckpointSeconds: wholeNumber(1, 86_400, ' seconds').default(300),
  auditVerifyHours: wholeNumber(1, 168, ' hours').default(24),
  /** AUTH-02/03: `asvs` (length + blocklists, no expiry) or `dengbao` (adds 3 of 4 classes, 90-day age, history of 5). */
  passwordProfile: z.enum(['asvs', 'dengbao']).default('asvs'),
  dormantDays: wholeNumber(7, 3650).default(90),
  /** Scheduled encrypted backups go here; off when unset. */
  backupDir: z.string().min(1).optional(),
  backupIntervalHours: wholeNumber(1, 24 * 31, ' hours').default(24),
  backupKeep: wholeNumber(1, 1000).default(14),
  /** AUTH-15 text-message codes: `off`, `outbox` (development: kept on the server) or `http` (signed HTTPS gateway). */
  smsProvider: z.enum(['off', 'outbox', 'http']).default('off'),
  smsGatewayUrl: z.url({ protocol: /^https$/, error: 'must be an https:// URL' }).optional(),
  /** The gateway's HMAC secret (at least 32 characters), in a file readable only by the server's user. */
  smsGatewaySecretFile: z.string().min(1).optional(),
  smsGatewayKeyId: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, 'letters, digits and . _ - only, at most 64 characters')
    .default('medledger-1'),
  /** Extra trusted CA certificates (PEM) for a gateway with a private certificate authority. */
  smsGatewayCaFile: z.string().min(1).optional(),
  smsGatewayTimeoutMs: wholeNumber(500, 30_000, ' ms').default(5000),
  /** Our company on delivery slips (供货单位, GSP art. 92): name, address and operating licence number. */
  companyName: z.string().trim().min(1).max(120).optional(),
  companyAddress: z.string().trim().min(1).max(200).optional(),
  companyLicenceNo: z.string().trim().min(1).max(64).optional(),
  companyPhone: z
    .string()
    .trim()
    .regex(/^[0-9+\-() ]{5,30}$/, 'must be a phone number: digits, spaces, + - ( )')
    .optional(),
});

/** Checks across settings, run on the raw values so they are reported together with field errors. */
function crossChecks(raw: Record<string, unknown>, cwd: string): { key: string; message: string }[] {
  const problems: { key: string; message: string }[] = [];
  const cert = raw.tlsCertFile;
  const key = raw.tlsKeyFile;
  if ((cert === undefined) !== (key === undefined)) {
    problems.push({
      key: cert === undefined ? 'tlsCertFile' : 'tlsKeyFile',
      message:
        'set both the TLS certificate file and the TLS key file, or neither (a self-signed certificate is then generated)',
    });
  }
  for (const [name, file] of [
    ['tlsCertFile', cert],
    ['tlsKeyFile', key],
  ] as const) {
    if (typeof file === 'string' && file !== '' && !existsSync(path.resolve(cwd, file))) {
      problems.push({ key: name, message: `file not found: ${file}` });
    }
  }
  const scalar = (v: unknown): string | undefined =>
    typeof v === 'string' || typeof v === 'number' ? String(v) : undefined;
  if (raw.masterKey !== undefined && raw.masterKeyFile !== undefined) {
    problems.push({ key: 'masterKeyFile', message: 'set the master key or a master key file, not both' });
  }
  if (raw.smsProvider === 'http') {
    if (raw.smsGatewayUrl === undefined) {
      problems.push({ key: 'smsGatewayUrl', message: 'required when the SMS provider is http' });
    }
    if (raw.smsGatewaySecretFile === undefined) {
      problems.push({ key: 'smsGatewaySecretFile', message: 'required when the SMS provider is http' });
    }
  }
  for (const name of ['smsGatewaySecretFile', 'smsGatewayCaFile'] as const) {
    const file = raw[name];
    if (typeof file === 'string' && file !== '' && !existsSync(path.resolve(cwd, file))) {
      problems.push({ key: name, message: `file not found: ${file}` });
    }
  }
  const company = ['companyName', 'companyAddress', 'companyLicenceNo'] as const;
  const companySet = company.filter((k) => raw[k] !== undefined);
  if (companySet.length > 0 && companySet.length < company.length) {
    for (const k of company.filter((c) => raw[c] === undefined)) {
      problems.push({ key: k, message: 'set the company name, address and licence number together (delivery slips)' });
    }
  }
  if (raw.companyPhone !== undefined && companySet.length === 0) {
    problems.push({ key: 'companyPhone', message: 'set the company name, address and licence number as well' });
  }
  if (scalar(raw.httpPort) !== undefined && scalar(raw.httpPort) === (scalar(raw.httpsPort) ?? '8443')) {
    problems.push({ key: 'httpPort', message: 'must differ from the HTTPS port' });
  }
  return problems;
}

type ParsedConfig = z.infer<typeof ConfigSchema>;

/** The validated, resolved and frozen configuration. */
export type Config = Readonly<
  Omit<ParsedConfig, 'databaseUrl' | 'publicUrl' | 'masterKeyFile' | 'auditWitnessDir'> & {
    dataDir: string;
    /** Used only when `masterKey` is not set; generated on first start. */
    masterKeyFile: string;
    auditWitnessDir: string;
    /** FILE-02: uploaded documents, encrypted, under `<data>/files` (outside the web UI's folder). */
    filesDir: string;
    publicUrl: string;
    database: { dialect: 'sqlite'; file: string } | { dialect: 'postgres'; url: string };
  }
>;

/** Environment variable for each setting. */
export const ENV_NAMES: Readonly<Record<keyof ParsedConfig, string>> = {
  dataDir: 'MEDLEDGER_DATA_DIR',
  host: 'MEDLEDGER_HOST',
  httpsPort: 'MEDLEDGER_HTTPS_PORT',
  httpPort: 'MEDLEDGER_HTTP_PORT',
  publicUrl: 'MEDLEDGER_PUBLIC_URL',
  databaseUrl: 'MEDLEDGER_DATABASE_URL',
  tlsCertFile: 'MEDLEDGER_TLS_CERT_FILE',
  tlsKeyFile: 'MEDLEDGER_TLS_KEY_FILE',
  trustedProxies: 'MEDLEDGER_TRUSTED_PROXIES',
  adminNetworks: 'MEDLEDGER_ADMIN_NETWORKS',
  adminMfa: 'MEDLEDGER_ADMIN_MFA',
  logLevel: 'MEDLEDGER_LOG_LEVEL',
  bodyLimitBytes: 'MEDLEDGER_BODY_LIMIT_BYTES',
  uploadMaxMb: 'MEDLEDGER_UPLOAD_MAX_MB',
  webDir: 'MEDLEDGER_WEB_DIR',
  setupTokenTtlMinutes: 'MEDLEDGER_SETUP_TOKEN_TTL_MINUTES',
  masterKey: 'MEDLEDGER_MASTER_KEY',
  masterKeyFile: 'MEDLEDGER_MASTER_KEY_FILE',
  auditWitnessDir: 'MEDLEDGER_AUDIT_WITNESS_DIR',
  auditCheckpointEvents: 'MEDLEDGER_AUDIT_CHECKPOINT_EVENTS',
  auditCheckpointSeconds: 'MEDLEDGER_AUDIT_CHECKPOINT_SECONDS',
  auditVerifyHours: 'MEDLEDGER_AUDIT_VERIFY_HOURS',
  passwordProfile: 'MEDLEDGER_PASSWORD_PROFILE',
  dormantDays: 'MEDLEDGER_DORMANT_DAYS',
  backupDir: 'MEDLEDGER_BACKUP_DIR',
  backupIntervalHours: 'MEDLEDGER_BACKUP_INTERVAL_HOURS',
  backupKeep: 'MEDLEDGER_BACKUP_KEEP',
  smsProvider: 'MEDLEDGER_SMS_PROVIDER',
  smsGatewayUrl: 'MEDLEDGER_SMS_GATEWAY_URL',
  smsGatewaySecretFile: 'MEDLEDGER_SMS_GATEWAY_SECRET_FILE',
  smsGatewayKeyId: 'MEDLEDGER_SMS_GATEWAY_KEY_ID',
  smsGatewayCaFile: 'MEDLEDGER_SMS_GATEWAY_CA_FILE',
  smsGatewayTimeoutMs: 'MEDLEDGER_SMS_GATEWAY_TIMEOUT_MS',
  companyName: 'MEDLEDGER_COMPANY_NAME',
  companyAddress: 'MEDLEDGER_COMPANY_ADDRESS',
  companyLicenceNo: 'MEDLEDGER_COMPANY_LICENCE_NO',
  companyPhone: 'MEDLEDGER_COMPANY_PHONE',
};

/** Variables read by other parts (the config file path) or by the test tooling, not settings. */
const OTHER_ENV = new Set(['MEDLEDGER_CONFIG', 'MEDLEDGER_PG_BIN']);
const TOOLING_PREFIXES = ['MEDLEDGER_TEST_', 'MEDLEDGER_REQUIRE_'];

export type ConfigResult = { ok: true; config: Config } | { ok: false; problems: string[] };

/**
 * Reads and validates the configuration. Never throws and never exits: the caller decides what to
 * do with the list of problems (`medledger config check` prints them all).
 */
export function loadConfig(options: { env?: NodeJS.ProcessEnv; configFile?: string; cwd?: string } = {}): ConfigResult {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const problems: string[] = [];
  const raw: Record<string, unknown> = {};

  const file = options.configFile ?? env.MEDLEDGER_CONFIG;
  if (file !== undefined && file !== '') {
    const filePath = path.resolve(cwd, file);
    try {
      const parsed: unknown = JSON.parse(readFileSync(filePath, 'utf8'));
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
        problems.push(`config file ${filePath}: must contain a JSON object`);
      } else {
        Object.assign(raw, parsed);
      }
    } catch (err) {
      const reason = err instanceof SyntaxError ? `not valid JSON (${err.message})` : 'cannot be read';
      problems.push(`config file ${filePath}: ${reason}`);
    }
  }

  const byEnv = new Map(Object.entries(ENV_NAMES).map(([key, name]) => [name, key]));
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('MEDLEDGER_') || value === undefined) continue;
    const key = byEnv.get(name);
    if (key !== undefined) {
      raw[key] = value;
    } else if (!OTHER_ENV.has(name) && !TOOLING_PREFIXES.some((p) => name.startsWith(p))) {
      problems.push(`${name}: unknown setting (known: ${[...byEnv.keys()].join(', ')})`);
    }
  }

  const label = (key: string) =>
    key in ENV_NAMES ? `${ENV_NAMES[key as keyof ParsedConfig]} (${key})` : key || 'config';
  const result = ConfigSchema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      const message =
        issue.code === 'unrecognized_keys' ? `unknown setting(s): ${issue.keys.join(', ')}` : issue.message;
      problems.push(`${label(String(issue.path[0] ?? ''))}: ${message}`);
    }
  }
  for (const p of crossChecks(raw, cwd)) problems.push(`${label(p.key)}: ${p.message}`);
  if (problems.length > 0 || !result.success) return { ok: false, problems };

  const c = result.data;
  const dataDir = path.resolve(cwd, c.dataDir);
  const database: Config['database'] =
    c.databaseUrl === undefined
      ? { dialect: 'sqlite', file: path.join(dataDir, 'medledger.sqlite') }
      : c.databaseUrl.startsWith('sqlite:')
        ? { dialect: 'sqlite', file: path.resolve(cwd, c.databaseUrl.slice('sqlite:'.length)) }
        : { dialect: 'postgres', url: c.databaseUrl };
  const filesDir = path.join(dataDir, 'files');
  if (c.webDir !== undefined && isInside(filesDir, path.resolve(cwd, c.webDir))) {
    return {
      ok: false,
      problems: [
        `${label('webDir')}: the web UI folder contains the data directory's files/ folder; keep uploaded files outside it`,
      ],
    };
  }
  const { databaseUrl: _omit, ...rest } = c;
  const config: Config = Object.freeze({
    ...rest,
    dataDir,
    publicUrl: (c.publicUrl ?? `https://localhost:${c.httpsPort}`).replace(/\/$/, ''),
    tlsCertFile: c.tlsCertFile === undefined ? undefined : path.resolve(cwd, c.tlsCertFile),
    tlsKeyFile: c.tlsKeyFile === undefined ? undefined : path.resolve(cwd, c.tlsKeyFile),
    masterKeyFile: path.resolve(dataDir, c.masterKeyFile ?? path.join('keys', 'master.key')),
    auditWitnessDir: path.resolve(dataDir, c.auditWitnessDir ?? 'witness'),
    filesDir,
    backupDir: c.backupDir === undefined ? undefined : path.resolve(cwd, c.backupDir),
    smsGatewaySecretFile: c.smsGatewaySecretFile === undefined ? undefined : path.resolve(cwd, c.smsGatewaySecretFile),
    smsGatewayCaFile: c.smsGatewayCaFile === undefined ? undefined : path.resolve(cwd, c.smsGatewayCaFile),
    database,
  });
  return { ok: true, config };
}

/** True when `child` is `parent` or lies below it. */
function isInside(child: string, parent: string): boolean {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** A database URL with its password replaced, safe to print. */
export function describeDatabase(db: Config['database']): string {
  if (db.dialect === 'sqlite') return `SQLite ${db.file}`;
  try {
    const u = new URL(db.url);
    if (u.password) u.password = '***';
    return `PostgreSQL ${u.toString()}`;
  } catch {
    return 'PostgreSQL (unparseable URL)';
  }
}
