import { randomBytes } from 'node:crypto'
import { sealBytes } from '@amanat/crypto'
import { x25519 } from '@noble/curves/ed25519.js'
import { bech32 } from '@scure/base'

/**
 * Real age files for tests, sealed with @amanat/crypto (age-encryption) exactly as the page seals
 * them. Tests may use sealing code; the server's source may not.
 */

export interface TestIdentity {
  /** `AGE-SECRET-KEY-1…`, usable with `age -d -i`. */
  readonly identity: string
  /** `age1…` */
  readonly recipient: string
}

/** A fresh X25519 age identity. */
export function newIdentity(): TestIdentity {
  const secret = x25519.utils.randomSecretKey()
  const identity = bech32.encode('AGE-SECRET-KEY-', bech32.toWords(secret), false).toUpperCase()
  const recipient = bech32.encode('age', bech32.toWords(x25519.getPublicKey(secret)), false)
  return { identity, recipient }
}

/** `count` fresh recipients. */
export function newRecipients(count: number): string[] {
  return Array.from({ length: count }, () => newIdentity().recipient)
}

/** An age file of `plaintext` (bytes or text) sealed to `recipients`. */
export async function seal(plaintext: Uint8Array | string, recipients: readonly string[]): Promise<Buffer> {
  const bytes = typeof plaintext === 'string' ? new TextEncoder().encode(plaintext) : plaintext
  return Buffer.from(await sealBytes(bytes, recipients))
}

/** An age file of `size` random plaintext bytes. */
export function sealRandom(size: number, recipients: readonly string[]): Promise<Buffer> {
  return seal(randomBytes(size), recipients)
}
