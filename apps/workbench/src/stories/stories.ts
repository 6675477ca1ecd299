import type { Database, WorkspaceStore } from '@amanat/database'
import { Consent, inputError, mayUse, newId, Story, StoryId } from '@amanat/domain'
import type { Kysely } from 'kysely'
import { expecting } from '../service/coding.ts'
import type { WorkbenchSession } from '../service/session.ts'
import { checkStoryText, type ForbiddenTerm, type StoryFinding } from './story-check.ts'

/**
 * Case stories: what the workbench UI and `amanat story` call to write, list, mark and remove
 * them, and what the report calls to get the ones it may publish. Every change is an event about
 * the respondent (`story.recorded`, `story.removed`), sealed under their key, so erasing the
 * respondent destroys their stories too.
 */

/** A story as the workbench lists it, with whose it is. */
export interface StoryView {
  readonly story: Story
  readonly respondentId: string
  readonly respondentKey: string
  /** The registry's pseudonym (or the respondent's own), null when none was assigned yet. */
  readonly pseudonym: string | null
  /** The story's version: a revision, mark or removal sends it back (service/coding.ts, EditOf). */
  readonly version: number
}

/** A story as a release prints it: under the pseudonym, with the residence country at most. */
export interface PublishedStory {
  readonly id: string
  readonly pseudonym: string
  readonly residenceCountry: string | null
  readonly language: string
  readonly title: string
  readonly text: string
}

/** What a release must hold back, and why; it names no respondent. */
export interface WithheldStory {
  readonly reason: 'no_consent' | 'withdrawn'
}

/** The strings in a respondent's vault entry (KEYS's `Vault.termsFor`); absent when the vault is not at hand. */
export interface VaultTerms {
  termsFor(respondentId: string): Promise<readonly string[]>
}

/** A story as just recorded, with its new version (for the next revision or mark). */
export type RecordedStory = Story & { readonly version: number }

/** What an analyst writes: a new story (no `storyId`) or a revision of one. */
export interface StoryInput {
  /** The respondent's key (`R-0042`), registry pseudonym or id. */
  readonly respondent: string
  readonly storyId?: string
  readonly language: string
  readonly title: string
  readonly text: string
  readonly publish: boolean
  /** The version of the story this revision was made from; refused as `record.changed` if it changed since. */
  readonly version?: number | undefined
}

/**
 * Records a story (new, or a revision replacing an earlier one of the same respondent), and
 * returns it. Marking for publication here checks nothing yet: the release does.
 *
 * @throws AmanatError input `respondent.not_found`, `story.not_found` (a revision of a story the
 *   respondent does not have), `input.invalid` (empty or over-long title or text, bad language tag),
 *   `record.changed` (the story was changed or removed since `input.version`).
 */
export async function saveStory(session: WorkbenchSession, input: StoryInput): Promise<RecordedStory> {
  const respondent = await findRespondent(session.store.db, input.respondent)
  if (input.storyId !== undefined) {
    const existing = await findStory(session.store.db, input.storyId)
    if (existing?.respondentId !== respondent.id) throw storyNotFound()
  }
  const parsed = Story.safeParse({
    id: input.storyId ?? newId(StoryId),
    language: input.language,
    title: input.title,
    text: input.text,
    publish: input.publish,
  })
  if (!parsed.success) {
    throw inputError(
      'input.invalid',
      'A story needs a language tag (en, ug, zh, tr…), a title of 1–200 characters and a text of 1–20,000.',
    )
  }
  const event = await session.store.append(
    session.analyst.id,
    { kind: 'story.recorded', respondentId: respondent.id, story: parsed.data },
    expecting('stories', respondent.id, input.storyId, input.version),
  )
  return { ...parsed.data, version: event.seq }
}

/**
 * Marks a story for publication, or takes the mark off: the story as it was read at `version`
 * (or, without one, as it is read now), so a mark never brings back text someone changed meanwhile.
 * @throws AmanatError input `story.not_found`, `record.changed`.
 */
