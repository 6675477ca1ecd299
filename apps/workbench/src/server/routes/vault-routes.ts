import { inputError } from '@amanat/domain'
import { Hono } from 'hono'
import { VaultEntryInput, vaultEntryFrom } from '../../vault/vault-input.ts'
import { z } from 'zod'
import { jsonBody, parseWith } from '../api-errors.ts'
import { pathId, type Work } from './route-kit.ts'

/**
 * A respondent's vault entry (DESIGN.md, "Vault"; src/vault): read it, set it, remove it. Only
 * these routes carry names, contacts, addresses and document numbers, and only when the analyst
 * asks for them; no other answer of the workbench includes them. The invite a person was sent
 * comes as the link or code itself (what the analyst has at hand) and is kept as its token
 * hash, the form the intake server knows it by: the token never reaches the vault.
 */

/** An entry's version as the vault gives it (vault-storage.ts, versionOf). */
const EntryVersion = z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected an entry version' })
/** An entry as the panel sends it, with the version it was made from (null: there was none). */
const VaultChange = VaultEntryInput.extend({ version: EntryVersion.nullable().exactOptional() })

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

  // Each answer carries the entry's version; a change sends back the one it was made from and is
  // refused (`record.changed`) when a colleague changed the entry since (the team's vault is shared).
  app.get(base, async (c) => {
    const work = open()
    const id = await respondentOf(work, c.req.param('respondentId'))
    return c.json(await work.vault.read(id))
  })
  app.post(base, async (c) => {
    const work = open()
    const id = await respondentOf(work, c.req.param('respondentId'))
    const { version, ...given } = await jsonBody(c, VaultChange)
    await work.vault.set(work.service.analyst.id, id, vaultEntryFrom(given), version)
    return c.json(await work.vault.read(id))
  })
  app.delete(base, async (c) => {
    const work = open()
    const id = await respondentOf(work, c.req.param('respondentId'))
    const version = parseWith(EntryVersion.optional(), c.req.query('version'))
    return c.json({ removed: await work.vault.remove(id, version) })
  })

  return app
}
