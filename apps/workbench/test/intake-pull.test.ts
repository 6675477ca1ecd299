import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseCodebook } from '@amanat/domain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { questionnairePath, readQuestionnaireFile } from '../src/intake/questionnaire-file.ts'
import { recode } from '../src/service/recode.ts'
import { sessionFor } from '../src/service/session.ts'
import { defaultCodebookPath, readCodebook } from '../src/workspace/codebook-file.ts'
import { openWorkspace } from '../src/workspace/workspace.ts'
import {
  amanat,
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
  uploadAttachment,
  workspaceKeys,
  type TestServer,
} from './support/intake-fixtures.ts'

const questionnaire = readQuestionnaireFile('default', readCodebook()).questionnaire

describe('amanat publish, invite and pull against the real intake server (SQLite both sides)', () => {
  const temp = tempDir('intake-pull')
  const ws = `${temp.dir}/ws`
  let server: TestServer

  beforeAll(async () => {
    await initWorkspace(ws)
    server = await startTestServer(`${temp.dir}/intake`)
  })
  afterAll(async () => {
    await server.close()
    temp.cleanup()
  })

  it('brings a sealed submission with an attachment into the workspace and deletes it on the server', async () => {
    const published = await amanatOk(['publish', 'default', '--workspace', ws, '--server', server.url, '--credential', server.credential])
    expect(published.stdout[0]).toBe(`published: ${questionnaire.id} ${questionnaire.version}`)
    expect(published.stdout[1]).toBe('recipients: 2')

    // The credential was given once; the workspace keeps it for every later command.
    const invited = await amanatOk(['invite', '--workspace', ws, '--server', server.url, '--count', '2'])
    expect(invited.stdout).toHaveLength(2)
    const keys = workspaceKeys(ws)
    for (const link of invited.stdout) {
      expect(link).toMatch(new RegExp(`^${server.url}/#q=${questionnaire.id}&t=[0-9a-z]{26}&f=${keys.signingFingerprint}$`))
    }

    const recipients = [keys.analystRecipient, keys.backupRecipient]
    const token = tokenOf(invited.stdout[0] ?? '')
    const photo = new Uint8Array(Buffer.from(`synthetic image bytes ${marker()}`))
    const attachment = await uploadAttachment(server.url, token, photo, recipients)
    const story = `A synthetic account ${marker()}`
    await postSubmission(server.url, token, await sealSubmission(defaultSubmission(questionnaire, story, { attachments: [attachment], answers: { ...defaultSubmission(questionnaire, story).answers, evidence: [attachment.upload] } }), recipients))

    const pulled = await amanatOk(['pull', '--workspace', ws, '--server', server.url])
    expect(pulled.stdout[0]).toBe('imported: 1 (attachments: 1)')
    expect(pulled.stdout).toContain('flagged: 0')

    const workspace = await openWorkspace(ws, PASSPHRASE)
    try {
      const testimonies = await workspace.store.db.selectFrom('testimonies').selectAll().execute()
      expect(testimonies).toHaveLength(1)
      const events = await workspace.store.events({ limit: 10_000 })
      const imported = events.find((e) => e.kind === 'testimony.imported')?.body
      expect(imported?.kind === 'testimony.imported' && imported.testimony.narratives[0]?.text).toBe(story)
      const stored = events.find((e) => e.kind === 'attachment.imported')?.body
      expect(stored?.kind === 'attachment.imported' && Buffer.from(stored.content, 'base64').equals(Buffer.from(photo))).toBe(true)
    } finally {
      await workspace.close()
    }
    expect(await server.running.store.itemsAfter(0, 100, 1 << 24)).toEqual([])
    expect(await server.running.store.findUpload(attachment.upload)).toBeNull()

    // A second pull finds nothing new and changes nothing.
    const again = await amanatOk(['pull', '--workspace', ws, '--server', server.url])
    expect(again.stdout[0]).toBe('imported: 0 (attachments: 0)')
  })

  it('keeps a second submission on a used invite aside for review, sealed, without flagging it', async () => {
    const [link] = (await amanatOk(['invite', '--workspace', ws, '--server', server.url, '--count', '1'])).stdout as [string]
    const keys = workspaceKeys(ws)
    const recipients = [keys.analystRecipient, keys.backupRecipient]
    await postSubmission(server.url, tokenOf(link), await sealSubmission(defaultSubmission(questionnaire, `first ${marker()}`), recipients))
    const second = await sealSubmission(defaultSubmission(questionnaire, `second ${marker()}`), recipients)
    await postSubmission(server.url, tokenOf(link), second)
    const pulled = await amanatOk(['pull', '--workspace', ws, '--server', server.url])
    expect(pulled.stdout.slice(0, 3)).toEqual(['imported: 1 (attachments: 0)', 'set aside: 1 (quarantined: 1)', 'flagged: 0'])
    const workspace = await openWorkspace(ws, PASSPHRASE)
    try {
      const aside = (await workspace.store.events({ limit: 10_000 })).flatMap((e) => (e.body?.kind === 'submission.set_aside' ? [e.body] : []))
      expect(aside).toHaveLength(1)
      expect(aside[0]?.reason).toBe('quarantined')
      expect(Buffer.from(aside[0]?.ciphertext ?? '', 'base64').equals(Buffer.from(second))).toBe(true)
    } finally {
      await workspace.close()
    }
  })

  it('after a recode, publishes and imports a questionnaire under the version it is written for', async () => {
    const recoded = await openWorkspace(ws, PASSPHRASE)
    try {
      const yaml = readFileSync(defaultCodebookPath(), 'utf8').replace(/^version: 1\.0\.0$/m, 'version: 1.1.0')
      await recode(await sessionFor(recoded), { mapping: {}, toCodebook: parseCodebook(yaml) })
    } finally {
      await recoded.close()
    }
    // Written for the version adopted before the recode, which the workspace still holds.
    await amanatOk(['publish', 'default', '--workspace', ws, '--server', server.url])
    // Written for the new version: checked against it (before, against the version workspace.json
    // named at creation, which refused it as written for another codebook).
    const definition = JSON.parse(readFileSync(questionnairePath('default'), 'utf8')) as Record<string, unknown>
    const newer = join(temp.dir, 'default-1.1.0.json')
    writeFileSync(newer, JSON.stringify({ ...definition, version: '1.1.0', codebook: 'amanat-default@1.1.0' }))
    const published = await amanatOk(['publish', newer, '--workspace', ws, '--server', server.url])
    expect(published.stdout[0]).toBe(`published: ${questionnaire.id} 1.1.0`)

    const [link] = (await amanatOk(['invite', '--workspace', ws, '--server', server.url, '--count', '1'])).stdout as [string]
    const keys = workspaceKeys(ws)
    const answers = defaultSubmission(questionnaire, `after the recode ${marker()}`)
    const sealed = await sealSubmission({ ...answers, questionnaireVersion: '1.1.0' }, [keys.analystRecipient, keys.backupRecipient])
    await postSubmission(server.url, tokenOf(link), sealed)
    expect((await amanatOk(['pull', '--workspace', ws, '--server', server.url])).stdout[0]).toBe('imported: 1 (attachments: 0)')
    const workspace = await openWorkspace(ws, PASSPHRASE)
    try {
      const imported = (await workspace.store.events({ limit: 10_000 })).findLast((e) => e.kind === 'testimony.imported')?.body
      const incidents = imported?.kind === 'testimony.imported' ? imported.incidents : []
      expect(incidents.length).toBeGreaterThan(0)
      expect(new Set(incidents.map((incident) => incident.codebook))).toEqual(new Set(['amanat-default@1.1.0']))
    } finally {
      await workspace.close()
    }
  })

  it('imports a submission once when two pulls run at once (two terminals, or a terminal and the workbench)', async () => {
    await expectOneImportFromTwoPulls(ws, server, questionnaire)
  })

  it('refuses to pull into a workspace that published nothing to the server, leaving the submissions for the one that did', async () => {
    const [link] = (await amanatOk(['invite', '--workspace', ws, '--server', server.url, '--count', '1'])).stdout
    const keys = workspaceKeys(ws)
    const story = `A synthetic account ${marker()}`
    await postSubmission(server.url, tokenOf(link ?? ''), await sealSubmission(defaultSubmission(questionnaire, story), [keys.analystRecipient, keys.backupRecipient]))
    // A colleague's own workspace, given the server's credential: it could only set everything
    // aside and delete it on the server, and the workspace that published would then be told
    // its submissions had gone missing.
    const other = `${temp.dir}/other-ws`
    await initWorkspace(other)
    const refused = await amanat(['pull', '--workspace', other, '--server', server.url, '--credential', server.credential])
    expect(refused.code).toBe(1)
    expect(refused.terminal.stderr.at(-1)).toMatch(/^amanat: pull\.not_published: This workspace has published no questionnaire to http:\/\/127\.0\.0\.1:\d+/)
    expect(await server.running.store.itemsAfter(0, 100, 1 << 24)).toHaveLength(1)
    const pulled = await amanatOk(['pull', '--workspace', ws, '--server', server.url])
    expect(pulled.stdout[0]).toBe('imported: 1 (attachments: 0)')
    expect(pulled.stdout).toContain('flagged: 0')
  })

  it('refuses a wrong credential without keeping it', async () => {
    const { code, terminal } = await amanat(['invite', '--workspace', ws, '--server', server.url, '--count', '1', '--credential', 'amanat-intake-wrong'])
    expect(code).toBe(1)
    expect(terminal.stderr.at(-1)).toMatch(/^amanat: server\.credential_refused: /)
    expect(terminal.stdout).toEqual([])
    await amanatOk(['invite', '--workspace', ws, '--server', server.url, '--count', '1'])
  })
})
