import {
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto'
import { AmanatError } from '@amanat/domain'
import { bech32 } from '@scure/base'
import { AGE_VERSION_LINE, decodeCanonicalBase64, parseAgeHeader, type AgeStanza } from './age-header.ts'

/**
 * Opening age files (c2sp.org/age) with X25519 identities on node:crypto's native primitives, for
 * bulk pulls: age-encryption in pure JavaScript opens about 500 small files a second per core,
 * this about fifty times as many. It follows the spec to the letter (the CCTV test vectors and
 * property tests against typage prove it, apps/workbench/test/intake-native-age.test.ts) and
 * handles exactly one kind of file: binary, with X25519 stanzas only. Anything else is reported
 * as `unsupported` so the caller can use age-encryption instead (see native-opener.ts).
 */

const X25519_LABEL = 'age-encryption.org/v1/X25519'
const CHUNK = 64 * 1024
const TAG = 16
const ENCRYPTED_CHUNK = CHUNK + TAG
const NONCE = 16
const FILE_KEY = 16
// DER wrappers of raw X25519 keys (RFC 8410), so KeyObjects can be made from 32 raw bytes.
const PKCS8_PREFIX = Buffer.from('302e020100300506032b656e04220420', 'hex')
const SPKI_PREFIX = Buffer.from('302a300506032b656e032100', 'hex')

/** An X25519 identity ready for native use: the private KeyObject and its raw public key. */
export interface NativeX25519Key {
  readonly privateKey: KeyObject
  readonly publicKey: Buffer
}

/** What the native path made of a file. */
export type NativeOpenResult =
  | { readonly kind: 'opened'; readonly plaintext: Buffer }
  /** Armored, or a stanza of another type: not this path's to judge. */
  | { readonly kind: 'unsupported' }

/** The refusal for a file that cannot be opened, whatever the reason (one message, no oracle). */
export function undecryptable(): AmanatError {
  return new AmanatError(
    'integrity',
    'crypto.undecryptable',
    'The file could not be decrypted: it is damaged, truncated, or not sealed to these keys.',
  )
}

function badIdentity(index: number): AmanatError {
  return new AmanatError('input', 'crypto.bad_identity', 'An identity is not a plain X25519 age identity (AGE-SECRET-KEY-1…).', { index })
}

/**
 * Prepares X25519 identities (`AGE-SECRET-KEY-1…`) for {@link openAgeNatively}.
 *
 * @throws AmanatError input `crypto.bad_identity` when the list is empty or holds anything else.
 */
export function prepareX25519Keys(identities: readonly string[]): NativeX25519Key[] {
  if (identities.length === 0) throw badIdentity(0)
  return identities.map((identity, index) => {
    if (!/^AGE-SECRET-KEY-1[02-9AC-HJ-NP-Z]{58}$/.test(identity)) throw badIdentity(index)
    let secret: Uint8Array
    try {
      const decoded = bech32.decodeToBytes(identity.toLowerCase())
      if (decoded.prefix !== 'age-secret-key-' || decoded.bytes.length !== 32) throw badIdentity(index)
      secret = decoded.bytes
    } catch {
      throw badIdentity(index)
    }
    const der = Buffer.concat([PKCS8_PREFIX, secret])
    secret.fill(0)
    const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' })
    der.fill(0)
    const spki = createPublicKey(privateKey).export({ format: 'der', type: 'spki' })
    return { privateKey, publicKey: Buffer.from(spki.subarray(SPKI_PREFIX.length)) }
  })
}

/** Raw secret bytes as an X25519 private key (the benchmark's sealer and tests use it too). */
export function x25519PrivateKey(secret: Uint8Array): KeyObject {
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, secret]), format: 'der', type: 'pkcs8' })
}

/** Raw public bytes (32) as an X25519 public key. */
export function x25519PublicKey(publicKey: Uint8Array): KeyObject {
  // JWK import costs a twentieth of DER import in Node 20 (about 8 µs against 160 µs), and this
  // runs once per file.
  return createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: Buffer.from(publicKey).toString('base64url') }, format: 'jwk' })
}

/**
 * HKDF-SHA-256 (RFC 5869) for one 32-byte block: Extract, then a single Expand step. Two HMACs
 * cost less than half of one `hkdfSync` call in Node 20 (about 4.5 µs against 10), and a file
 * takes three. Equal to `hkdfSync('sha256', ikm, salt, info, 32)` (a property test says so).
 */
export function hkdf(ikm: Uint8Array, salt: Uint8Array, info: string): Buffer {
  const prk = createHmac('sha256', salt).update(ikm).digest()
  const out = createHmac('sha256', prk).update(info, 'utf8').update(ONE).digest()
  prk.fill(0)
  return out
}
const ONE = Buffer.of(1)

/** ChaCha20-Poly1305 open; null when the tag does not verify. */
function aeadOpen(key: Uint8Array, nonce: Uint8Array, sealed: Uint8Array): Buffer | null {
  if (sealed.length < TAG) return null
  const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG })
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG))
  const plain = decipher.update(sealed.subarray(0, sealed.length - TAG))
  try {
    decipher.final()
    return plain
  } catch {
    plain.fill(0)
    return null
  }
}

