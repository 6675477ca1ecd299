import { generateX25519Identity, identityToRecipient } from 'age-encryption'
import { expect } from 'vitest'
import { isAmanatError, type ErrorKind } from '@amanat/domain'
import { createKeySet, type KeySet } from '../src/index.ts'
import { unlockIdentity, unlockSigningKey } from '../src/open.ts'
import type { SigningKey } from '../src/signing.ts'

/** Tests pass a low scrypt work factor explicitly; production code never defaults to it. */
export const TEST_WORK_FACTOR = 4
export const PASSPHRASE = 'correct horse battery staple'
export const BACKUP_PASSPHRASE = 'offline paper in a locked drawer'

export interface Party {
  readonly identity: string
  readonly recipient: string
}

/** A fresh X25519 identity and its recipient. */
export async function party(): Promise<Party> {
  const identity = await generateX25519Identity()
  return { identity, recipient: await identityToRecipient(identity) }
}

/** A key set made with the test work factor and the two test passphrases. */
export function testKeySet(): Promise<KeySet> {
  return createKeySet({
    passphrase: PASSPHRASE,
    backupPassphrase: BACKUP_PASSPHRASE,
    scryptWorkFactor: TEST_WORK_FACTOR,
  })
}

/** A key set together with its unlocked analyst identity and signing key. */
export async function unlockedKeySet(): Promise<{ keys: KeySet; analyst: Party; signingKey: SigningKey }> {
  const keys = await testKeySet()
  const analyst = await unlockIdentity(keys.analyst.identityFile, PASSPHRASE)
  return { keys, analyst, signingKey: await unlockSigningKey(keys.signing.keyFile, analyst.identity) }
}

/** A copy of `bytes` with `mask` XORed into the byte at `index`. */
export function flipped(bytes: Uint8Array, index: number, mask = 0x01): Uint8Array {
  const copy = bytes.slice()
  copy[index] = (copy[index] ?? 0) ^ mask
  return copy
}

/** True when `needle` occurs in `haystack` as a contiguous run. */
export function containsBytes(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer
    return true
  }
  return false
}

/** Asserts that `promise` rejects with an AmanatError of this kind and code. */
export async function expectRefusal(promise: Promise<unknown>, kind: ErrorKind, code: string): Promise<void> {
  const error: unknown = await promise.then(
    () => new Error('expected a refusal, got a result'),
    (e: unknown) => e,
  )
  if (!isAmanatError(error, code)) throw error
  expect(error.kind).toBe(kind)
}

/** Asserts that `run` throws an AmanatError of this kind and code. */
export function expectThrows(run: () => unknown, kind: ErrorKind, code: string): void {
  let error: unknown = new Error('expected a refusal, got a result')
  try {
    run()
  } catch (e) {
    error = e
  }
  if (!isAmanatError(error, code)) throw error
  expect(error.kind).toBe(kind)
}
