import { Codebook, integrityError } from '@amanat/domain'
import type { Workspace } from '../workspace/workspace.ts'

/**
 * The codebook the workspace adopted (`workspace.json` names it; the store holds it), parsed
 * again at this boundary.
 *
 * @throws AmanatError integrity `workspace.codebook_missing` when the store does not hold it.
 */
export async function workspaceCodebook(workspace: Workspace): Promise<Codebook> {
  const row = await workspace.store.db.selectFrom('codebooks').select('json').where('ref', '=', workspace.config.codebook).executeTakeFirst()
  const parsed = row === undefined ? null : Codebook.safeParse(JSON.parse(row.json))
  if (parsed?.success !== true) {
    throw integrityError('workspace.codebook_missing', `The workspace's codebook ${workspace.config.codebook} is missing from its store.`)
  }
  return parsed.data
}
