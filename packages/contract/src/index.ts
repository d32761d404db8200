export * from './audit.js';
export * from './errors.js';
export * from './identity.js';
export * from './passkey.js';
export * from './permissions.js';
export * from './platform.js';
export * from './training.js';
export * from './users.js';
