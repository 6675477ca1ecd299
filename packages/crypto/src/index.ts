/**
 * @amanat/crypto — sealing, key generation and signature verification. Browser-safe: no Node
 * built-ins, so the questionnaire page, the intake server and the workbench share it.
 *
 * Nothing here decrypts or signs: that lives behind `@amanat/crypto/open`, which the intake server
 * never imports, and no file reachable from here imports it.
 */
export * from './keys.ts'
export * from './seal.ts'
export { assertX25519Recipients } from './recipient.ts'
export * from './signing.ts'
export * from './fingerprint.ts'
export * from './documents.ts'
export * from './canonical-json.ts'
export { encodeBase64Url, decodeBase64Url } from './encoding.ts'
