import { z } from 'zod'

/**
 * Identifiers: 128 bits from the platform CSPRNG, written as 26 lowercase Crockford base32
 * characters. No timestamp, no counter (SECURITY-TESTS.md T23: UUIDv1/v7 and sequences are
 * forbidden because they leak order and time). Each kind of id is a distinct branded type, made
 * only by {@link newId} or by parsing through its schema.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz'
const ID_PATTERN = /^[0-9abcdefghjkmnpqrstvwxyz]{26}$/

/** Encodes bytes as lowercase Crockford base32 without padding. */
export function base32(bytes: Uint8Array): string {
  let out = ''
  let buffer = 0
  let bits = 0
  for (const byte of bytes) {
    buffer = (buffer << 8) | byte
    bits += 8
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31]
      bits -= 5
    }
    buffer &= (1 << bits) - 1
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31]
  return out
}

// The argument names the brand at the call site; only its type is used.
const idSchema = <B extends string>(_brand: B) =>
  z
    .string()
    .regex(ID_PATTERN, { error: 'expected a 26-character random id' })
    .brand<B>()

export const RespondentId = idSchema('RespondentId')
export type RespondentId = z.infer<typeof RespondentId>
export const TestimonyId = idSchema('TestimonyId')
export type TestimonyId = z.infer<typeof TestimonyId>
export const IncidentId = idSchema('IncidentId')
export type IncidentId = z.infer<typeof IncidentId>
export const RelativeId = idSchema('RelativeId')
export type RelativeId = z.infer<typeof RelativeId>
export const IdentifierId = idSchema('IdentifierId')
export type IdentifierId = z.infer<typeof IdentifierId>
export const AttachmentId = idSchema('AttachmentId')
export type AttachmentId = z.infer<typeof AttachmentId>
export const AnalystId = idSchema('AnalystId')
export type AnalystId = z.infer<typeof AnalystId>
export const EventId = idSchema('EventId')
export type EventId = z.infer<typeof EventId>

/** A fresh random id of the requested brand. */
export function newId<S extends z.ZodType<string>>(schema: S): z.infer<S> {
  const bytes = new Uint8Array(16)
  globalThis.crypto.getRandomValues(bytes)
  return schema.parse(base32(bytes))
}

/**
 * A deterministic id from a seeded source (synthetic data and tests only: real records use
 * {@link newId}). `next` must return 16 bytes.
 */
export function seededId<S extends z.ZodType<string>>(schema: S, next: () => Uint8Array): z.infer<S> {
  return schema.parse(base32(next()))
}
