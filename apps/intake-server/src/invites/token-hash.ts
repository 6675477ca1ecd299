import { createHash, timingSafeEqual } from 'node:crypto'
import type { InviteToken } from '@amanat/domain'

/**
 * Invite tokens are looked up, rate-limited and stored only as SHA-256 hashes (T16). A token
 * carries 128 bits from the CSPRNG, so an unsalted hash is enough: there is no dictionary to try.
 * The raw token lives only in the request being handled.
 */

/** Lowercase hex SHA-256 of the token's text. */
export function hashToken(token: InviteToken): string {
  return createHash('sha256').update(token, 'utf8').digest('hex')
}

/**
 * True when `presented` hashes to `expectedHash` (lowercase hex SHA-256), compared in constant
 * time. For the analyst credential.
 */
export function matchesHash(presented: string, expectedHash: string): boolean {
  const actual = createHash('sha256').update(presented, 'utf8').digest()
  const expected = Buffer.from(expectedHash, 'hex')
  return expected.length === actual.length && timingSafeEqual(actual, expected)
}
