import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  createPrivateKey,
  createPublicKey,
  sign,
  verify,
} from 'node:crypto';

/** Thrown when a primitive does not reproduce its known answer; the server must not start (CRY-07). */
export class SelfTestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelfTestError';
  }
}

export type KnownAnswer = { name: string; run: () => string; expected: string };

const hex = (s: string) => Buffer.from(s, 'hex');

/** Published vectors: FIPS 180-2, RFC 4231 case 2, NIST GCM test case 14, RFC 8032 test 1. */
export const KNOWN_ANSWERS: readonly KnownAnswer[] = [
  {
    name: 'SHA-256 ("abc")',
    run: () => createHash('sha256').update('abc').digest('hex'),
    expected: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
  },
  {
    name: 'HMAC-SHA-256 (RFC 4231 case 2)',
    run: () => createHmac('sha256', 'Jefe').update('what do ya want for nothing?').digest('hex'),
    expected: '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843',
  },
  {
    name: 'AES-256-GCM (NIST test case 14)',
    run: () => {
      const c = createCipheriv('aes-256-gcm', Buffer.alloc(32), Buffer.alloc(12));
      const ct = Buffer.concat([c.update(Buffer.alloc(16)), c.final()]);
      const tag = c.getAuthTag();
      const d = createDecipheriv('aes-256-gcm', Buffer.alloc(32), Buffer.alloc(12));
      d.setAuthTag(tag);
      const pt = Buffer.concat([d.update(ct), d.final()]);
      return `${ct.toString('hex')}:${tag.toString('hex')}:${pt.toString('hex')}`;
    },
    expected: 'cea7403d4d606b6e074ec5d3baf39d18:d0d1c8a799996bf0265b98b5d48ab919:00000000000000000000000000000000',
  },
  {
    name: 'Ed25519 (RFC 8032 test 1)',
    run: () => {
      const seed = hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60');
      const privateKey = createPrivateKey({
        key: Buffer.concat([hex('302e020100300506032b657004220420'), seed]),
        format: 'der',
        type: 'pkcs8',
      });
      const signature = sign(null, Buffer.alloc(0), privateKey);
      const publicKey = createPublicKey(privateKey);
      const ok = verify(null, Buffer.alloc(0), publicKey, signature);
      return `${signature.toString('hex')}:${ok}`;
    },
    expected:
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b:true',
  },
];

/** Runs every known-answer test; throws {@link SelfTestError} naming the first failure. */
export function runSelfTests(answers: readonly KnownAnswer[] = KNOWN_ANSWERS): void {
  for (const a of answers) {
    let got: string;
    try {
      got = a.run();
    } catch (err) {
      throw new SelfTestError(
        `cryptographic self-test "${a.name}" failed: ${err instanceof Error ? err.message : 'error'}`,
      );
    }
    if (got !== a.expected) throw new SelfTestError(`cryptographic self-test "${a.name}" produced a wrong answer`);
  }
}
