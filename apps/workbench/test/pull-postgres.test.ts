import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { POSTGRES_URL, postgresAvailable } from '../../../tools/test-support/services.ts'
import { readQuestionnaireFile } from '../src/intake/questionnaire-file.ts'
import { readCodebook } from '../src/workspace/codebook-file.ts'
import { openWorkspace } from '../src/workspace/workspace.ts'
import {
  amanatOk,
  defaultSubmission,
  expectOneImportFromTwoPulls,
  initWorkspace,
  marker,
  PASSPHRASE,
  postSubmission,
  sealSubmission,
  startTestServer,
  tempDir,
  tokenOf,
  workspaceKeys,
  type TestServer,
} from './support/intake-fixtures.ts'

/** The whole path with PostgreSQL on both sides: the intake server's store and the workspace's. */
const questionnaire = readQuestionnaireFile('default', readCodebook()).questionnaire
const suffix = randomBytes(4).toString('hex')
const intakeSchema = `intake_pull_${suffix}`
const workspaceSchema = `ws_pull_${suffix}`

describe.runIf(await postgresAvailable())('publish, invite and pull with PostgreSQL for the server and the workspace', () => {
  const temp = tempDir('pull-postgres')
  const ws = join(temp.dir, 'ws')
  let server: TestServer

  beforeAll(async () => {
    await initWorkspace(ws, { url: POSTGRES_URL, schema: workspaceSchema })
    server = await startTestServer(join(temp.dir, 'intake'), `${POSTGRES_URL}?schema=${intakeSchema}`)
  })
  afterAll(async () => {
    await server.close()
    temp.cleanup()
    const client = new pg.Client({ connectionString: POSTGRES_URL })
    await client.connect()
    await client.query(`drop schema if exists ${intakeSchema} cascade`)
    await client.query(`drop schema if exists ${workspaceSchema} cascade`)
    await client.end()
  })

  it('imports the submissions and deletes them on the server', async () => {
    expect(server.running.store.dialect).toBe('postgres')
    await amanatOk(['publish', 'default', '--workspace', ws, '--server', server.url, '--credential', server.credential])
    const links = (await amanatOk(['invite', '--workspace', ws, '--server', server.url, '--count', '3'])).stdout
    const keys = workspaceKeys(ws)
    const stories = links.map(() => `over PostgreSQL ${marker()}`)
    for (const [i, link] of links.entries()) {
      await postSubmission(server.url, tokenOf(link), await sealSubmission(defaultSubmission(questionnaire, stories[i] ?? ''), [keys.analystRecipient, keys.backupRecipient]))
    }
    const pulled = await amanatOk(['pull', '--workspace', ws, '--server', server.url])
    expect(pulled.stdout[0]).toBe('imported: 3 (attachments: 0)')
    expect(await server.running.store.itemsAfter(0, 100, 1 << 24)).toEqual([])

    const workspace = await openWorkspace(ws, PASSPHRASE)
    try {
      expect(workspace.store.dialect).toBe('postgres')
      const events = await workspace.store.events({ limit: 10_000 })
      const imported = events.flatMap((e) => (e.body?.kind === 'testimony.imported' ? [e.body.testimony.narratives[0]?.text] : []))
      expect(new Set(imported)).toEqual(new Set(stories))
      expect((await workspace.store.verify()).ok).toBe(true)
    } finally {
      await workspace.close()
    }
  })

  it('imports a submission once when two pulls run at once', async () => {
    await expectOneImportFromTwoPulls(ws, server, questionnaire)
  })
})