export async function markStory(
  session: WorkbenchSession,
  storyId: string,
  publish: boolean,
  version?: number,
): Promise<RecordedStory> {
  const found = await findStory(session.store.db, storyId)
  if (found === null) throw storyNotFound()
  const story = { ...found.story, publish }
  const event = await session.store.append(
    session.analyst.id,
    { kind: 'story.recorded', respondentId: found.respondentId, story },
    expecting('stories', found.respondentId, storyId, version ?? found.version),
  )
  return { ...story, version: event.seq }
}

/** Deletes a story; with `version`, only that version of it. @throws AmanatError input `story.not_found`, `record.changed`. */
export async function removeStory(
  session: WorkbenchSession,
  storyId: string,
  version?: number,
): Promise<void> {
  const found = await findStory(session.store.db, storyId)
  if (found === null) throw storyNotFound()
  await session.store.append(
    session.analyst.id,
    { kind: 'story.removed', respondentId: found.respondentId, storyId: found.story.id },
    expecting('stories', found.respondentId, storyId, version),
  )
}

/** Every story (or one respondent's), ordered by respondent key then title. */
export async function listStories(store: WorkspaceStore, respondent?: string): Promise<StoryView[]> {
  let query = storyRows(store.db)
  if (respondent !== undefined) {
    const { no } = await findRespondent(store.db, respondent)
    query = query.where('stories.respondent_no', '=', no)
  }
  const rows = await query.orderBy('respondents.key').orderBy('stories.title').orderBy('stories.id').execute()
  return rows.map(toView)
}

/**
 * What keeps the story from release: identifying terms in its text (the respondent's identifiers,
 * their key, the localities of their incidents, their vault entry when `vault` is given) and
 * dates finer than a year. Empty: it may be released as far as its text goes.
 */
export async function checkStory(
  store: WorkspaceStore,
  view: StoryView,
  vault: VaultTerms | null,
): Promise<StoryFinding[]> {
  return checkStoryText(`${view.story.title}\n${view.story.text}`, await forbiddenTerms(store, view, vault))
}

/**
 * The stories a release publishes: marked for publication, of respondents who consented to an
 * anonymised story (or to quotes) and have not withdrawn, in a stable order (pseudonym, then id).
 * Marked stories without that consent are withheld and counted, never shown.
 *
 * @throws AmanatError input `story.blocked` when a publishable story still contains an identifying
 *   term or an exact date, `story.no_pseudonym` when its respondent has no pseudonym yet. The
 *   messages name the story by title and respondent key (for the analyst), never the term found.
 */
export async function releasableStories(
  store: WorkspaceStore,
  vault: VaultTerms | null,
): Promise<{ stories: PublishedStory[]; withheld: WithheldStory[] }> {
  const rows = await storyRows(store.db).where('stories.publish', '=', 1).execute()
  const stories: PublishedStory[] = []
  const withheld: WithheldStory[] = []
  for (const row of rows) {
    const consent = consentOf(row)
    if (!mayPublishStory(consent)) {
      withheld.push({ reason: consent.withdrawn ? 'withdrawn' : 'no_consent' })
      continue
    }
    const view = toView(row)
    if (view.pseudonym === null) {
      throw inputError(
        'story.no_pseudonym',
        `The story "${view.story.title}" of ${view.respondentKey} cannot be published: the respondent has no pseudonym yet.`,
      )
    }
    const findings = await checkStory(store, view, vault)
    if (findings.length > 0) {
      const what = findings
        .map((f) =>
          f.problem === 'exact_date' ? 'a date finer than a year' : `a ${f.kind} from the ${f.source}`,
        )
        .join(', ')
      throw inputError(
        'story.blocked',
        `The story "${view.story.title}" of ${view.respondentKey} cannot be published: its text contains ${what}. Rewrite it, or take the publication mark off.`,
        { storyId: view.story.id, findings },
      )
    }
    stories.push({
      id: view.story.id,
      pseudonym: view.pseudonym,
      residenceCountry: row.residence_country,
      language: view.story.language,
      title: view.story.title,
      text: view.story.text,
    })
  }
  stories.sort((a, b) =>
    a.pseudonym === b.pseudonym ? compare(a.id, b.id) : compare(a.pseudonym, b.pseudonym),
  )
  return { stories, withheld }
}

