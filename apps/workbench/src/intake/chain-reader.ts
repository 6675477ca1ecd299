import { createHash } from 'node:crypto'
import { intakeChainPreimage, type IntakeChainEntry, type IntakeCheckpoint } from '@amanat/domain'
import type { IntakeServerClient } from './server-client.ts'

/**
 * Reads an intake server's hash chain forward from a checkpoint the workspace holds, handing out
 * only entries that verify: each must follow the one before it (seq + 1, its `prevHash`), hash to
 * its `hash`, and, for a deletion, list exactly the ids its `itemHash` commits to. The first that
 * does not is the break: nothing from there on is handed out, so nothing after it is trusted.
 *
 * A checkpoint past the genesis is itself re-read and compared first: a server that rolled its
 * chain back, or rewrote it from before the checkpoint, breaks there.
 */
export class ChainReader {
  readonly #client: IntakeServerClient
  #head: IntakeCheckpoint
  #buffer: IntakeChainEntry[] = []
  #fetchedThrough: number
  #checkpointPending: IntakeCheckpoint | null
  #atEnd = false
  #broken: { seq: number; reason: string } | null = null

  constructor(client: IntakeServerClient, checkpoint: IntakeCheckpoint) {
    this.#client = client
    this.#head = checkpoint
    this.#checkpointPending = checkpoint.seq > 0 ? checkpoint : null
    this.#fetchedThrough = checkpoint.seq > 0 ? checkpoint.seq - 1 : 0
  }

  /** The first break found, or null while every entry handed out has verified. */
  get broken(): { seq: number; reason: string } | null {
    return this.#broken
  }

  /** The last verified entry's seq and hash (the checkpoint until one is read). */
  get head(): IntakeCheckpoint {
    return this.#head
  }

  /**
   * The next verified entry, or null at the end of the chain as the server last reported it, or
   * at a break. After null at the end, {@link refresh} lets a later call look again.
   */
  async next(): Promise<IntakeChainEntry | null> {
    if (this.#broken !== null) return null
    while (this.#buffer.length === 0) {
      if (this.#atEnd) return null
      const page = await this.#client.chainAfter(this.#fetchedThrough)
      if (page.length === 0) {
        if (this.#checkpointPending !== null) {
          return this.#break(this.#checkpointPending.seq, 'the server no longer holds the entry this workspace last checked')
        }
        this.#atEnd = true
        return null
      }
      this.#buffer = [...page]
      this.#fetchedThrough = page.at(-1)?.seq ?? this.#fetchedThrough
    }
    const entry = this.#buffer.shift() as IntakeChainEntry
    const pending = this.#checkpointPending
    if (pending !== null) {
      this.#checkpointPending = null
      if (entry.seq !== pending.seq || entry.hash !== pending.hash) {
        return this.#break(pending.seq, 'the server\'s entry differs from the one this workspace last checked')
      }
      return this.next()
    }
    const problem = entryProblem(this.#head, entry)
    if (problem !== null) return this.#break(this.#head.seq + 1, problem)
    this.#head = { seq: entry.seq, hash: entry.hash }
    return entry
  }

  /** Allows {@link next} to ask the server again after it reported the end. */
  refresh(): void {
    this.#atEnd = false
  }

  #break(seq: number, reason: string): null {
    this.#broken = { seq, reason }
    this.#buffer = []
    return null
  }
}

function sha256Hex(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex')
}

/** Why `entry` cannot follow `previous`, or null when it does. */
export function entryProblem(previous: IntakeCheckpoint, entry: IntakeChainEntry): string | null {
  if (entry.seq !== previous.seq + 1) return `entry ${String(entry.seq)} comes where ${String(previous.seq + 1)} should`
  if (entry.prevHash !== previous.hash) return `entry ${String(entry.seq)} does not link to the entry before it`
  if (sha256Hex(intakeChainPreimage(entry)) !== entry.hash) return `entry ${String(entry.seq)} does not match its hash`
  if (entry.kind === 'deletion') {
    const ids = entry.deletedIds ?? []
    const sorted = [...ids].sort()
    if (ids.length === 0 || sorted.some((id, i) => id !== ids[i]) || sha256Hex(ids.join('\n')) !== entry.itemHash) {
      return `deletion entry ${String(entry.seq)} does not list the ids it commits to`
    }
  } else if (entry.deletedIds !== undefined) {
    return `entry ${String(entry.seq)} lists deleted ids but is not a deletion`
  }
  return null
}
