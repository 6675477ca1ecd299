import { randomBytes } from 'node:crypto'
import { base32 } from '@amanat/domain'
import { sha256Hex } from './storage/chain.ts'
import type { IntakeStore } from './storage/intake-store.ts'

/**
 * The analyst credential: 256 bits from the CSPRNG, made on the server's first start, shown once
 * and stored only as its SHA-256. Publishing, inviting, revoking, pulling and deleting need it;
 * nothing a respondent does does.
 */

/** The credential's text: `amanat-intake-` then 52 base32 characters. */
export function newCredential(): string {
  return `amanat-intake-${base32(randomBytes(32))}`
}

/** The stored credential hash, and the credential itself when this call made it (first start). */
export interface CredentialSetup {
  readonly hash: string
  /** Only on the first start (show it once); null afterwards. */
  readonly created: string | null
}

/**
 * Returns the store's credential hash, first making a credential when the store has none. With
 * several processes starting on one PostgreSQL, exactly one of them makes it.
 */
export async function ensureCredential(store: IntakeStore): Promise<CredentialSetup> {
  const existing = await store.credentialHash()
  if (existing !== null) return { hash: existing, created: null }
  const credential = newCredential()
  const hash = sha256Hex(credential)
  if (await store.initCredential(hash)) return { hash, created: credential }
  const winner = await store.credentialHash()
  if (winner === null) throw new Error('intake store: the credential hash vanished')
  return { hash: winner, created: null }
}
