import type { Kysely } from 'kysely'
import type { Database } from '../schema/database.ts'
import type { EventTable } from '../schema/event.table.ts'
import { bodyDigest, eventHashOfDigest, GENESIS_HASH } from './hash-chain.ts'

/**
 * Why the chain broke at an event:
 * - `edited`: the row no longer matches its own hash (a field or the body was changed);
 * - `missing`: an event is gone (a gap in `seq`, or a row whose predecessor no longer exists);
 * - `reordered`: the row is intact but sits at another position than the one it was written at;
 * - `chain_mismatch`: the row matches its own hash but does not link to the event before it,
 *   as when someone holding the key rewrote the previous row and recomputed that row's hash.
 */
export const BREAK_REASONS = ['edited', 'missing', 'reordered', 'chain_mismatch'] as const
/** One of {@link BREAK_REASONS}. */
export type BreakReason = (typeof BREAK_REASONS)[number]

/**
 * The outcome of recomputing the whole chain. `events` is the number of events in the log.
 * On success `head` is the last event's hash (hex; 64 zeros for an empty log): keep it somewhere
 * the workspace's holder cannot rewrite (printed, signed, sent away), because someone with the key
 * who rewrites the whole tail from some event onwards produces a chain that is consistent in
 * itself, and only a head kept elsewhere exposes that.
 */
export type VerifyReport =
  | { readonly ok: true; readonly events: number; readonly head: string }
  | {
      readonly ok: false
      readonly events: number
      readonly firstBroken: { readonly seq: number; readonly reason: BreakReason }
    }

/** Options for `verify()`. */
export interface VerifyOptions {
  /** Called after each chunk of events with how many were checked so far and the total. */
  readonly onProgress?: (done: number, total: number) => void
}

const CHUNK = 5000
/** How far from its position a moved row is looked for before calling it edited. */
const REORDER_WINDOW = 1024

/** Recomputes every event's hash and link in `seq` order; reports the first break. */
export async function verifyChain(db: Kysely<Database>, options: VerifyOptions = {}): Promise<VerifyReport> {
  const total = Number(
    (
      await db
        .selectFrom('events')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  )
  let expectedSeq = 1
  let prevHash: Buffer = GENESIS_HASH
  let done = 0
  for (;;) {
    const rows = await db
      .selectFrom('events')
      .selectAll()
      .where('seq', '>=', expectedSeq)
      .orderBy('seq')
      .limit(CHUNK)
      .execute()
    if (rows.length === 0) break
    for (const row of rows) {
      if (row.seq !== expectedSeq) return broken(total, expectedSeq, 'missing')
      const digest = bodyDigest(row.body)
      if (!hashMatches(row, row.seq, digest)) {
        return broken(total, row.seq, await classifyDamaged(db, row, digest))
      }
      if (!prevHash.equals(row.prev_hash)) return broken(total, row.seq, 'chain_mismatch')
      prevHash = Buffer.from(row.hash)
      expectedSeq += 1
      done += 1
    }
    options.onProgress?.(done, total)
  }
  return { ok: true, events: done, head: prevHash.toString('hex') }
}

function broken(events: number, seq: number, reason: BreakReason): VerifyReport {
  return { ok: false, events, firstBroken: { seq, reason } }
}

function hashMatches(row: EventTable, seq: number, digest: Buffer): boolean {
  const fields = {
    seq,
    id: row.id,
    kind: row.kind,
    author: row.author,
    recordedAt: row.recorded_at,
    subject: row.subject,
    prevHash: row.prev_hash,
  }
  return eventHashOfDigest(fields, digest).equals(row.hash)
}

/**
 * A row that fails its own hash was either changed, or moved: it is intact for some other seq.
 * Candidates are the seq after its recorded predecessor and the seqs near its position. A row
 * written further on whose predecessor no longer exists anywhere means events were removed and
 * the rest renumbered.
 */
async function classifyDamaged(db: Kysely<Database>, row: EventTable, digest: Buffer): Promise<BreakReason> {
  const predecessor = GENESIS_HASH.equals(row.prev_hash)
    ? { seq: 0 }
    : await db.selectFrom('events').select('seq').where('hash', '=', row.prev_hash).executeTakeFirst()
  const candidates = new Set<number>()
  if (predecessor !== undefined) candidates.add(predecessor.seq + 1)
  for (let delta = 1; delta <= REORDER_WINDOW; delta += 1) {
    candidates.add(row.seq + delta)
    if (row.seq - delta >= 1) candidates.add(row.seq - delta)
  }
  candidates.delete(row.seq)
  for (const seq of candidates) {
    if (!hashMatches(row, seq, digest)) continue
    return seq > row.seq && predecessor === undefined ? 'missing' : 'reordered'
  }
  return 'edited'
}
