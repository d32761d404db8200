/**
 * keys (layer 1): the master key, wrapped data keys, known-answer self-tests, and the narrow
 * functions other modules use. Only this module touches raw key material.
 */
import './keys.tables.js';

/** Loads the master key from the setting or the key file, generating the file on first start. */
export { loadMasterKey, type MasterKey } from './keys.master.js';
/** Known-answer tests of every primitive; throws SelfTestError so the server refuses to start (CRY-07). */
export { runSelfTests, SelfTestError, KNOWN_ANSWERS, type KnownAnswer } from './keys.selftest.js';
/** Opens the key ring (creating first keys), and the types other modules see. */
export { openKeyRing, type KeyRing, type SealedColumn } from './keys.ring.js';
export type { KeyPurpose } from './keys.tables.js';
