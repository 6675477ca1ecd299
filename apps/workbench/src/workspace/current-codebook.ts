import { Codebook, integrityError } from '@amanat/domain'
import type { WorkspaceStore } from '@amanat/database'

/**
 * The workspace's codebook: the latest adopted one, read from the log (a partial index of 0002
 * finds the adoption events), parsed again at this boundary. A recode adopts a new version, so
 * this, not the version `workspace.json` names (the one the workspace was created with), is what
 * coding, pulling, importing, statistics and dossiers use.
 *
 * @throws AmanatError integrity `workspace.codebook_missing` when no codebook was ever adopted.
 */
export async function currentCodebook(store: WorkspaceStore): Promise<Codebook> {
  return (await latestAdoption(store)).codebook
}

/** The seq of the latest `codebook.adopted`: one indexed lookup, to tell whether a recode moved the workspace on. */
export async function latestAdoptionSeq(store: WorkspaceStore): Promise<number | null> {
  const latest = await store.db
    .selectFrom('events')
    .select('seq')
    .where('kind', '=', 'codebook.adopted')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  return latest === undefined ? null : Number(latest.seq)
}

/**
 * {@link currentCodebook} with the seq of the event that adopted it.
 *
 * @throws AmanatError integrity `workspace.codebook_missing` when no codebook was ever adopted.
 */
export async function latestAdoption(store: WorkspaceStore): Promise<{ readonly seq: number; readonly codebook: Codebook }> {
  const seq = await latestAdoptionSeq(store)
  const [event] = seq === null ? [] : await store.events({ afterSeq: seq - 1, limit: 1 })
  const parsed = event?.body?.kind === 'codebook.adopted' ? Codebook.safeParse(event.body.codebook) : null
  if (seq === null || parsed?.success !== true)
    throw integrityError('workspace.codebook_missing', 'This workspace has adopted no codebook.')
  return { seq, codebook: parsed.data }
}

/**
 * Every codebook version the workspace has adopted, by `id@version`, parsed again at this
 * boundary. A questionnaire is written for one of them and its answers are coded under it
 * (`mapSubmission`), even after a recode has moved the workspace on.
 */
export async function heldCodebooks(store: WorkspaceStore): Promise<ReadonlyMap<string, Codebook>> {
  const rows = await store.db.selectFrom('codebooks').select(['ref', 'json']).execute()
  const held = new Map<string, Codebook>()
  for (const row of rows) {
    const parsed = Codebook.safeParse(JSON.parse(row.json))
    if (parsed.success) held.set(row.ref, parsed.data)
  }
  return held
}