/**
 * The file key from the first X25519 stanza one of `keys` unwraps, as age's reference
 * implementation does it: a stanza that does not open is skipped, but a malformed X25519 stanza
 * (not exactly one 32-byte share, a body that is not 32 bytes) or an all-zero shared secret
 * aborts (the spec's MUSTs, against partitioning oracles and small-order shares).
 */
function unwrapFileKey(stanzas: readonly AgeStanza[], keys: readonly NativeX25519Key[]): Buffer {
  for (const key of keys) {
    for (const stanza of stanzas) {
      if (stanza.args.length !== 1 || stanza.body.length !== FILE_KEY + TAG) throw undecryptable()
      const share = decodeShare(stanza.args[0] ?? '')
      let shared: Buffer
      try {
        shared = diffieHellman({ privateKey: key.privateKey, publicKey: x25519PublicKey(share) })
      } catch {
        // OpenSSL refuses to derive an all-zero secret (a small-order share): abort, as the spec says.
        throw undecryptable()
      }
      if (shared.every((byte) => byte === 0)) throw undecryptable()
      const wrapKey = hkdf(shared, Buffer.concat([share, key.publicKey]), X25519_LABEL)
      shared.fill(0)
      const fileKey = aeadOpen(wrapKey, Buffer.alloc(12), stanza.body)
      wrapKey.fill(0)
      if (fileKey !== null) return fileKey
    }
  }
  throw undecryptable()
}

function decodeShare(text: string): Buffer {
  const share = decodeCanonicalBase64(text)
  if (share?.length !== 32) throw undecryptable()
  return share
}

/**
 * Decrypts the STREAM payload (64 KiB chunks, ChaCha20-Poly1305, 11-byte big-endian counter and a
 * last-chunk flag in the nonce) into one buffer, returned only when every chunk authenticated and
 * the last one carried the flag at the very end of the file: a truncated file, one with data after
 * the last chunk, or an empty last chunk after full ones is refused, and nothing is returned.
 */
function openPayload(fileKey: Buffer, payload: Uint8Array): Buffer {
  if (payload.length < NONCE + TAG) throw undecryptable()
  const key = hkdf(fileKey, payload.subarray(0, NONCE), 'payload')
  const sealed = payload.subarray(NONCE)
  const chunks = Math.max(1, Math.ceil(sealed.length / ENCRYPTED_CHUNK))
  const lastLength = sealed.length - (chunks - 1) * ENCRYPTED_CHUNK
  // An empty last chunk is allowed only as the whole payload of an empty file.
  if (lastLength < TAG || (lastLength === TAG && chunks > 1)) {
    key.fill(0)
    throw undecryptable()
  }
  const plaintext = Buffer.allocUnsafe(sealed.length - chunks * TAG)
  const nonce = Buffer.alloc(12)
  let written = 0
  try {
    for (let index = 0; index < chunks; index++) {
      const start = index * ENCRYPTED_CHUNK
      const chunk = sealed.subarray(start, Math.min(start + ENCRYPTED_CHUNK, sealed.length))
      const last = index === chunks - 1
      nonce.writeUIntBE(index, 5, 6)
      nonce[11] = last ? 1 : 0
      const plain = aeadOpen(key, nonce, chunk)
      if (plain === null) throw undecryptable()
      plain.copy(plaintext, written)
      written += plain.length
      plain.fill(0)
    }
  } catch (error) {
    plaintext.fill(0)
    throw error
  } finally {
    key.fill(0)
  }
  return plaintext
}

const VERSION_PREFIX = Buffer.from(`${AGE_VERSION_LINE}\n`, 'latin1')

/**
 * Opens a binary age file with X25519 `keys`, natively. Returns `opened` with all of the
 * plaintext, or `unsupported` for a file this path does not handle (ASCII armor, or any stanza
 * that is not X25519): hand those to age-encryption.
 *
 * @throws AmanatError integrity `crypto.undecryptable` for every other failure: not an age file, a
 *   malformed header, no stanza for these keys, a bad header MAC (checked before any payload is
 *   touched), a payload chunk that does not authenticate, truncation, trailing data.
 */
export function openAgeNatively(file: Uint8Array, keys: readonly NativeX25519Key[]): NativeOpenResult {
  if (!Buffer.from(file.buffer, file.byteOffset, Math.min(file.length, VERSION_PREFIX.length)).equals(VERSION_PREFIX)) {
    const start = Buffer.from(file.buffer, file.byteOffset, Math.min(file.length, 64)).toString('latin1').trimStart()
    if (start.startsWith('-----BEGIN AGE ENCRYPTED FILE-----')) return { kind: 'unsupported' }
    throw undecryptable()
  }
  const header = parseAgeHeader(file)
  if (header === null) throw undecryptable()
  if (header.stanzas.length === 0) throw undecryptable()
  if (header.stanzas.some((stanza) => stanza.type !== 'X25519')) return { kind: 'unsupported' }
  const fileKey = unwrapFileKey(header.stanzas, keys)
  try {
    const macKey = hkdf(fileKey, Buffer.alloc(0), 'header')
    const mac = createHmac('sha256', macKey).update(header.macInput).digest()
    macKey.fill(0)
    if (!timingSafeEqual(mac, header.mac)) throw undecryptable()
    return { kind: 'opened', plaintext: openPayload(fileKey, file.subarray(header.end)) }
  } finally {
    fileKey.fill(0)
  }
}
