import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { AmanatError } from '@amanat/domain'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { readQuestionnaireFile } from '../../src/intake/questionnaire-file.ts'
import { startWorkbench } from '../../src/server/workbench-server.ts'
import { createServerClient, type ServerClientOptions } from '../../src/intake/server-client.ts'
import { openWorkspace } from '../../src/workspace/workspace.ts'
import { readCodebook } from '../../src/workspace/codebook-file.ts'
import {
  amanat,
  amanatOk,
  defaultSubmission,
  initWorkspace,
  marker,
  PASSPHRASE,
  postSubmission,
  sealSubmission,
  startTestServer,
  tempDir,
  testEnv,
  tokenOf,
  workspaceKeys,
  type TestServer,
} from '../support/intake-fixtures.ts'
import { pageSession } from '../ui/support.ts'

/**
 * The intake server is not trusted (SECURITY-TESTS.md, scenario a: fully compromised, or only
 * broken, or behind a link that dies). Whatever it does, the workbench must not hang for ever or
 * read without end into the analyst's memory: every request has a clock for silence and one for
 * the whole request, and every answer a size cap. These run against a real HTTP server that
 * misbehaves on purpose, and against the real intake server behind a proxy that stalls.
 */

type Handler = (request: IncomingMessage, response: ServerResponse) => void

