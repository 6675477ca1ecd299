import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sealBytes } from '@amanat/crypto'
import { base32, SUBMISSION_FORMAT, UploadId, type AttachmentRef, type Questionnaire, type SubmissionPlaintext } from '@amanat/domain'
import { readConfig, startIntakeServer, type RunningServer } from '@amanat/intake-server'
import { expect } from 'vitest'
import { main } from '../../src/cli/main.ts'
import { openWorkspace } from '../../src/workspace/workspace.ts'
import { capturedTerminal, type CapturedTerminal } from './terminal.ts'

/**
 * Builders for the intake tests (STYLE.md rule 17): a test-only workspace made through the real
 * CLI, the real intake server in-process on a socket, and submissions sealed the way the page
 * seals them (padded JSON, age to the published recipients).
 */

export const PASSPHRASE = 'test passphrase for intake'
export const BACKUP_PASSPHRASE = 'test backup passphrase for intake'

/** A temporary folder, removed by `cleanup`. */
export function tempDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `amanat-${prefix}-`))
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) }
}

/** The environment a test's commands run with. */
export function testEnv(extra: Record<string, string> = {}): Record<string, string> {
  return { AMANAT_PASSPHRASE: PASSPHRASE, AMANAT_BACKUP_PASSPHRASE: BACKUP_PASSPHRASE, ...extra }
}

/** Runs `amanat <argv>` in-process with a captured terminal. */
export async function amanat(argv: readonly string[], env: Record<string, string> = testEnv()): Promise<{ code: number; terminal: CapturedTerminal }> {
  const terminal = capturedTerminal(env)
  const code = await main(argv, terminal)
  return { code, terminal }
}

/** Like {@link amanat}, but fails the test with the command's stderr when it does not exit 0. */
export async function amanatOk(argv: readonly string[], env?: Record<string, string>): Promise<CapturedTerminal> {
  const { code, terminal } = await amanat(argv, env)
  if (code !== 0) throw new Error(`amanat ${argv.join(' ')} exited ${String(code)}:\n${terminal.stderr.join('\n')}`)
  return terminal
}

/** A test-only workspace in `dir` (SQLite, or a PostgreSQL schema). */
export async function initWorkspace(dir: string, postgres?: { url: string; schema: string }): Promise<void> {
  await amanatOk(['init', dir, '--test-only-weak-keys', '--name', 'intake test', ...(postgres === undefined ? [] : ['--postgres', postgres.url, '--schema', postgres.schema])])
}

/** The workspace's public keys, from workspace.json. */
export function workspaceKeys(dir: string): { analystRecipient: string; backupRecipient: string; signingFingerprint: string } {
  return (JSON.parse(readFileSync(join(dir, 'workspace.json'), 'utf8')) as { keys: { analystRecipient: string; backupRecipient: string; signingFingerprint: string } }).keys
}

/** The intake server in-process on 127.0.0.1, over SQLite in `dataDir` or over PostgreSQL. */
export interface TestServer {
  readonly url: string
  readonly credential: string
  readonly running: RunningServer
  close(): Promise<void>
}

/** Starts the server on a free port, over SQLite in `dataDir` or over `postgresUrl`. */
export async function startTestServer(dataDir: string, postgresUrl?: string): Promise<TestServer> {
  return startServerWith(dataDir, postgresUrl, 0, undefined)
}

/** Starts the server again on the same store and address (it does not print the credential again). */
export async function restartTestServer(previous: TestServer, dataDir: string, postgresUrl?: string): Promise<TestServer> {
  return startServerWith(dataDir, postgresUrl, Number(new URL(previous.url).port), previous.credential)
}

async function startServerWith(dataDir: string, postgresUrl: string | undefined, port: number, knownCredential: string | undefined): Promise<TestServer> {
  const lines: string[] = []
  const config = readConfig(['--data', dataDir, '--port', String(port), ...(postgresUrl === undefined ? [] : ['--postgres', postgresUrl])], {})
  const running = await startIntakeServer(config, { line: (l) => lines.push(l), error: (l) => lines.push(l) })
  const credential = lines.map((l) => /^analyst credential: (\S+)$/.exec(l)?.[1]).find((c) => c !== undefined) ?? knownCredential
  if (credential === undefined) throw new Error(`the intake server printed no credential: ${lines.join(' | ')}`)
  return { url: running.url, credential, running, close: () => running.close() }
}

/** The token in an invite link's fragment. */
export function tokenOf(link: string): string {
  const token = new URLSearchParams(link.slice(link.indexOf('#') + 1)).get('t')
  if (token === null) throw new Error(`no token in ${link}`)
  return token
}

/** A fresh 128-bit id, as the page draws them. */
export const randomId = () => base32(randomBytes(16))

/** A recognisable marker for free text (synthetic: no real person's data). */
export const marker = () => `MARK-${base32(randomBytes(8))}`

