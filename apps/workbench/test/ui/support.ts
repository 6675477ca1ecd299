import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import { readQuestionnaireFile } from '../../src/intake/questionnaire-file.ts'
import { startWorkbench, type RunningWorkbench } from '../../src/server/workbench-server.ts'
import { defaultCodebookPath, readCodebook } from '../../src/workspace/codebook-file.ts'
import {
  amanatOk,
  defaultSubmission,
  initWorkspace,
  PASSPHRASE,
  postSubmission,
  sealSubmission,
  startTestServer,
  tokenOf,
  uploadAttachment,
  workspaceKeys,
} from '../support/intake-fixtures.ts'

/**
 * Builders for the workbench UI tests: a test-only workspace holding one testimony that came the
 * real way (published questionnaire, invite, sealed submission to the real intake server, `amanat
 * pull`), the workbench server on a free port, and raw HTTP requests that can set any Host header
 * (fetch cannot).
 */

export { PASSPHRASE }

/** A synthetic account mixing Uyghur, Chinese and English, as real ones do. No real person. */
export const STORY_UG = 'ئاكامنى ساقچىلار ئۈرۈمچىدە تەھدىت قىلدى'
export const STORY_ZH = '警察通过微信给我打电话'
export const STORY = `${STORY_UG}. ${STORY_ZH}. Synthetic account for the workbench test.`

/** A 1×1 PNG: the smallest real image, for the reader's inline attachment. */
export const TINY_PNG = new Uint8Array(
  Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  ),
)

/** The intake side of a UI test: the real intake server, and a way to submit to it as the page does. */
export interface IntakeStage {
  readonly url: string
  /** Submits one more testimony with `story` on a fresh invite (not pulled yet), with {@link TINY_PNG} attached if asked. */
  submit(story: string, withPhoto?: boolean): Promise<void>
  close(): Promise<void>
}

/**
 * Starts the real intake server (data in `intakeDir`) and publishes the default questionnaire to
 * it from the workspace in `dir`, whose passphrases `env` gives (the intake tests' by default).
 * The server keeps running for submissions until the stage is closed.
 */
export async function intakeStage(
  dir: string,
  intakeDir: string,
  env?: Record<string, string>,
): Promise<IntakeStage> {
  const server = await startTestServer(intakeDir)
  try {
    await amanatOk(
      ['publish', 'default', '--workspace', dir, '--server', server.url, '--credential', server.credential],
      env,
    )
    const keys = workspaceKeys(dir)
    const recipients = [keys.analystRecipient, keys.backupRecipient]
    const questionnaire = readQuestionnaireFile('default', readCodebook()).questionnaire
    const submit = async (story: string, withPhoto = false) => {
      const [link] = (
        await amanatOk(['invite', '--workspace', dir, '--server', server.url, '--count', '1'], env)
      ).stdout
      const token = tokenOf(link ?? '')
      const plain = defaultSubmission(questionnaire, story, { language: 'ug' })
      const photo = withPhoto ? await uploadAttachment(server.url, token, TINY_PNG, recipients) : null
      const submission =
        photo === null
          ? plain
          : { ...plain, attachments: [photo], answers: { ...plain.answers, evidence: [photo.upload] } }
      await postSubmission(server.url, token, await sealSubmission(submission, recipients))
    }
    return { url: server.url, submit, close: () => server.close() }
  } catch (error) {
    await server.close()
    throw error
  }
}

/**
 * Makes a workspace in `dir` with one pulled testimony ({@link STORY}, in Uyghur, with
 * {@link TINY_PNG} attached). The intake server (data in `intakeDir`) keeps running for more
 * submissions until the stage is closed.
 */
export async function workspaceWithPulledTestimony(dir: string, intakeDir: string): Promise<IntakeStage> {
  await initWorkspace(dir)
  const stage = await intakeStage(dir, intakeDir)
  try {
    await stage.submit(STORY, true)
    await amanatOk(['pull', '--workspace', dir, '--server', stage.url])
    return stage
  } catch (error) {
    await stage.close()
    throw error
  }
}

