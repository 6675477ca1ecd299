import { createCipheriv, createDecipheriv } from 'node:crypto'
import { integrityError } from '@amanat/domain'
import type { Entropy } from '../entropy.ts'

/**
 * Sealing with ChaCha20-Poly1305 (RFC 8439, node:crypto). Two uses, one format:
 *
 * ```
 * sealed = 0x01 (format) || nonce (12 random bytes) || ciphertext || tag (16 bytes)
 * ```
 *
 * - an event body with a subject, under that respondent's data key, with associated data
 *   `"amanat/event-body/v1" || str(event id) || str(subject)`, so a body cannot be moved to
 *   another event or respondent without failing to open;
 * - a respondent's 32-byte data key, wrapped under the workspace's subject KEK, with associated
 *   data `"amanat/subject-key/v1" || str(subject)`.
 *
 * (`str` as in hash-chain.ts: u32be length, then UTF-8.) Random 96-bit nonces are safe here: each
 * data key seals one respondent's events, far below the 2^32 messages per key where random
 * nonces start to risk a collision.
 */
const FORMAT = 1
const NONCE_LENGTH = 12
const TAG_LENGTH = 16

/** The length of a data key, and of the KEK that wraps it. */
export const DATA_KEY_LENGTH = 32

/** Seals `plaintext` under a 32-byte `key` with a fresh nonce from `entropy`, in the format above. Never throws for valid keys. */
export function seal(key: Uint8Array, plaintext: Uint8Array, aad: Uint8Array, entropy: Entropy): Buffer {
  const nonce = entropy(NONCE_LENGTH)
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_LENGTH })
  cipher.setAAD(aad, { plaintextLength: plaintext.length })
  const body = cipher.update(plaintext)
  cipher.final()
  return Buffer.concat([Buffer.of(FORMAT), nonce, body, cipher.getAuthTag()])
}

/** The plaintext of `sealed`; throws integrity `workspace.corrupt` when it does not authenticate. */
export function open(key: Uint8Array, sealed: Uint8Array, aad: Uint8Array): Buffer {
  if (sealed.length < 1 + NONCE_LENGTH + TAG_LENGTH || sealed[0] !== FORMAT) throw unreadable()
  const nonce = sealed.subarray(1, 1 + NONCE_LENGTH)
  const tag = sealed.subarray(sealed.length - TAG_LENGTH)
  const body = sealed.subarray(1 + NONCE_LENGTH, sealed.length - TAG_LENGTH)
  const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG_LENGTH })
  decipher.setAuthTag(tag)
  decipher.setAAD(aad, { plaintextLength: body.length })
  const plain = decipher.update(body)
  try {
    decipher.final()
  } catch {
    plain.fill(0)
    throw unreadable()
  }
  return plain
}

const unreadable = () =>
  integrityError(
    'workspace.corrupt',
    'A sealed record in the workspace does not authenticate: it was altered or damaged.',
  )

function labelled(label: string, ...parts: string[]): Buffer {
  const chunks: Buffer[] = [Buffer.from(label, 'ascii')]
  for (const part of parts) {
    const bytes = Buffer.from(part, 'utf8')
    const length = Buffer.allocUnsafe(4)
    length.writeUInt32BE(bytes.length)
    chunks.push(length, bytes)
  }
  return Buffer.concat(chunks)
}

/** Associated data binding a sealed body to its event and subject. */
export const bodyAad = (eventId: string, subject: string): Buffer =>
  labelled('amanat/event-body/v1', eventId, subject)

/** Associated data binding a wrapped data key to its subject. */
export const keyAad = (subject: string): Buffer => labelled('amanat/subject-key/v1', subject)
