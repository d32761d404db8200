import { createCipheriv, createDecipheriv } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * AES-256-GCM with a 12-byte nonce and a 16-byte tag, as `keys.seal` uses it (decision 0029).
 * Two engines give identical bytes: the native addon (OpenSSL through EVP, the key schedule kept
 * per key) and node:crypto (a cipher object per call, about a third of the speed).
 */
export type Aead = {
  readonly name: 'native' | 'node:crypto';
  /** ciphertext ‖ tag. */
  seal: (key: Buffer, nonce: Buffer, aad: Buffer, plaintext: Buffer) => Buffer;
  /** The plaintext, or null when the tag does not verify (nothing unverified is returned). */
  open: (key: Buffer, nonce: Buffer, aad: Buffer, body: Buffer) => Buffer | null;
  /** Drops (and wipes) whatever the engine keeps for `key`; call before zeroing a retired key. */
  forget: (key: Buffer) => void;
};

const TAG_BYTES = 16;

export const nodeAead: Aead = {
  name: 'node:crypto',
  seal(key, nonce, aad, plaintext) {
    const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(aad);
    return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  },
  open(key, nonce, aad, body) {
    if (body.length < TAG_BYTES) return null;
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(aad);
    decipher.setAuthTag(body.subarray(body.length - TAG_BYTES));
    const data = decipher.update(body.subarray(0, body.length - TAG_BYTES));
    try {
      // CRY-08: the tag comparison happens inside OpenSSL, in constant time.
      decipher.final();
    } catch {
      data.fill(0);
      return null;
    }
    return data;
  },
  forget() {
    // node:crypto keeps nothing between calls.
  },
};

/** The addon's interface (native/aead/aead.c). */
export type AeadAddon = {
  keyHandle: (key: Buffer) => object;
  seal: (handle: object, nonce: Buffer, aad: Buffer, plaintext: Buffer, out: Buffer) => void;
  open: (handle: object, nonce: Buffer, aad: Buffer, body: Buffer, out: Buffer) => boolean;
  dispose: (handle: object) => void;
  openssl: string;
};

/** Wraps the addon: one key handle per key Buffer, created on first use, disposed by `forget`. */
export function nativeAead(addon: AeadAddon): Aead {
  const handles = new WeakMap<Buffer, object>();
  const handleOf = (key: Buffer) => {
    let handle = handles.get(key);
    if (handle === undefined) {
      handle = addon.keyHandle(key);
      handles.set(key, handle);
    }
    return handle;
  };
  return {
    name: 'native',
    seal(key, nonce, aad, plaintext) {
      // allocUnsafe is pooled and fully overwritten by the addon.
      const out = Buffer.allocUnsafe(plaintext.length + TAG_BYTES);
      addon.seal(handleOf(key), nonce, aad, plaintext, out);
      return out;
    },
    open(key, nonce, aad, body) {
      if (body.length < TAG_BYTES) return null;
      const out = Buffer.allocUnsafe(body.length - TAG_BYTES);
      // On a tag mismatch the addon has already zeroed `out`.
      return addon.open(handleOf(key), nonce, aad, body, out) ? out : null;
    },
    forget(key) {
      const handle = handles.get(key);
      if (handle === undefined) return;
      handles.delete(key);
      addon.dispose(handle);
    },
  };
}

/** Where the build puts the addon: native/aead/build/Release next to src/ (or dist/src/). */
export function defaultAddonPath(): string | null {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 6; up++) {
    if (existsSync(path.join(dir, 'native', 'aead', 'binding.gyp'))) {
      return path.join(dir, 'native', 'aead', 'build', 'Release', 'aead.node');
    }
    dir = path.dirname(dir);
  }
  return null;
}

/** The addon, or why it is not there. Loading does not enable it: the self-test does. */
export type AddonLoad = { addon: AeadAddon; reason: null } | { addon: null; reason: string };

export function loadAeadAddon(file: string | null = defaultAddonPath()): AddonLoad {
  if (file === null) return { addon: null, reason: 'the native/aead folder was not found' };
  if (!existsSync(file)) return { addon: null, reason: `not built (${file} is missing)` };
  try {
    const addon = createRequire(import.meta.url)(file) as AeadAddon;
    for (const fn of ['keyHandle', 'seal', 'open', 'dispose'] as const) {
      if (typeof addon[fn] !== 'function') return { addon: null, reason: `the addon has no ${fn}()` };
    }
    return { addon, reason: null };
  } catch (err) {
    return { addon: null, reason: `it does not load: ${err instanceof Error ? err.message : String(err)}` };
  }
}

const loaded = loadAeadAddon();
/** The raw addon when it loaded (the self-tests check its argument validation), else null. */
export const loadedAddon: AeadAddon | null = loaded.addon;
/** The native engine when the addon loaded (not yet self-tested), else null. */
export const nativeCandidate: Aead | null = loaded.addon === null ? null : nativeAead(loaded.addon);
let active: Aead = nodeAead;

/**
 * CRY-07: called by the self-tests once the addon has reproduced its known answers; from then on
 * field values are sealed and opened through it.
 */
export function enableNativeAead(): void {
  if (nativeCandidate !== null) active = nativeCandidate;
}

/** The engine sealing and opening field values now. */
export function fieldAead(): Aead {
  return active;
}

/** CRY-11: drops the key schedule kept for `key` (if any) before the caller zeroes the key. */
export function forgetKey(key: Buffer): void {
  nativeCandidate?.forget(key);
  if (active !== nativeCandidate) active.forget(key);
}

/** Switches the engine (tests run both); returns the previous one. */
export function useAead(engine: Aead): Aead {
  const previous = active;
  active = engine;
  return previous;
}

/** For the start-up log and `medledger keys status`; the arguments are for tests. */
export function aeadStatus(load: AddonLoad = loaded, engine: Aead = active): { engine: Aead['name']; detail: string } {
  if (engine.name === 'native' && load.addon !== null) {
    return { engine: 'native', detail: `native addon (${load.addon.openssl}), self-tested` };
  }
  const why =
    load.addon === null
      ? `native addon not in use: ${load.reason}`
      : 'native addon loaded but not enabled: the self-tests have not run';
  return { engine: 'node:crypto', detail: `node:crypto (${why})` };
}
