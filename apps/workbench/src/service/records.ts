import { inputError, RespondentId, TestimonyId, type Respondent, type Testimony } from '@amanat/domain'
import { respondentFromRow, testimonyFromRow } from '@amanat/database'
import type { WorkbenchSession } from './session.ts'

/**
 * Finding one respondent's or testimony's records by id. Ids are random, so no index starts with
 * them: the store maps a respondent id to its number (`respondentNo`), and every row is then a
 * primary-key lookup. That is why the service addresses a testimony by both ids.
 */

/** A testimony as the UI names it: the ids a list row carries. */
export interface TestimonyRef {
  readonly respondentId: string
  readonly testimonyId: string
}

/** A respondent's number; throws input `respondent.not_found` (also for an erased one). */
export async function respondentNumber(session: WorkbenchSession, respondentId: string): Promise<number> {
  const id = RespondentId.safeParse(respondentId)
  const no = id.success ? await session.store.respondentNo(id.data) : null
  if (no === null)
    throw inputError(
      'respondent.not_found',
      'There is no such respondent in this workspace (or they were erased).',
    )
  return no
}

/** The respondent, as projected; throws input `respondent.not_found`. */
export async function loadRespondent(
  session: WorkbenchSession,
  respondentId: string,
): Promise<{ no: number; respondent: Respondent; version: number }> {
  const no = await respondentNumber(session, respondentId)
  const row = await session.store.db
    .selectFrom('respondents')
    .selectAll()
    .where('respondent_no', '=', no)
    .executeTakeFirst()
  if (row === undefined)
    throw inputError(
      'respondent.not_found',
      'There is no such respondent in this workspace (or they were erased).',
    )
  return { no, respondent: respondentFromRow(row), version: Number(row.written_seq) }
}

/** The testimony, as projected; throws input `respondent.not_found` / `testimony.not_found`. */
export async function loadTestimony(
  session: WorkbenchSession,
  ref: TestimonyRef,
): Promise<{ no: number; testimony: Testimony; version: number }> {
  const no = await respondentNumber(session, ref.respondentId)
  const id = TestimonyId.safeParse(ref.testimonyId)
  const row = id.success
    ? await session.store.db
        .selectFrom('testimonies')
        .selectAll()
        .where('respondent_no', '=', no)
        .where('id', '=', id.data)
        .executeTakeFirst()
    : undefined
  if (row === undefined) throw inputError('testimony.not_found', 'That respondent has no such testimony.')
  return { no, testimony: testimonyFromRow(row), version: Number(row.written_seq) }
}
