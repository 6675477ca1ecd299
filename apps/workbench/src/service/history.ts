import {
  inputError,
  labelOf,
  RespondentId,
  type Codebook,
  type WorkspaceEventBody,
  type WorkspaceEventKind,
} from '@amanat/domain'
import type { WorkbenchSession } from './session.ts'
import type { History, HistoryEntry } from './types.ts'

/**
 * A respondent's history, read from the event log itself (the log is the revision history): every
 * event about them in order, who wrote it, when, and what it did in a line. An erased
 * respondent's events are still in the chain but their content is gone for good; the history says
 * so for each of them instead of failing.
 *
 * The events are found by the clear `subject` column, from the respondent's first event on
 * (`respondent_no` is that event's seq); each is then opened on its own.
 */
export async function history(session: WorkbenchSession, respondentId: string): Promise<History> {
  const id = RespondentId.safeParse(respondentId)
  if (!id.success) throw inputError('respondent.not_found', 'There is no such respondent in this workspace.')
  const store = session.store
  const no = await store.respondentNo(id.data)
  const rows = await store.db
    .selectFrom('events')
    .select(['seq', 'kind', 'author', 'recorded_at'])
    .where('subject', '=', id.data)
    .where('seq', '>=', no ?? 1)
    .orderBy('seq')
    .execute()
  if (rows.length === 0)
    throw inputError('respondent.not_found', 'There is no such respondent in this workspace.')
  const analysts = new Map(
    (await store.db.selectFrom('analysts').select(['id', 'label']).execute()).map((a) => [a.id, a.label]),
  )
  const entries: HistoryEntry[] = []
  for (const row of rows) {
    const seq = Number(row.seq)
    const [event] = no === null ? [] : await store.events({ afterSeq: seq - 1, limit: 1 })
    const body = event?.body ?? null
    entries.push({
      seq,
      kind: row.kind,
      author: analysts.get(row.author) ?? row.author,
      recordedAt: row.recorded_at,
      summary: body === null ? 'Content erased with the respondent.' : summarise(body, session.codebook),
      readable: body !== null,
    })
  }
  return { respondentId: id.data, erased: no === null, entries }
}

type Body<K extends WorkspaceEventKind> = Extract<WorkspaceEventBody, { kind: K }>
type Summaries = {
  readonly [K in WorkspaceEventKind]?: (
    body: Body<K>,
    type: (code: string) => string,
    book: Codebook,
  ) => string
}

/** Lines for the kinds a respondent's history holds; any other kind is shown by its name. */
const SUMMARIES: Summaries = {
  'respondent.recorded': (b) =>
    `Respondent ${b.respondent.key} recorded (disclosure ${b.respondent.disclosure}${b.respondent.consent.withdrawn ? ', consent withdrawn' : ''}).`,
  'testimony.recorded': (b) =>
    b.testimony.translation === null
      ? 'Testimony recorded.'
      : `Testimony recorded with a translation (${b.testimony.translation.language}).`,
  'testimony.imported': (b) =>
    `Testimony received (${b.testimony.source.mode}) with ${String(b.incidents.length)} incident(s).`,
  'incident.recorded': (b, type) => `Incident coded: ${type(b.incident.type)}.`,
  'incident.removed': () => 'Incident removed.',
  'relative.recorded': (b, _type, book) =>
    `Relative recorded: ${labelOf(book, 'relations', b.relative.relation, 'en')}, ${labelOf(book, 'relative_statuses', b.relative.status, 'en')}.`,
  'relative.removed': () => 'Relative removed.',
  'identifier.recorded': (b) => `Identifier recorded (${b.identifier.kind}).`,
  'identifier.removed': () => 'Identifier removed.',
  'attachment.imported': () => 'Attachment stored.',
  'testimony.status_set': (b) =>
    `Status set to ${b.status.replace('_', ' ')}${b.note === null ? '' : ` (${b.note})`}.`,
  'coding.independent': (b, type) =>
    `Independent coding: ${b.types.length === 0 ? 'no incident types' : b.types.map(type).join(', ')}.`,
  'pseudonym.assigned': (b) => `Pseudonym assigned: ${b.pseudonym}.`,
  // The entry itself lives in the vault, never in the log; its key is not shown.
  'vault.keyed': () => 'Identifying details first kept in the vault.',
}

/** One line saying what an event did, in English, with codes as their labels. */
export function summarise(body: WorkspaceEventBody, book: Codebook): string {
  const line = SUMMARIES[body.kind] as
    ((b: WorkspaceEventBody, type: (code: string) => string, book: Codebook) => string) | undefined
  return line === undefined
    ? body.kind
    : line(body, (code) => labelOf(book, 'harassment_types', code, 'en'), book)
}
