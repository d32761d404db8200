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
import { enableNativeAead, loadedAddon, nativeCandidate, nodeAead, type Aead, type AeadAddon } from './keys.aead.js';

/** Thrown when a primitive does not reproduce its known answer; the server must not start (CRY-07). */
export class SelfTestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SelfTestError';
  }
}

/** `native`: a test of the AES-GCM addon; the addon is used only once all of them passed. */
export type KnownAnswer = { name: string; run: () => string; expected: string; native?: true };

const hex = (s: string) => Buffer.from(s, 'hex');

/** Published vectors: FIPS 180-2, RFC 4231 case 2, NIST GCM test case 14, RFC 8032 test 1. */
const PRIMITIVE_ANSWERS: readonly KnownAnswer[] = [
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

// NIST GCM test case 16: AES-256, 60-byte plaintext, 20 bytes of AAD.
const TC16 = {
  key: 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308',
  nonce: 'cafebabefacedbaddecaf888',
  aad: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
  plaintext:
    'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
  ciphertext:
    '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
  tag: '76fc6ece0f4e1768cddf8853bb2d551b',
};

/** Deterministic test bytes: SHA-256 in counter mode over a label. */
function bytesOf(label: string, n: number): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0, off = 0; off < n; i++, off += 32) {
    createHash('sha256').update(`${label}/${i}`).digest().copy(out, off);
  }
  return out;
}

/** The addon is used for field values only when every one of these passes (decision 0029). */
export function nativeAnswers(engine: Aead, addon: AeadAddon): KnownAnswer[] {
  const withKey = <T>(key: Buffer, f: (key: Buffer) => T): T => {
    try {
      return f(key);
    } finally {
      engine.forget(key);
    }
  };
  const roundTrip = (key: Buffer, nonce: Buffer, aad: Buffer, pt: Buffer) =>
    withKey(key, (k) => {
      const body = engine.seal(k, nonce, aad, pt);
      const back = engine.open(k, nonce, aad, body);
      return `${body.subarray(0, pt.length).toString('hex')}:${body.subarray(pt.length).toString('hex')}:${back?.toString('hex') ?? 'refused'}`;
    });
  return [
    {
      name: 'AES-256-GCM native addon (NIST test case 14)',
      native: true,
      run: () => roundTrip(Buffer.alloc(32), Buffer.alloc(12), Buffer.alloc(0), Buffer.alloc(16)),
      expected: 'cea7403d4d606b6e074ec5d3baf39d18:d0d1c8a799996bf0265b98b5d48ab919:00000000000000000000000000000000',
    },
    {
      name: 'AES-256-GCM native addon (NIST test case 16, with AAD)',
      native: true,
      run: () => roundTrip(hex(TC16.key), hex(TC16.nonce), hex(TC16.aad), hex(TC16.plaintext)),
      expected: `${TC16.ciphertext}:${TC16.tag}:${TC16.plaintext}`,
    },
    {
      name: 'AES-256-GCM native addon agrees with node:crypto',
      native: true,
      run: () => {
        let agreed = 0;
        for (const n of [0, 1, 15, 16, 17, 100, 1000]) {
          for (const a of [0, 20, 45]) {
            const key = bytesOf(`key ${n} ${a}`, 32);
            const nonce = bytesOf(`nonce ${n} ${a}`, 12);
            const aad = bytesOf(`aad ${n} ${a}`, a);
            const pt = bytesOf(`plaintext ${n} ${a}`, n);
            const ok = withKey(key, (k) => {
              const mine = engine.seal(k, nonce, aad, pt);
              const theirs = nodeAead.seal(k, nonce, aad, pt);
              return (
                mine.equals(theirs) &&
                engine.open(k, nonce, aad, theirs)?.equals(pt) === true &&
                nodeAead.open(k, nonce, aad, mine)?.equals(pt) === true
              );
            });
            if (!ok) return `differs for ${n} bytes with ${a} bytes of AAD`;
            agreed++;
          }
        }
        return `agreed ${agreed}`;
      },
      expected: 'agreed 21',
    },
    {
      name: 'AES-256-GCM native addon refuses altered values',
      native: true,
      run: () => {
        const key = hex(TC16.key);
        const [nonce, aad, pt] = [hex(TC16.nonce), hex(TC16.aad), hex(TC16.plaintext)];
        return withKey(key, (k) => {
          const body = engine.seal(k, nonce, aad, pt);
          const flip = (b: Buffer, i: number) => {
            const c = Buffer.from(b);
            c[i]! ^= 1;
            return c;
          };
          const cases: [string, Buffer | null][] = [
            ['tag', engine.open(k, nonce, aad, flip(body, body.length - 1))],
            ['ciphertext', engine.open(k, nonce, aad, flip(body, 0))],
            ['aad', engine.open(k, nonce, flip(aad, 0), body)],
            ['nonce', engine.open(k, flip(nonce, 11), aad, body)],
            ['truncated', engine.open(k, nonce, aad, body.subarray(1))],
            ['key', withKey(flip(key, 0), (other) => engine.open(other, nonce, aad, body))],
          ];
          return cases.map(([what, got]) => `${what}=${got === null ? 'refused' : 'ACCEPTED'}`).join(',');
        });
      },
      expected: 'tag=refused,ciphertext=refused,aad=refused,nonce=refused,truncated=refused,key=refused',
    },
    {
      name: 'AES-256-GCM native addon rejects wrong lengths',
      native: true,
      run: () => {
        const handle = addon.keyHandle(Buffer.alloc(32));
        const [nonce, aad, pt] = [Buffer.alloc(12), Buffer.alloc(0), Buffer.alloc(10)];
        const misuses: (() => unknown)[] = [
          () => addon.keyHandle(Buffer.alloc(31)),
          () => addon.keyHandle(Buffer.alloc(33)),
          () => addon.seal(handle, Buffer.alloc(11), aad, pt, Buffer.alloc(26)),
          () => addon.seal(handle, nonce, aad, pt, Buffer.alloc(25)),
          () => addon.open(handle, nonce, aad, Buffer.alloc(15), Buffer.alloc(0)),
          () => addon.open(handle, nonce, aad, Buffer.alloc(26), Buffer.alloc(11)),
        ];
        let thrown = 0;
        for (const misuse of misuses) {
          try {
            misuse();
          } catch (err) {
            if (err instanceof RangeError) thrown++;
          }
        }
        addon.dispose(handle);
        return `thrown ${thrown} of ${misuses.length}`;
      },
      expected: 'thrown 6 of 6',
    },
  ];
}

const NATIVE_ANSWERS: readonly KnownAnswer[] =
  nativeCandidate === null || loadedAddon === null ? [] : nativeAnswers(nativeCandidate, loadedAddon);

/**
 * Every known answer: the primitives, and the native AES-GCM addon's when it loaded. An addon that
 * loaded but fails its answers stops the server like any other primitive (fail closed).
 */
export const KNOWN_ANSWERS: readonly KnownAnswer[] = [...PRIMITIVE_ANSWERS, ...NATIVE_ANSWERS];

/**
 * Runs every known-answer test; throws {@link SelfTestError} naming the first failure. When every
 * test of the native addon was among them and passed, field encryption switches to the addon.
 */
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
  const nativePassed = answers.filter((a) => a.native === true).length;
  if (NATIVE_ANSWERS.length > 0 && nativePassed === NATIVE_ANSWERS.length) enableNativeAead();
}
