import { randomBytes } from 'node:crypto'
import { base32 } from '@amanat/domain'

/**
 * A fresh 128-bit id from the CSPRNG in lowercase Crockford base32 (26 characters): no time, no
 * counter, so ids say nothing about order or when (T23).
 */
export function randomId(): string {
  return base32(randomBytes(16))
}
