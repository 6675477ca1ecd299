import type { WorkspaceStore } from '@amanat/database'
import type { WorkspaceEventBody, WorkspaceEventKind } from '@amanat/domain'

/**
 * The workspace's intake bookkeeping, read back from its event log (the log is the only place
 * it lives): what was published where and with which recipients, which analysts' recipients were
 * added, which invites were issued, and where each server's last pull stopped.
 */

type Body<K extends WorkspaceEventKind> = Extract<WorkspaceEventBody, { kind: K }>
export type PublishedBody = Body<'questionnaire.published'>
export type RecipientsBody = Body<'recipients.changed'>
export type InvitesIssuedBody = Body<'invites.issued'>
export type IntakePulledBody = Body<'intake.pulled'>

type IntakeKind = 'questionnaire.published' | 'recipients.changed' | 'invites.issued' | 'invites.revoked' | 'intake.pulled'

/** Every intake event of `kinds` in log order (the `kind` column is in clear, so only those rows are decoded). */
export async function intakeEvents<K extends IntakeKind>(store: WorkspaceStore, kinds: readonly K[]): Promise<Body<K>[]> {
  const rows = await store.db.selectFrom('events').select('seq').where('kind', 'in', [...kinds]).orderBy('seq').execute()
  const bodies: Body<K>[] = []
  for (const row of rows) {
    const [event] = await store.events({ afterSeq: Number(row.seq) - 1, limit: 1 })
    const body = event?.body
    if (body !== null && body !== undefined && (kinds as readonly string[]).includes(body.kind)) bodies.push(body as Body<K>)
  }
  return bodies
}

/** The last recipients.changed list: the other analysts' recipients, with labels (empty when none). */
export async function otherRecipients(store: WorkspaceStore): Promise<RecipientsBody['recipients']> {
  return (await intakeEvents(store, ['recipients.changed'])).at(-1)?.recipients ?? []
}

/** Every publication, oldest first. */
export function publications(store: WorkspaceStore): Promise<PublishedBody[]> {
  return intakeEvents(store, ['questionnaire.published'])
}

/** The last pull from `server` and the seq of its event, or null before the first. */
export async function lastPull(store: WorkspaceStore, server: string): Promise<{ readonly body: IntakePulledBody; readonly seq: number } | null> {
  const rows = await store.db.selectFrom('events').select('seq').where('kind', '=', 'intake.pulled').orderBy('seq', 'desc').execute()
  for (const row of rows) {
    const [event] = await store.events({ afterSeq: Number(row.seq) - 1, limit: 1 })
    if (event?.body?.kind === 'intake.pulled' && event.body.server === server) return { body: event.body, seq: event.seq }
  }
  return null
}
