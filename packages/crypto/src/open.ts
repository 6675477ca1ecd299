/**
 * @amanat/crypto/open — everything that decrypts or signs: unlocking identities, opening sealed
 * files, and the organisation signing key.
 *
 * This subpath is kept apart from the main entry so that the internet-facing intake server, which
 * imports only `@amanat/crypto`, cannot reach decryption code. Only the workbench imports it.
 */
export { unlockIdentity, type UnlockedIdentity } from './open/unlock.ts'
export { openBytes, createOpener, type Opener } from './open/open-bytes.ts'
export { unlockSigningKey, signDocument } from './open/signing-key.ts'
