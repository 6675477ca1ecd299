import {
  assertCode,
  inputError,
  TESTIMONY_STATUSES,
  usageError,
  type AnalystProfile,
  type TestimonyStatus,
} from '@amanat/domain'
import { expecting } from './coding.ts'
import { loadTestimony, type TestimonyRef } from './records.ts'
import type { WorkbenchSession } from './session.ts'
import type { WorkflowState } from './types.ts'

/**
 * The coding workflow: a testimony's status, moved by `testimony.status_set`, and the rules that
 * make review mean something. A testimony marked `reviewed` must have been `coded` by someone
 * else: the coder is the author of the latest `coded` event, read from the log (analyst profiles
 * are labels, not accounts, so this guards against slips, not against a determined analyst).
 */

/** Where a testimony stands now; `new` with nobody when it was never moved. */
export async function workflowOf(
  session: WorkbenchSession,
  no: number,
  testimonyId: string,
): Promise<WorkflowState> {
  const db = session.store.db
  const [status, coded] = await Promise.all([
    db
      .selectFrom('testimony_status')
      .innerJoin('events', 'events.seq', 'testimony_status.status_seq')
      .select([
        'testimony_status.status',
        'testimony_status.note',
        'testimony_status.status_at',
        'testimony_status.status_seq',
        'events.author',
      ])
      .where('testimony_status.respondent_no', '=', no)
      .where('testimony_status.testimony_id', '=', testimonyId)
      .executeTakeFirst(),
    db
      .selectFrom('testimony_coded')
      .innerJoin('events', 'events.seq', 'testimony_coded.coded_seq')
      .select('events.author')
      .where('testimony_coded.respondent_no', '=', no)
      .where('testimony_coded.testimony_id', '=', testimonyId)
      .executeTakeFirst(),
  ])
  return {
    status: (status?.status ?? 'new') as TestimonyStatus,
    note: status?.note ?? null,
    by: status === undefined ? null : await profileOf(session, status.author),
    at: status?.status_at ?? null,
    codedBy: coded === undefined ? null : await profileOf(session, coded.author),
    version: status === undefined ? 0 : Number(status.status_seq),
  }
}

/**
 * Moves a testimony in the workflow, as the session's analyst.
 *
 * The status is set over the one read at `version` (the reader's `workflow.version`) or, without
 * one, over the one read here, so a change another analyst made meanwhile (a coder flagging
 * `needs_attention` while a reviewer marks `reviewed`) is never written over.
 *
 * @throws AmanatError input `workflow.bad_status`, `record.changed`; usage `review.not_coded` when
 *   marking `reviewed` a testimony that is not `coded`; usage `review.own_coding` when the reviewer
 *   is its coder.
 */
export async function setStatus(
  session: WorkbenchSession,
  ref: TestimonyRef,
  status: TestimonyStatus,
  note: string | null = null,
  version?: number,
): Promise<WorkflowState> {
  if (!TESTIMONY_STATUSES.includes(status))
    throw inputError('workflow.bad_status', `A status is one of: ${TESTIMONY_STATUSES.join(', ')}.`)
  const { no, testimony } = await loadTestimony(session, ref)
  const now = await workflowOf(session, no, testimony.id)
  if (status === 'reviewed') {
    if (now.status !== 'coded')
      throw usageError('review.not_coded', 'Only a coded testimony can be reviewed; mark it coded first.')
    if (now.codedBy?.id === session.analyst.id)
      throw usageError(
        'review.own_coding',
        'A testimony is reviewed by a second analyst, not by the one who coded it.',
      )
  }
  await session.store.append(
    session.analyst.id,
    {
      kind: 'testimony.status_set',
      respondentId: testimony.respondentId,
      testimonyId: testimony.id,
      status,
      note: note === null || note.trim() === '' ? null : note,
    },
    expecting('testimony_status', testimony.respondentId, testimony.id, version ?? now.version),
  )
  return workflowOf(session, no, testimony.id)
}

/**
 * Records a second analyst's independent coding of a testimony's incident types (for
 * `agreement()`), checked against the current codebook. Recording again replaces it.
 *
 * @throws AmanatError input `codebook.unknown_code` (with a near-miss hint); usage
 *   `review.own_coding` when the analyst is the testimony's coder.
 */
export async function recordIndependentCoding(
  session: WorkbenchSession,
  ref: TestimonyRef,
  types: readonly string[],
): Promise<void> {
  const { no, testimony } = await loadTestimony(session, ref)
  for (const type of types) assertCode(session.codebook, 'harassment_types', type)
  const now = await workflowOf(session, no, testimony.id)
  if (now.codedBy?.id === session.analyst.id)
    throw usageError(
      'review.own_coding',
      'An independent coding is made by a second analyst, not by the one who coded the testimony.',
    )
  await session.store.append(session.analyst.id, {
    kind: 'coding.independent',
    respondentId: testimony.respondentId,
    testimonyId: testimony.id,
    types: [...new Set(types)],
    codebook: session.codebookRef,
  })
}

/** The profile behind an event author (`system` and unknown ids become a profile with that label). */
export async function profileOf(session: WorkbenchSession, author: string): Promise<AnalystProfile> {
  const row = await session.store.db
    .selectFrom('analysts')
    .select(['id', 'label'])
    .where('id', '=', author)
    .executeTakeFirst()
  return (row ?? { id: author, label: author }) as AnalystProfile
}
