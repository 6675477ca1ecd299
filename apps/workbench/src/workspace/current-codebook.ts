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
  const latest = await store.db
    .selectFrom('events')
    .select('seq')
    .where('kind', '=', 'codebook.adopted')
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  const [event] =
    latest === undefined ? [] : await store.events({ afterSeq: Number(latest.seq) - 1, limit: 1 })
  const parsed = event?.body?.kind === 'codebook.adopted' ? Codebook.safeParse(event.body.codebook) : null
  if (parsed?.success !== true)
    throw integrityError('workspace.codebook_missing', 'This workspace has adopted no codebook.')
  return parsed.data
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
