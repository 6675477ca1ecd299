import { randomFillSync } from 'node:crypto'

/**
 * Where the store gets random bytes: event ids, respondents' data keys and AEAD nonces. Must
 * return `length` fresh bytes on every call.
 */
export type Entropy = (length: number) => Uint8Array

const POOL_SIZE = 16 * 1024

/**
 * The platform CSPRNG, drawn in 16 KB chunks: the bulk path needs three draws per event, and one
 * `randomFillSync` per draw would cost more than the hashing. Each byte is handed out once.
 */
export function systemEntropy(): Entropy {
  const pool = Buffer.allocUnsafeSlow(POOL_SIZE)
  let offset = POOL_SIZE
  return (length) => {
    if (length > POOL_SIZE) return randomFillSync(Buffer.alloc(length))
    if (offset + length > POOL_SIZE) {
      randomFillSync(pool)
      offset = 0
    }
    const out = Buffer.from(pool.subarray(offset, offset + length))
    pool.fill(0, offset, offset + length)
    offset += length
    return out
  }
}
