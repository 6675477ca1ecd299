import { createHash } from 'node:crypto'
import { INTAKE_CHAIN_GENESIS, intakeChainPreimage, type IntakeChainKind } from '@amanat/domain'

/**
 * The server's append-only hash chain (docs/intake-protocol.md). Each entry commits to the one
 * before it, so the analysts, holding an earlier entry's hash offline, detect any deletion,
 * modification, reordering or back-dated insertion.
 */

/** Lowercase hex SHA-256 of bytes or of a string's UTF-8. */
export function sha256Hex(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex')
}

/** An entry before it is hashed. */
export interface ChainLink {
  readonly seq: number
  readonly kind: IntakeChainKind
  readonly itemId: string
  readonly itemHash: string
  readonly day: string
  readonly prevHash: string
}

/** The hash of an entry: SHA-256 of its preimage. */
export function chainHash(link: ChainLink): string {
  return sha256Hex(intakeChainPreimage(link))
}

/** The last entry's seq and hash; seq 0 and the genesis hash for an empty chain. */
export interface ChainHead {
  readonly seq: number
  readonly hash: string
}

export const EMPTY_CHAIN: ChainHead = { seq: 0, hash: INTAKE_CHAIN_GENESIS }

/** The item hash of a deletion: SHA-256 of the deleted ids, sorted, joined by `\n`. */
export function deletionHash(sortedIds: readonly string[]): string {
  return sha256Hex(sortedIds.join('\n'))
}

/**
 * Checks that `entries` continue the chain from `head`: consecutive seqs, each `prevHash` equal
 * to the hash before it, each `hash` recomputed. Returns the first problem as a plain sentence, or
 * null when every entry holds.
 */
export function chainProblem(
  head: ChainHead,
  entries: readonly (ChainLink & { readonly hash: string })[],
): string | null {
  let previous = head
  for (const entry of entries) {
    if (entry.seq !== previous.seq + 1) return `chain entry ${String(entry.seq)} does not follow ${String(previous.seq)}`
    if (entry.prevHash !== previous.hash) return `chain entry ${String(entry.seq)} does not link to the entry before it`
    if (chainHash(entry) !== entry.hash) return `chain entry ${String(entry.seq)} does not match its hash`
    previous = { seq: entry.seq, hash: entry.hash }
  }
  return null
}
