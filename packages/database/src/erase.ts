import { inputError, RespondentId } from '@amanat/domain'
import type { WorkspaceStore } from './store.ts'

/** What {@link eraseRespondent} did. */
export interface ErasureReport {
  readonly respondentId: string
  readonly respondentNo: number
  /** False when an earlier, interrupted erasure had already recorded `respondent.erased`. */
  readonly recorded: boolean
  /** False when the key was already gone (a repeated erasure). */
  readonly keyDestroyed: boolean
}

/**
 * Erases a respondent (crypto-shredding, DESIGN.md): records `respondent.erased` (a workspace-level
 * event holding only the respondent's id and number), whose projection deletes every row of
 * theirs in the same transaction, then destroys their data key, after which their events stay in
 * the chain (it still verifies) but can never be opened. On SQLite the freed cells are zeroed
 * (`secure_delete`) and the WAL is checkpointed and truncated by the store.
 *
 * Two steps, each atomic, in an order that makes a crash between them harmless and the call
 * idempotent: run again, it finds the recorded erasure and finishes destroying the key.
 *
 * Throws input `respondent.not_found` when the workspace never held this respondent.
 */
export async function eraseRespondent(
  store: WorkspaceStore,
  author: string,
  respondentId: string,
): Promise<ErasureReport> {
  const id = RespondentId.safeParse(respondentId)
  if (!id.success) throw inputError('input.invalid', 'That is not a respondent id.')
  const earlier = await recordedErasure(store, id.data)
  const respondentNo = earlier ?? (await store.respondentNo(id.data))
  if (respondentNo === null) {
    throw inputError('respondent.not_found', 'This workspace holds no respondent with that id.')
  }
  if (earlier === null) {
    await store.append(author, { kind: 'respondent.erased', respondentId: id.data, respondentNo })
  }
  const keyDestroyed = await store.shredSubject(id.data)
  return { respondentId: id.data, respondentNo, recorded: earlier === null, keyDestroyed }
}

/** The number recorded by an earlier `respondent.erased` of this respondent, or null. */
export async function recordedErasure(store: WorkspaceStore, respondentId: string): Promise<number | null> {
  return (await recordedErasures(store)).get(respondentId) ?? null
}

/** Every erasure recorded in the log: each erased respondent's id and number. */
export async function recordedErasures(store: WorkspaceStore): Promise<Map<string, number>> {
  const rows = await store.db
    .selectFrom('events')
    .select('seq')
    .where('kind', '=', 'respondent.erased')
    .orderBy('seq')
    .execute()
  const erased = new Map<string, number>()
  for (const row of rows) {
    const [event] = await store.events({ afterSeq: row.seq - 1, limit: 1 })
    const body = event?.body
    if (body?.kind === 'respondent.erased') erased.set(body.respondentId, body.respondentNo)
  }
  return erased
}