/** An HTTP server on 127.0.0.1 whose behaviour each test sets. */
async function hostileServer(): Promise<{
  url: string
  handle: (handler: Handler) => void
  close: () => Promise<void>
}> {
  let current: Handler = (_request, response) => response.end()
  const server: Server = createServer((request, response) => current(request, response))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${String(port)}`,
    handle: (handler) => {
      current = handler
    },
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

/** The AmanatError `promise` rejects with (fails the test when it resolves or throws anything else). */
async function refusal(promise: Promise<unknown>): Promise<AmanatError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  )
  if (!(error instanceof AmanatError)) throw new Error(`expected an AmanatError, got ${String(error)}`)
  return error
}

describe('the intake server client against a server that misbehaves', () => {
  let hostile: Awaited<ReturnType<typeof hostileServer>>
  const timers: ReturnType<typeof setInterval>[] = []
  const client = (extra: Partial<ServerClientOptions> = {}) =>
    createServerClient({ url: hostile.url, credential: 'c', idleTimeoutMs: 300, ...extra })

  beforeAll(async () => {
    hostile = await hostileServer()
  })
  afterEach(() => {
    for (const timer of timers.splice(0)) clearInterval(timer)
  })
  afterAll(async () => {
    await hostile.close()
  })

  /** Answers with `bytes`, one every `everyMs`, until they run out (then ends) or for ever (`bytes` null). */
  function trickle(
    bytes: Buffer | null,
    everyMs: number,
    headers: Record<string, string> = { 'content-type': 'application/json' },
  ): Handler {
    return (_request, response) => {
      response.writeHead(200, headers)
      let at = 0
      const timer = setInterval(() => {
        if (response.destroyed) return clearInterval(timer)
        if (bytes === null) {
          response.write(' ')
        } else if (at < bytes.length) {
          response.write(bytes.subarray(at, at + 1))
          at++
        } else {
          clearInterval(timer)
          response.end()
        }
      }, everyMs)
      timers.push(timer)
    }
  }

  it('gives up on a server that takes the request and never answers, as server.timeout', async () => {
    hostile.handle(() => undefined)
    const error = await refusal(client().chainAfter(0))
    expect(error.code).toBe('server.timeout')
    expect(error.kind).toBe('input')
    expect(error.message).toContain('nothing came for 0.3 s')
  })

  it('gives up on an answer that stops half way', async () => {
    hostile.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.write('{"entries":[')
    })
    expect((await refusal(client().chainAfter(0))).code).toBe('server.timeout')
  })

  it('reads a slow answer that keeps coming: silence is measured from the last byte, not the request', async () => {
    // 14 bytes, one every 60 ms: about 0.9 s in all, three times the 0.3 s of silence allowed.
    hostile.handle(trickle(Buffer.from('{"entries":[]}'), 60))
    expect(await client().chainAfter(0)).toEqual([])
  })

  it('gives up on an answer that trickles for ever, at the limit for the whole request', async () => {
    hostile.handle(trickle(null, 50))
    const error = await refusal(client({ requestTimeoutMs: 800 }).chainAfter(0))
    expect(error.code).toBe('server.timeout')
    expect(error.message).toContain('it took more than 0.8 s')
  })

  it('stops reading an endless answer at the cap, as server.too_large, and hangs up', async () => {
    let written = 0
    let closed!: () => void
    const hungUp = new Promise<void>((resolve) => (closed = resolve))
    hostile.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      const chunk = Buffer.alloc(64 * 1024, 0x20)
      const pump = () => {
        while (!response.destroyed) {
          written += chunk.length
          if (!response.write(chunk)) return void response.once('drain', pump)
        }
      }
      response.on('close', closed)
      pump()
    })
    const error = await refusal(
      client({ idleTimeoutMs: 30_000, maxBytes: { json: 1024 * 1024 } }).chainAfter(0),
    )
    expect(error.code).toBe('server.too_large')
    expect(error.kind).toBe('integrity')
    await hungUp
    // The server got rid of a megabyte and what the sockets buffer, not the endless rest.
    expect(written).toBeGreaterThan(1024 * 1024)
    expect(written).toBeLessThan(64 * 1024 * 1024)
  })

  it('refuses an answer whose declared length is over the cap before reading it', async () => {
    hostile.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json', 'content-length': String(8 * 1024 ** 3) })
      response.write('{"entries":[')
    })
    // Silence would take 30 s; the refusal comes from the header.
    expect((await refusal(client({ idleTimeoutMs: 30_000 }).chainAfter(0))).code).toBe('server.too_large')
  })

  it('caps each kind of answer on its own: an upload of exactly the cap is read, one byte more is refused', async () => {
    const cap = 256 * 1024
    let size = cap
    hostile.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/octet-stream' })
      response.end(Buffer.alloc(size, 7))
    })
    const uploads = client({ maxBytes: { upload: cap, json: 1024 } })
    expect((await uploads.upload('u'))?.length).toBe(cap)
    size = cap + 1
    expect((await refusal(uploads.upload('u'))).code).toBe('server.too_large')
  })

  it('reads a page of items larger than the cap for other answers', async () => {
    const page = Buffer.from(JSON.stringify({ items: [] }).padEnd(3 * 1024 * 1024, ' '))
    hostile.handle((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.end(page)
    })
    const capped = client({ maxBytes: { json: 1024 * 1024, items: 4 * 1024 * 1024 } })
    expect(await capped.itemsAfter(0)).toEqual([])
    expect((await refusal(capped.chainAfter(0))).code).toBe('server.too_large')
  })

  it('tells a connection the server drops half way from a timeout', async () => {
    hostile.handle((request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' })
      response.write('{"entries":[', () => request.socket.destroy())
    })
    expect((await refusal(client({ idleTimeoutMs: 30_000 }).chainAfter(0))).code).toBe('server.unreachable')
  })
})

describe('amanat pull from an intake server that stops answering', () => {
  const temp = tempDir('hostile-server')
  const ws = `${temp.dir}/ws`
  const questionnaire = readQuestionnaireFile('default', readCodebook()).questionnaire
  let server: TestServer
  let proxy: Awaited<ReturnType<typeof hostileServer>>

  beforeAll(async () => {
    await initWorkspace(ws)
    server = await startTestServer(`${temp.dir}/intake`)
    proxy = await hostileServer()
  })
  afterAll(async () => {
    await proxy.close()
    await server.close()
    temp.cleanup()
  })

  /** Passes requests through to the real server, except those `stall` picks, which get no answer. */
  function passThrough(stall: (request: IncomingMessage) => boolean): Handler {
    return (request, response) => {
      if (stall(request)) return
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        void (async () => {
          const headers = Object.fromEntries(
            Object.entries(request.headers).filter(
              (e): e is [string, string] =>
                typeof e[1] === 'string' && e[0] !== 'host' && e[0] !== 'connection',
            ),
          )
          const answer = await fetch(`${server.url}${request.url ?? '/'}`, {
            method: request.method ?? 'GET',
            headers,
            ...(chunks.length === 0 ? {} : { body: Buffer.concat(chunks) }),
          })
          response.writeHead(answer.status, {
            'content-type': answer.headers.get('content-type') ?? 'application/octet-stream',
          })
          response.end(Buffer.from(await answer.arrayBuffer()))
        })()
      })
    }
  }

  it('gives up with server.timeout, and the pulls after it import each submission once', async () => {
    // The workspace knows the server by the address it published to: the proxy's.
    proxy.handle(passThrough(() => false))
    const throughProxy = ['--workspace', ws, '--server', proxy.url, '--credential', server.credential]
    await amanatOk(['publish', 'default', ...throughProxy])
    const links = (await amanatOk(['invite', ...throughProxy, '--count', '3'])).stdout
    const keys = workspaceKeys(ws)
    const stories = links.map(() => `A synthetic account ${marker()}`)
    for (const [i, link] of links.entries()) {
      await postSubmission(
        server.url,
        tokenOf(link),
        await sealSubmission(defaultSubmission(questionnaire, stories[i] ?? ''), [
          keys.analystRecipient,
          keys.backupRecipient,
        ]),
      )
    }

    // A server that never answers at all: the pull gives up after the silence it was given.
    proxy.handle(() => undefined)
    const silent = await amanat(['pull', ...throughProxy, '--timeout', '1'])
    expect(silent.code).toBe(1)
    expect(silent.terminal.stderr.at(-1)).toMatch(
      /^amanat: server\.timeout: The intake server at http:\/\/127\.0\.0\.1:\d+ did not finish answering/,
    )

    // The same through AMANAT_SERVER_TIMEOUT, with a server that answers everything but the
    // page of submissions: nothing is imported, the server keeps its copies.
    proxy.handle(passThrough((request) => request.url?.startsWith('/api/admin/submissions?') === true))
    const stalled = await amanat(['pull', ...throughProxy], testEnv({ AMANAT_SERVER_TIMEOUT: '1' }))
    expect(stalled.code).toBe(1)
    expect(stalled.terminal.stderr.at(-1)).toMatch(/^amanat: server\.timeout: .*the submissions request/)
    expect(await server.running.store.itemsAfter(0, 100, 1 << 24)).toHaveLength(3)

    // A server that stops answering only when told to delete: what was pulled is recorded, the
    // analyst is told, the server keeps its copies for the next pull to delete.
    proxy.handle(passThrough((request) => request.url === '/api/admin/submissions/delete'))
    const undeleted = await amanat(['pull', ...throughProxy], testEnv({ AMANAT_SERVER_TIMEOUT: '1' }))
    expect(undeleted.code).toBe(0)
    expect(undeleted.terminal.stdout[0]).toBe('imported: 3 (attachments: 0)')
    expect(undeleted.terminal.stderr).toContain(
      'amanat: warning: the server could not be told to delete everything pulled; the next pull asks again.',
    )
    expect(await server.running.store.itemsAfter(0, 100, 1 << 24)).toHaveLength(3)

    // The server answers again: nothing is imported twice, and its copies are deleted.
    proxy.handle(passThrough(() => false))
    const pulled = await amanatOk(['pull', ...throughProxy])
    expect(pulled.stdout[0]).toBe('imported: 0 (attachments: 0)')
    expect(pulled.stdout).toContain('flagged: 0')
    expect(await server.running.store.itemsAfter(0, 100, 1 << 24)).toEqual([])
    const workspace = await openWorkspace(ws, PASSPHRASE)
    try {
      const imported = (await workspace.store.events({ limit: 10_000 })).flatMap((e) =>
        e.body?.kind === 'testimony.imported' ? [e.body.testimony.narratives[0]?.text] : [],
      )
      expect(imported.sort()).toEqual([...stories].sort())
    } finally {
      await workspace.close()
    }
    expect((await amanat(['verify', '--workspace', ws])).code).toBe(0)
  })

  it('gives up a pull from the workbench page on a server that stops answering, after the silence it was given', async () => {
    proxy.handle(() => undefined)
    const workbench = await startWorkbench({ workspaceDir: ws, serverTimeoutMs: 500 })
    try {
      const { post, unlockAsFirstProfile } = await pageSession(workbench)
      await unlockAsFirstProfile()
      const pulled = await post('/api/intake/pull', { server: proxy.url })
      expect(pulled.status).toBe(400)
      expect(JSON.parse(pulled.body)).toMatchObject({ error: 'server.timeout' })
    } finally {
      await workbench.close()
    }
  })

  it('refuses a timeout out of range as wrong usage', async () => {
    for (const value of ['0', '3601', 'soon']) {
      const run = await amanat(['pull', '--workspace', ws, '--server', server.url, '--timeout', value])
      expect(run.code).toBe(2)
      expect(run.terminal.stderr.at(-1)).toMatch(
        /^amanat: usage\.bad_timeout: --timeout takes a whole number from 1 to 3600/,
      )
    }
    const fromEnv = await amanat(
      ['pull', '--workspace', ws, '--server', server.url],
      testEnv({ AMANAT_SERVER_TIMEOUT: '-5' }),
    )
    expect(fromEnv.code).toBe(2)
  })
})
