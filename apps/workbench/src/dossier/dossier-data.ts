import { incidentFromRow, respondentFromRow, testimonyFromRow, type WorkspaceStore } from '@amanat/database'
import { inputError, type Codebook, type Incident, type Respondent, type Testimony } from '@amanat/domain'
import { findRespondent } from '../keys/respondent-ref.ts'

/** One line of the chain of custody: an event of the log about this person. */
export interface CustodyEntry {
  readonly seq: number
  readonly kind: string
  readonly author: string
  readonly recordedAt: string
  readonly hash: string
}

/** Everything a dossier shows, read from the workspace. */
export interface DossierData {
  readonly workspaceName: string
  readonly respondent: Respondent
  /** How the dossier names the person: their pseudonym, else their key. */
  readonly name: string
  readonly testimonies: readonly Testimony[]
  /** Oldest first; undated incidents last. */
  readonly incidents: readonly Incident[]
  readonly custody: readonly CustodyEntry[]
  /** The head of the whole chain when the dossier was made. */
  readonly head: string
  readonly codebook: Codebook
}

/**
 * Reads one person's dossier material. The consent check comes first: only a respondent who gave
 * the share-with-a-lawyer consent, and has not withdrawn, gets a dossier (DESIGN.md, "Dossiers").
 *
 * Throws input `respondent.not_found` / `respondent.ambiguous`, input `dossier.no_consent`.
 */
export async function readDossierData(
  store: WorkspaceStore,
  ref: string,
  workspaceName: string,
  codebook: Codebook,
): Promise<DossierData> {
  const found = await findRespondent(store, ref)
  const row = await store.db
    .selectFrom('respondents')
    .selectAll()
    .where('respondent_no', '=', found.respondentNo)
    .executeTakeFirstOrThrow()
  const respondent = respondentFromRow(row)
  if (respondent.consent.withdrawn || !respondent.consent.uses.includes('share_with_lawyer')) {
    throw inputError(
      'dossier.no_consent',
      'This respondent has not consented to sharing their evidence with a lawyer; no dossier was made.',
    )
  }
  const no = found.respondentNo
  const testimonies = (
    await store.db.selectFrom('testimonies').selectAll().where('respondent_no', '=', no).execute()
  ).map(testimonyFromRow)
  const incidents = (
    await store.db.selectFrom('incidents').selectAll().where('respondent_no', '=', no).execute()
  )
    .map(incidentFromRow)
    .sort((a, b) => dateKey(a).localeCompare(dateKey(b)))
  const analysts = new Map(
    (await store.db.selectFrom('analysts').select(['id', 'label']).execute()).map((a) => [a.id, a.label]),
  )
  const custody = (
    await store.db
      .selectFrom('events')
      .select(['seq', 'kind', 'author', 'recorded_at', 'hash'])
      .where('subject', '=', found.id)
      .orderBy('seq')
      .execute()
  ).map((event) => ({
    seq: Number(event.seq),
    kind: event.kind,
    author: analysts.get(event.author) ?? event.author,
    recordedAt: event.recorded_at,
    hash: Buffer.from(event.hash).toString('hex'),
  }))
  const chain = await store.verify()
  if (!chain.ok)
    throw inputError('dossier.chain_broken', 'The event log does not verify; no dossier can vouch for it.')
  return {
    workspaceName,
    respondent,
    name: found.pseudonym ?? found.key,
    testimonies,
    incidents,
    custody,
    head: chain.head,
    codebook,
  }
}

function dateKey(incident: Incident): string {
  return incident.date.precision === 'unknown' ? '~' : incident.date.value
}
