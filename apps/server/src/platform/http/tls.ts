import { X509Certificate, randomBytes, webcrypto } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/**
 * TLS-02: ECDHE key exchange with AEAD ciphers only (forward secrecy, no CBC, no RSA key exchange).
 * TLS 1.3 suites are Node's defaults (all AEAD). TLS-01: 1.2 is the minimum.
 */
export const TLS_CIPHERS = [
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
].join(':');

export const TLS_CURVES = 'X25519:prime256v1:secp384r1';

export type TlsMaterial = {
  key: Buffer;
  cert: Buffer;
  certFile: string;
  keyFile: string;
  generated: boolean;
  /** The certificate comes from the configuration (MEDLEDGER_TLS_CERT_FILE), not the self-signed one. */
  configured: boolean;
};

/** TRN-03: system administrators are warned this many days before the certificate's notAfter. */
export const TLS_EXPIRY_WARNING_DAYS = 30;

/** What the system information shows about the server certificate (never the key). */
export type TlsCertificateInfo = { subject: string; notAfter: string; configured: boolean };

/** The subject and notAfter of the certificate in use. */
export function tlsCertificateInfo(material: Pick<TlsMaterial, 'cert' | 'configured'>): TlsCertificateInfo {
  const x509 = new X509Certificate(material.cert);
  return {
    subject: x509.subject.replace(/\n/g, ', ').slice(0, 200),
    notAfter: new Date(x509.validTo).toISOString(),
    configured: material.configured,
  };
}

/**
 * TRN-03: how long the certificate is still valid, in whole days (negative once expired), and
 * whether administrators are to be warned ({@link TLS_EXPIRY_WARNING_DAYS} days before).
 */
export function tlsExpiry(info: Pick<TlsCertificateInfo, 'notAfter'>, now: Date) {
  const left = new Date(info.notAfter).getTime() - now.getTime();
  const daysLeft = Math.floor(left / 86_400_000);
  return { daysLeft, expired: left <= 0, expiresSoon: left <= TLS_EXPIRY_WARNING_DAYS * 86_400_000 };
}

export function tlsServerOptions(material: { key: Buffer; cert: Buffer }) {
  return {
    key: material.key,
    cert: material.cert,
    minVersion: 'TLSv1.2' as const,
    maxVersion: 'TLSv1.3' as const,
    ciphers: TLS_CIPHERS,
    ecdhCurve: TLS_CURVES,
    honorCipherOrder: true,
  };
}

/**
 * Uses the configured certificate and key, or the self-signed localhost certificate in
 * `<dataDir>/tls`, generating it (ECDSA P-256, one year) when absent or expiring within 30 days.
 */
export async function ensureTlsMaterial(options: {
  dataDir: string;
  certFile?: string | undefined;
  keyFile?: string | undefined;
  now: Date;
}): Promise<TlsMaterial> {
  if (options.certFile !== undefined && options.keyFile !== undefined) {
    return {
      cert: readFileSync(options.certFile),
      key: readFileSync(options.keyFile),
      certFile: options.certFile,
      keyFile: options.keyFile,
      generated: false,
      configured: true,
    };
  }
  const dir = path.join(options.dataDir, 'tls');
  const certFile = path.join(dir, 'localhost-cert.pem');
  const keyFile = path.join(dir, 'localhost-key.pem');
  if (existsSync(certFile) && existsSync(keyFile)) {
    const cert = readFileSync(certFile);
    const validTo = new Date(new X509Certificate(cert).validTo).getTime();
    if (validTo - options.now.getTime() > 30 * 86_400_000) {
      return { cert, key: readFileSync(keyFile), certFile, keyFile, generated: false, configured: false };
    }
  }
  const { cert, key } = await generateSelfSigned(options.now);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  writeFileSync(keyFile, key, { mode: 0o600 });
  chmodSync(keyFile, 0o600);
  writeFileSync(certFile, cert, { mode: 0o644 });
  return { cert: Buffer.from(cert), key: Buffer.from(key), certFile, keyFile, generated: true, configured: false };
}

/** PEM armour around base64 lines (built here, so no key-looking literal sits in the source). */
function pem(label: string, base64Lines: string): string {
  return `-----BEGIN ${label}-----\n${base64Lines.trimEnd()}\n-----END ${label}-----\n`;
}

async function generateSelfSigned(now: Date): Promise<{ cert: string; key: string }> {
  // @peculiar/x509 needs the Reflect metadata polyfill; load both only when a certificate is made.
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const keys = await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify']);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomBytes(16)
      .toString('hex')
      .replace(/^[89a-f]/, '1'),
    name: 'CN=localhost, O=MedLedger self-signed',
    notBefore: new Date(now.getTime() - 60_000),
    notAfter: new Date(now.getTime() + 365 * 86_400_000),
    signingAlgorithm: alg,
    keys,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'localhost' },
        { type: 'ip', value: '127.0.0.1' },
        { type: 'ip', value: '::1' },
      ]),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const b64 = pkcs8.toString('base64').replace(/(.{64})/g, '$1\n');
  pkcs8.fill(0);
  return {
    cert: certificate.toString('pem'),
    key: pem('PRIVATE KEY', b64),
  };
}
