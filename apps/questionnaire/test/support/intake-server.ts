import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { base32, PulledItemsPage, type InviteToken, type PulledItem } from '@amanat/domain'

/**
 * The real intake server as a child process (`node server.mjs --data <dir> --port 0 --static
 * <page>`), built from the intake server's sources by its own build script, with helpers that
 * speak the admin protocol the workbench speaks.
 */

const BUNDLE = new URL('../dist/intake-server.mjs', import.meta.url).pathname
// The intake server's own build script (plain JavaScript, so imported by URL).
const SERVER_BUILD = new URL('../../../intake-server/build.mjs', import.meta.url).href
let built: Promise<unknown> | null = null

/** Builds the server bundle once per test process (into apps/questionnaire/test/dist, git-ignored). */
function buildOnce(): Promise<unknown> {
  built ??= (async () => {
    const build = (await import(SERVER_BUILD)) as { buildIntakeServer: (options: { outfile: string }) => Promise<unknown> }
    return build.buildIntakeServer({ outfile: BUNDLE })
  })()
  return built
}

export interface IntakeServer {
  readonly url: string
  readonly credential: string
  /** PUTs a signed questionnaire. */
  publish(id: string, signed: unknown): Promise<void>
  /** Registers invites (their hashes) for a questionnaire, valid for a year. */
  invite(questionnaireId: string, tokens: readonly string[]): Promise<void>
  /** Every stored submission (and quarantined one) so far. */
  pull(): Promise<PulledItem[]>
  /** An upload's chunks, joined. */
  upload(uploadId: string): Promise<Uint8Array>
  stop(): Promise<void>
}

/** A fresh invite token, as the workbench draws it. */
export function newToken(): InviteToken {
  return base32(randomBytes(16)) as InviteToken
}

function readLines(child: ChildProcess, timeoutMs: number): Promise<{ url: string; credential: string }> {
  return new Promise((resolve, reject) => {
    let out = ''
    let err = ''
    const timer = setTimeout(() => reject(new Error(`intake server did not start: ${err}`)), timeoutMs)
    child.stderr?.on('data', (chunk: Buffer) => {
      err += chunk.toString()
    })
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const credential = /analyst credential: (\S+)/.exec(out)?.[1]
      const url = /intake server: (http\S+)/.exec(out)?.[1]
      if (credential !== undefined && url !== undefined) {
        clearTimeout(timer)
        resolve({ url, credential })
      }
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`intake server exited with ${String(code)}: ${err}`))
    })
  })
}

/** Starts a fresh server (new data directory) serving the page built into `pageDir`. */
export async function startIntakeServer(pageDir: string): Promise<IntakeServer> {
  await buildOnce()
  const dataDir = mkdtempSync(join(tmpdir(), 'amanat-q-intake-'))
  const child = spawn(process.execPath, [BUNDLE, '--data', dataDir, '--port', '0', '--static', pageDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const { url, credential } = await readLines(child, 30_000)
  const admin = async (method: string, path: string, body?: unknown): Promise<Response> => {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
    if (response.status !== 200) throw new Error(`${method} ${path}: ${String(response.status)} ${await response.text()}`)
    return response
  }
  return {
    url,
    credential,
    publish: async (id, signed) => {
      await admin('PUT', `/api/admin/questionnaires/${id}`, signed)
    },
    invite: async (questionnaireId, tokens) => {
      const invites = tokens.map((token) => ({
        tokenHash: createHash('sha256').update(token).digest('hex'),
        expiresOn: '2099-12-31',
      }))
      await admin('POST', '/api/admin/invites', { questionnaireId, invites })
    },
    pull: async () => {
      const items: PulledItem[] = []
      let after = 0
      for (;;) {
        const page = PulledItemsPage.parse(await (await admin('GET', `/api/admin/submissions?after=${after}`)).json())
        if (page.items.length === 0) return items
        items.push(...page.items)
        after = page.items[page.items.length - 1]?.seq ?? after
      }
    },
    upload: async (uploadId) => new Uint8Array(await (await admin('GET', `/api/admin/uploads/${uploadId}`)).arrayBuffer()),
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((resolve) => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}