/** A story may leave the team only with consent to an anonymised story or to quotes, never after withdrawal. */
export function mayPublishStory(consent: Consent): boolean {
  return mayUse(consent, 'anonymised_story') || mayUse(consent, 'quote')
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function storyRows(db: Kysely<Database>) {
  return db
    .selectFrom('stories')
    .innerJoin('respondents', 'respondents.respondent_no', 'stories.respondent_no')
    .leftJoin('pseudonyms', 'pseudonyms.respondent_no', 'stories.respondent_no')
    .select([
      'stories.respondent_no as no',
      'stories.id',
      'stories.language',
      'stories.title',
      'stories.text',
      'stories.publish',
      'stories.written_seq',
      'respondents.id as respondent_id',
      'respondents.key',
      'respondents.residence_country',
      'respondents.consent_uses',
      'respondents.consent_withdrawn',
      'respondents.consent_form',
      'respondents.consent_recorded_on',
      'respondents.pseudonym as own_pseudonym',
      'pseudonyms.pseudonym as registry_pseudonym',
    ])
}

type StoryRow = Awaited<ReturnType<ReturnType<typeof storyRows>['executeTakeFirstOrThrow']>>

function toView(row: StoryRow): StoryView {
  return {
    story: Story.parse({
      id: row.id,
      language: row.language,
      title: row.title,
      text: row.text,
      publish: row.publish === 1,
    }),
    respondentId: row.respondent_id,
    respondentKey: row.key,
    pseudonym: row.registry_pseudonym ?? row.own_pseudonym,
    version: Number(row.written_seq),
  }
}

function consentOf(row: StoryRow): Consent {
  return Consent.parse({
    uses: JSON.parse(row.consent_uses) as unknown,
    withdrawn: row.consent_withdrawn === 1,
    form: row.consent_form,
    recordedOn: row.consent_recorded_on,
  })
}

async function findStory(db: Kysely<Database>, storyId: string): Promise<StoryView | null> {
  const row = await storyRows(db).where('stories.id', '=', storyId).executeTakeFirst()
  return row === undefined ? null : toView(row)
}

/** The respondent a reference names: their key (`R-0042`), their registry pseudonym, or their id. */
async function findRespondent(db: Kysely<Database>, reference: string): Promise<{ no: number; id: string }> {
  const row = await db
    .selectFrom('respondents')
    .leftJoin('pseudonyms', 'pseudonyms.respondent_no', 'respondents.respondent_no')
    .select(['respondents.respondent_no', 'respondents.id'])
    .where((eb) =>
      eb.or([
        eb('respondents.key', '=', reference),
        eb('respondents.id', '=', reference),
        eb('pseudonyms.pseudonym', '=', reference),
      ]),
    )
    .orderBy('respondents.respondent_no')
    .executeTakeFirst()
  if (row === undefined)
    throw inputError(
      'respondent.not_found',
      'This workspace holds no respondent with that key, pseudonym or id.',
    )
  return { no: row.respondent_no, id: row.id }
}

async function forbiddenTerms(
  store: WorkspaceStore,
  view: StoryView,
  vault: VaultTerms | null,
): Promise<ForbiddenTerm[]> {
  const no = await store.respondentNo(view.respondentId)
  if (no === null) return []
  const identifiers = await store.db
    .selectFrom('identifiers')
    .select(['kind', 'value', 'normalised'])
    .where('respondent_no', '=', no)
    .execute()
  const places = await store.db
    .selectFrom('incidents')
    .select(['received_locality', 'origin_locality'])
    .where('respondent_no', '=', no)
    .execute()
  const terms: ForbiddenTerm[] = [{ source: 'identifier', kind: 'respondent_key', value: view.respondentKey }]
  for (const row of identifiers) {
    terms.push({ source: 'identifier', kind: row.kind, value: row.value })
    if (row.normalised !== null) terms.push({ source: 'identifier', kind: row.kind, value: row.normalised })
  }
  for (const row of places) {
    for (const locality of [row.received_locality, row.origin_locality]) {
      if (locality !== null) terms.push({ source: 'place', kind: 'locality', value: locality })
    }
  }
  for (const value of (await vault?.termsFor(view.respondentId)) ?? [])
    terms.push({ source: 'vault', kind: 'vault_entry', value })
  return terms
}

function storyNotFound() {
  return inputError('story.not_found', 'This workspace holds no story with that id.')
}
