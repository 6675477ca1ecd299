import { inputError } from '@amanat/domain'
import { Hono } from 'hono'
import { VaultEntryInput, vaultEntryFrom } from '../../vault/vault-input.ts'
import { jsonBody } from '../api-errors.ts'
import { pathId, type Work } from './route-kit.ts'

/**
 * A respondent's vault entry (DESIGN.md, "Vault"; src/vault): read it, set it, remove it. Only
 * these routes carry names, contacts, addresses and document numbers, and only when the analyst
 * asks for them; no other answer of the workbench includes them. The invite a person was sent
 * comes as the link or code itself (what the analyst has at hand) and is kept as its token
 * hash, the form the intake server knows it by: the token never reaches the vault.
 */

export function vaultRoutes(open: () => Work): Hono {
  const app = new Hono()
  const base = '/respondents/:respondentId/vault'

  /** The respondent's id from the path, once the workspace is known to hold them. */
  const respondentOf = async (work: Work, value: string | undefined): Promise<string> => {
    const id = pathId(value)
    if ((await work.service.store.respondentNo(id)) === null)
      throw inputError('respondent.not_found', 'There is no such respondent in this workspace.')
    return id
  }

  app.get(base, async (c) => {
    const work = open()
    const id = await respondentOf(work, c.req.param('respondentId'))
    return c.json({ entry: await work.vault.get(id) })
  })
  app.post(base, async (c) => {
    const work = open()
    const id = await respondentOf(work, c.req.param('respondentId'))
    const entry = vaultEntryFrom(await jsonBody(c, VaultEntryInput))
    await work.vault.set(work.service.analyst.id, id, entry)
    return c.json({ entry: await work.vault.get(id) })
  })
  app.delete(base, async (c) => {
    const work = open()
    const id = await respondentOf(work, c.req.param('respondentId'))
    return c.json({ removed: await work.vault.remove(id) })
  })

  return app
}
