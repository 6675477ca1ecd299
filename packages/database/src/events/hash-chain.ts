import { createHash } from 'node:crypto'

/** The `prev_hash` of event 1: 32 zero bytes. */
export const GENESIS_HASH: Buffer = Buffer.alloc(32)

/** The fields of an event that its hash covers, exactly as stored. */
export interface ChainedFields {
  readonly seq: number
  readonly id: string
  readonly kind: string
  readonly author: string
  readonly recordedAt: string
  readonly subject: string | null
  /** The stored body bytes: the JSON, or the sealed JSON for an event with a subject. */
  readonly body: Uint8Array
  readonly prevHash: Uint8Array
}

const DOMAIN = Buffer.from('amanat/event/v1\n', 'ascii')

/**
 * The hash of one event, chaining it to the one before:
 *
 * ```
 * hash = SHA-256(
 *   "amanat/event/v1\n"                   16 ASCII bytes (domain separation, format version)
 *   u64be(seq)                            8 bytes
 *   str(id) str(kind) str(author) str(recorded_at)
 *   0x00                                  when subject is null, else
 *   0x01 str(subject)
 *   SHA-256(body)                         32 bytes, body = the stored bytes (sealed when subject set)
 *   prev_hash                             32 bytes, 32 zero bytes for seq 1
 * )
 * str(x) = u32be(byte length of UTF-8(x)) || UTF-8(x)
 * ```
 *
 * `recorded_at` is the stored text (`Date.prototype.toISOString()`: `2024-05-01T09:30:00.000Z`).
 * Every field is length-prefixed or fixed-size, so no two different events encode the same bytes.
 * Hashing the stored body (ciphertext for a subject's event) keeps the chain verifiable after the
 * subject's key is destroyed.
 */
export function eventHash(fields: ChainedFields): Buffer {
  return eventHashOfDigest(fields, bodyDigest(fields.body))
}

/** SHA-256 of stored body bytes, the form the event hash includes. */
export function bodyDigest(body: Uint8Array): Buffer {
  return createHash('sha256').update(body).digest()
}

/** {@link eventHash} with the body's digest already computed (verification tries several seqs). */
export function eventHashOfDigest(fields: Omit<ChainedFields, 'body'>, digest: Uint8Array): Buffer {
  const head = Buffer.allocUnsafe(8)
  head.writeBigUInt64BE(BigInt(fields.seq))
  const hash = createHash('sha256').update(DOMAIN).update(head)
  for (const text of [fields.id, fields.kind, fields.author, fields.recordedAt]) updateString(hash, text)
  if (fields.subject === null) hash.update(NULL_MARK)
  else {
    hash.update(PRESENT_MARK)
    updateString(hash, fields.subject)
  }
  hash.update(digest)
  return hash.update(fields.prevHash).digest()
}

const NULL_MARK = Buffer.from([0])
const PRESENT_MARK = Buffer.from([1])

function updateString(hash: ReturnType<typeof createHash>, text: string): void {
  const bytes = Buffer.from(text, 'utf8')
  const length = Buffer.allocUnsafe(4)
  length.writeUInt32BE(bytes.length)
  hash.update(length).update(bytes)
}
