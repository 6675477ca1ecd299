import { inputError } from '@amanat/domain'
import { Hono } from 'hono'
import { z } from 'zod'
import { describeReport } from '../../cli/commands/pull.ts'
import { publications } from '../../intake/intake-log.ts'
import type { IntakeSession } from '../../intake/intake-session.ts'
import { pullSubmissions } from '../../intake/pull.ts'
import { createServerClient, serverOrigin } from '../../intake/server-client.ts'
import { storedCredential } from '../../intake/server-credentials.ts'
import { jsonBody } from '../api-errors.ts'

/**
 * Pulling from the page (DESIGN.md, "A newcomer's first hour": "in the workbench: pull"): the
 * same pipeline as `amanat pull` — chain verified from the checkpoint, every item checked,
 * decrypted with the analyst identity, imported in one transaction, then deleted on the server —
 * against the intake servers this workspace published to and holds a credential for (a first
 * credential is given once on the command line, as ever).
 */
const Pull = z.object({ server: z.string().min(1).max(300) }).strict()

async function knownServers(session: IntakeSession): Promise<string[]> {
  const servers = [...new Set((await publications(session.workspace.store)).map((p) => p.server))]
  const known = await Promise.all(
    servers.map(async (server) => ((await storedCredential(session, server)) === null ? null : server)),
  )
  return known.filter((server) => server !== null)
}

export function intakeRoutes(intake: () => IntakeSession, idleTimeoutMs?: number): Hono {
  const app = new Hono()
  app.get('/intake/servers', async (c) => c.json({ servers: await knownServers(intake()) }))
  app.post('/intake/pull', async (c) => {
    const session = intake()
    const server = serverOrigin((await jsonBody(c, Pull)).server)
    const credential = (await knownServers(session)).includes(server)
      ? await storedCredential(session, server)
      : null
    if (credential === null)
      throw inputError(
        'pull.unknown_server',
        'This workspace holds no credential for that server; pull from it once with amanat pull --credential.',
      )
    const client = createServerClient({ url: server, credential, ...(idleTimeoutMs === undefined ? {} : { idleTimeoutMs }) })
    const report = await pullSubmissions({ session, client })
    return c.json({
      lines: describeReport(report),
      imported: report.imported,
      // Tampering is reported, never hidden: the CLI's exit 3 cases, for the page to show.
      alarm: report.chainBreak !== null || report.flagged > 0,
    })
  })
  return app
}
