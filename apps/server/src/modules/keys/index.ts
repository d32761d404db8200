/**
 * keys (layer 1): the master key, wrapped data keys, known-answer self-tests, field encryption,
 * blind indexes, rotation and rewrap. Only this module touches raw key material.
 * See docs/decisions/0008-field-encryption-and-keys.md.
 */
import './keys.tables.js';

/** Loads the master key from the setting or the key file, generating the file on first start. */
export { loadMasterKey, type MasterKey } from './keys.master.js';
/** Known-answer tests of every primitive; throws SelfTestError so the server refuses to start (CRY-07). */
export { runSelfTests, SelfTestError, KNOWN_ANSWERS, type KnownAnswer } from './keys.selftest.js';
/** Opens the key ring (creating first keys), and the types other modules and the composition root see. */
export { openKeyRing, type KeyRing, type SealedColumn, type KeysAuditor, type KeysAuditInput } from './keys.ring.js';
export type { KeyPurpose } from './keys.tables.js';
/**
 * Which AES-256-GCM engine seals field values: the native addon once its self-tests passed, else
 * node:crypto (same format), with the reason; for the start-up log and `keys status` (decision 0029).
 */
export { aeadStatus } from './keys.aead.js';
/** Seals a value for one table/column/row with the newest field key (AES-256-GCM, CRY-01/02/03). */
export { seal } from './keys.seal.js';
/** Opens a sealed value; any integrity failure raises an alert and throws `integrity_failed` (ATK-CRYPTO). */
export { open } from './keys.seal.js';
/**
 * Whole-file envelope encryption: a fresh data key per file (AES-256-GCM, AAD binds the row), the
 * data key sealed like a field value (so rotation and rewrap cover it); opening fails closed with
 * the integrity alert.
 */
export { sealBlob, openBlob } from './keys.seal.js';
/** Keyed blind index (HMAC-SHA-256, 16 bytes, base64url) for exact-match search on sealed fields (CRY-09). */
export { blindIndex } from './keys.seal.js';
/** Where a sealed value lives, and the context `open` needs for its alert. */
export type { SealRef, OpenCtx } from './keys.seal.js';
/** Adds the next field key version in the caller's transaction; new seals use it at once (CRY-04). */
export { rotateKey } from './keys.rotate.js';
/** Resumable job moving every registered sealed value to the newest field key (CRY-04). */
export { rewrap } from './keys.rotate.js';
/** Key versions with their states, and sealed values per field key version (rewrap completion metric). */
export { keyStatus } from './keys.rotate.js';
/** Retires a field key version that is neither current nor used by any registered value. */
export { retireKey } from './keys.rotate.js';
/** Re-reads the field key versions from the database (another process may have rotated or retired). */
export { reloadKeys } from './keys.rotate.js';
/** Result and option types of the rotation functions. */
export type { RewrapResult, RewrapOptions, KeyStatus, KeyVersionStatus } from './keys.rotate.js';
/** `medledger keys status|rotate|rewrap|retire`: command functions returning an exit code. */
export { keysStatusCommand, keysRotateCommand, keysRewrapCommand, keysRetireCommand } from './keys.cli.js';
/** The output channels the command functions write to. */
export type { KeysCliIo } from './keys.cli.js';
