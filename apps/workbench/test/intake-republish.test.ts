import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { generateX25519Identity, identityToRecipient } from 'age-encryption'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { tokenHash } from '../src/intake/invites.ts'
import { createNativeOpener } from '../src/intake/native-opener.ts'
import { readQuestionnaireFile } from '../src/intake/questionnaire-file.ts'
import { readCodebook } from '../src/workspace/codebook-file.ts'
import {
  amanat,
  amanatOk,
  defaultSubmission,
  initWorkspace,
  marker,
  postSubmission,
  sealSubmission,
  startTestServer,
  tempDir,
  tokenOf,
  workspaceKeys,
  type TestServer,
} from './support/intake-fixtures.ts'

const questionnaire = readQuestionnaireFile('default', readCodebook()).questionnaire

interface SignedDocument {
  readonly document: { readonly recipients: string[] }
  readonly publicKey: string
}

describe('recipients, re-publishing and revoking', () => {
  const temp = tempDir('republish')
  const ws = join(temp.dir, 'ws')
  let server: TestServer

  beforeAll(async () => {
    await initWorkspace(ws)
    server = await startTestServer(join(temp.dir, 'intake'))
    await amanatOk(['publish', 'default', '--workspace', ws, '--server', server.url, '--credential', server.credential])
  })
  afterAll(async () => {
    await server.close()
    temp.cleanup()
  })

  const signed = async () => (await (await fetch(`${server.url}/q/${questionnaire.id}`)).json()) as SignedDocument

  it('adds an analyst, re-publishes, and every invite sent before still works, for either recipient set', async () => {
    const keys = workspaceKeys(ws)
    const oldSet = [keys.analystRecipient, keys.backupRecipient]
    const [before, pageLoadedBefore] = (await amanatOk(['invite', '--workspace', ws, '--server', server.url, '--count', '2'])).stdout as [string, string]
    const first = await signed()
    expect(first.document.recipients).toEqual(oldSet)

    const colleague = await generateX25519Identity()
    const colleagueRecipient = await identityToRecipient(colleague)
    await amanatOk(['recipients', 'add', colleagueRecipient, '--label', 'second analyst', '--workspace', ws])
    expect((await amanatOk(['recipients', 'list', '--workspace', ws])).stdout).toEqual([
      `${keys.analystRecipient}  analyst (this workspace)`,
      `${colleagueRecipient}  second analyst`,
      `${keys.backupRecipient}  backup (offline)`,
    ])
    expect((await amanatOk(['publish', 'default', '--workspace', ws, '--server', server.url])).stdout[1]).toBe('recipients: 3')
    const second = await signed()
    expect(second.document.recipients).toEqual([keys.analystRecipient, colleagueRecipient, keys.backupRecipient])
    // Same key, same fingerprint: the links already sent still match.
    expect(second.publicKey).toBe(first.publicKey)

    const newSet = second.document.recipients
    const storyNew = `sealed to the new set ${marker()}`
    const sealedNew = await sealSubmission(defaultSubmission(questionnaire, storyNew), newSet)
    await postSubmission(server.url, tokenOf(before), sealedNew)
    // A page opened before the re-publish still seals to the old set.
    const storyOld = `sealed to the old set ${marker()}`
    await postSubmission(server.url, tokenOf(pageLoadedBefore), await sealSubmission(defaultSubmission(questionnaire, storyOld), oldSet))

    const pulled = await amanatOk(['pull', '--workspace', ws, '--server', server.url])
    expect(pulled.stdout[0]).toBe('imported: 2 (attachments: 0)')
    // The added analyst can read what is sealed to the new set.
    const opened = await createNativeOpener([colleague])(sealedNew)
    expect(Buffer.from(opened).toString('utf8')).toContain(storyNew)

    await amanatOk(['recipients', 'remove', colleagueRecipient, '--workspace', ws])
    expect((await amanatOk(['publish', 'default', '--workspace', ws, '--server', server.url])).stdout[1]).toBe('recipients: 2')
  })

  it('refuses recipients that are not plain X25519, or the workspace\'s own keys', async () => {
    const bad = await amanat(['recipients', 'add', 'age1pq1notarecipient', '--label', 'x', '--workspace', ws])
    expect(bad.code).toBe(1)
    expect(bad.terminal.stderr.at(-1)).toMatch(/^amanat: recipients\.bad_recipient: /)
    const own = await amanat(['recipients', 'remove', workspaceKeys(ws).backupRecipient, '--workspace', ws])
    expect(own.code).toBe(1)
    expect(own.terminal.stderr.at(-1)).toMatch(/^amanat: recipients\.protected: /)
  })

  it('revokes invites by link or by hash prefix: their submissions are discarded by the server', async () => {
    const keys = workspaceKeys(ws)
    const links = (await amanatOk(['invite', '--workspace', ws, '--server', server.url, '--count', '3', '--expires', '7'])).stdout
    // The third is not revoked: its submission is the one imported.
    const [byLink, byHash] = links as [string, string, string]
    const revoked = await amanatOk(['invite', 'revoke', byLink, tokenHash(tokenOf(byHash)).slice(0, 12), '--workspace', ws, '--server', server.url])
    expect(revoked.stdout).toEqual(['revoked: 2'])
    const recipients = [keys.analystRecipient, keys.backupRecipient]
    for (const link of links) await postSubmission(server.url, tokenOf(link), await sealSubmission(defaultSubmission(questionnaire, `after revoking ${marker()}`), recipients))
    const pulled = await amanatOk(['pull', '--workspace', ws, '--server', server.url])
    expect(pulled.stdout[0]).toBe('imported: 1 (attachments: 0)')
  })

  it('writes one QR code per link on request, and prints nothing but the links on stdout', async () => {
    const qr = join(temp.dir, 'qr')
    const { stdout } = await amanatOk(['invite', '--workspace', ws, '--server', server.url, '--count', '2', '--qr', qr, '--public-url', 'https://intake.example.org'])
    expect(stdout).toHaveLength(2)
    for (const link of stdout) expect(link).toMatch(/^https:\/\/intake\.example\.org\/#q=amanat-default&t=[0-9a-z]{26}&f=[0-9a-z]{32}$/)
    expect(readdirSync(qr).sort()).toEqual(['invite-001.svg', 'invite-002.svg'])
    expect(readFileSync(join(qr, 'invite-001.svg'), 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>\s*$/)
  })
})