export function startTestWorkbench(dir: string, idleMs = 60_000): Promise<RunningWorkbench> {
  return startWorkbench({ workspaceDir: dir, idleMs })
}

export interface RawResponse {
  readonly status: number
  readonly headers: Readonly<Record<string, string | string[] | undefined>>
  readonly body: string
}

/** One HTTP request to the workbench with exactly the headers given (Host included). */
export function rawRequest(
  origin: string,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<RawResponse> {
  const url = new URL(path, origin)
  const body = options.body === undefined ? undefined : JSON.stringify(options.body)
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname + url.search,
        method: options.method ?? 'GET',
        // Node sends a DELETE's body without framing unless told its length.
        headers: {
          host: url.host,
          ...(body === undefined ? {} : { 'content-length': String(Buffer.byteLength(body)) }),
          ...options.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        )
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

/** Headers of a same-origin JSON write from the page. */
export function pageWrite(origin: string, cookie?: string): Record<string, string> {
  return { origin, 'content-type': 'application/json', ...(cookie === undefined ? {} : { cookie }) }
}

/** Exchanges the link's token; returns the `name=value` cookie. */
export async function sessionCookie(workbench: Pick<RunningWorkbench, 'url' | 'origin'>): Promise<string> {
  const token = new URL(workbench.url).hash.slice('#token='.length)
  const response = await rawRequest(workbench.origin, '/api/session', {
    method: 'POST',
    headers: pageWrite(workbench.origin),
    body: { token },
  })
  const setCookie = response.headers['set-cookie']?.[0]
  if (response.status !== 200 || setCookie === undefined)
    throw new Error(`token exchange failed: ${String(response.status)} ${response.body}`)
  return setCookie.split(';')[0] ?? ''
}

/** What the page does over its session: reads, same-origin JSON writes, and unlocking. */
export interface PageSession {
  readonly cookie: string
  readonly get: (path: string) => Promise<RawResponse>
  readonly post: (path: string, body: unknown) => Promise<RawResponse>
  /** Unlocks with the test passphrase and works as the workspace's first analyst profile. */
  readonly unlockAsFirstProfile: () => Promise<void>
}

/** Exchanges the workbench's link token and returns what the page can do with the cookie. */
export async function pageSession(workbench: Pick<RunningWorkbench, 'url' | 'origin'>): Promise<PageSession> {
  const cookie = await sessionCookie(workbench)
  const get = (path: string) => rawRequest(workbench.origin, path, { headers: { cookie } })
  const post = (path: string, body: unknown) =>
    rawRequest(workbench.origin, path, { method: 'POST', headers: pageWrite(workbench.origin, cookie), body })
  const ok = (response: RawResponse, what: string) => {
    if (response.status !== 200) throw new Error(`${what}: ${String(response.status)} ${response.body}`)
    return response
  }
  return {
    cookie,
    get,
    post,
    unlockAsFirstProfile: async () => {
      ok(await post('/api/unlock', { passphrase: PASSPHRASE }), 'unlock')
      const state = JSON.parse(ok(await get('/api/state'), 'state').body) as { profiles: { id: string }[] }
      ok(await post('/api/profile', { analystId: state.profiles[0]?.id }), 'profile')
    },
  }
}

/** The default codebook's YAML as `version`, with one more harassment type: `synthetic_new_type`. */
export function codebookWithNewType(version: string): string {
  return readFileSync(defaultCodebookPath(), 'utf8')
    .replace(/^version: 1\.0\.0$/m, `version: ${version}`)
    .replace(
      /^  harassment_types:\n/m,
      '  harassment_types:\n    - code: synthetic_new_type\n      labels:\n        en: Synthetic new type\n        ug: سىنتېتىك يېڭى تۈر\n        zh: 合成新类型\n        tr: Sentetik yeni tür\n',
    )
}