/** A valid answer set for the default questionnaire: one incident against a relative, a story. */
export function defaultSubmission(questionnaire: Questionnaire, story: string, extra: Partial<SubmissionPlaintext> = {}): SubmissionPlaintext {
  return {
    format: SUBMISSION_FORMAT,
    questionnaireId: questionnaire.id,
    questionnaireVersion: questionnaire.version,
    language: 'en',
    answers: {
      residence_country: 'TR',
      gender: 'woman',
      age_band: '30_44',
      activist: false,
      any_incidents: true,
      incidents: [{ incident_type: 'threat_to_relatives', incident_target: 'relative', incident_channel: 'wechat' }],
      story,
      disclosure: 'anonymous',
      consent: ['aggregate'],
    },
    attachments: [],
    submittedOn: new Date().toISOString().slice(0, 10),
    ...extra,
  }
}

/** JSON padded with spaces to at least `minBytes` (default 4 KiB, the page's smallest bucket), as bytes. */
export function paddedJson(value: unknown, minBytes = 4096): Uint8Array {
  const text = JSON.stringify(value)
  const size = Math.max(minBytes, 2 ** Math.ceil(Math.log2(Buffer.byteLength(text))))
  return new Uint8Array(Buffer.from(text.padEnd(size + text.length - Buffer.byteLength(text), ' ')))
}

/** Seals a submission plaintext to `recipients` as the page does. */
export function sealSubmission(plaintext: SubmissionPlaintext, recipients: readonly string[]): Promise<Uint8Array> {
  return sealBytes(paddedJson(plaintext), recipients)
}

function framed(header: unknown, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), payload]))
}

/** POSTs a sealed submission as the page does; the server answers the same whatever it did. */
export async function postSubmission(url: string, token: string, sealed: Uint8Array, id = randomId()): Promise<void> {
  const response = await fetch(`${url}/api/submissions`, { method: 'POST', headers: { 'content-type': 'application/x-amanat-sealed' }, body: framed({ v: 1, token, id }, sealed) })
  if (response.status !== 200) throw new Error(`submission refused: ${String(response.status)} ${await response.text()}`)
}

/** An attachment sealed and uploaded as the page does (zero-padded, one chunk); its reference for the submission. */
export async function uploadAttachment(url: string, token: string, bytes: Uint8Array, recipients: readonly string[]): Promise<AttachmentRef> {
  const paddedLength = Math.max(1024, 2 ** Math.ceil(Math.log2(bytes.length)))
  const padded = new Uint8Array(paddedLength)
  padded.set(bytes)
  const sealed = await sealBytes(padded, recipients)
  const upload = randomId()
  const response = await fetch(`${url}/api/chunks`, { method: 'POST', headers: { 'content-type': 'application/x-amanat-sealed' }, body: framed({ v: 1, token, upload, index: 0, count: 1 }, sealed) })
  if (response.status !== 200) throw new Error(`chunk refused: ${String(response.status)}`)
  return {
    upload: UploadId.parse(upload),
    sha256: createHash('sha256').update(bytes).digest('hex'),
    byteLength: bytes.length,
    paddedLength,
    mediaType: 'image/png',
    name: null,
    metadataKept: false,
  }
}

/**
 * Posts one submission on a fresh invite and runs two `amanat pull` at once, as two terminals (or
 * a terminal and the workbench) would; checks the submission was imported exactly once and that a
 * pull that failed lost the race and said so (`pull.concurrent`).
 */
export async function expectOneImportFromTwoPulls(ws: string, server: TestServer, questionnaire: Questionnaire): Promise<void> {
  const [link] = (await amanatOk(['invite', '--workspace', ws, '--server', server.url, '--count', '1'])).stdout as [string]
  const keys = workspaceKeys(ws)
  const story = `pulled twice at once ${marker()}`
  await postSubmission(server.url, tokenOf(link), await sealSubmission(defaultSubmission(questionnaire, story), [keys.analystRecipient, keys.backupRecipient]))
  const pulls = await Promise.all([1, 2].map(() => amanat(['pull', '--workspace', ws, '--server', server.url])))
  const workspace = await openWorkspace(ws, PASSPHRASE)
  try {
    const imported = (await workspace.store.events({ limit: 10_000 })).filter(
      (e) => e.body?.kind === 'testimony.imported' && e.body.testimony.narratives[0]?.text === story,
    )
    expect(imported, pulls.map((p) => p.terminal.stderr.join('\n')).join('\n')).toHaveLength(1)
    expect((await workspace.store.verify()).ok).toBe(true)
  } finally {
    await workspace.close()
  }
  for (const pull of pulls.filter((p) => p.code !== 0)) {
    expect(pull.code).toBe(1)
    expect(pull.terminal.stderr.at(-1)).toMatch(/^amanat: pull\.concurrent: Another pull from this server/)
  }
}
