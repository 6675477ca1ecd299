import { connect } from 'node:net'
import { IntakeChainPage, PulledItemsPage } from '@amanat/domain'
import { body, framed, signedQuestionnaire, tokenHashOf } from './fixtures.ts'

/**
 * A protocol client for a server on a real socket: the analyst's calls with the credential, the
 * page's submissions, and a raw HTTP/1.1 writer that can cut a request off mid-body (T04).
 */

export const SEALED = 'application/x-amanat-sealed'

export class AdminClient {
  readonly #credential: string
  url: string

  constructor(url: string, credential: string) {
    this.url = url
    this.#credential = credential
  }

  async #call(method: string, path: string, value?: unknown): Promise<Response> {
    const response = await fetch(`${this.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.#credential}`, 'content-type': 'application/json' },
      ...(value === undefined ? {} : { body: JSON.stringify(value) }),
    })
    if (response.status !== 200) throw new Error(`${method} ${path}: ${String(response.status)} ${await response.text()}`)
    return response
  }

  async publish(id: string, recipients: readonly string[]): Promise<void> {
    await this.#call('PUT', `/api/admin/questionnaires/${id}`, signedQuestionnaire(id, recipients))
  }

  async invite(questionnaireId: string, tokens: readonly string[], expiresOn = '2099-12-31'): Promise<void> {
    for (let at = 0; at < tokens.length; at += 10_000) {
      const invites = tokens.slice(at, at + 10_000).map((token) => ({ tokenHash: tokenHashOf(token), expiresOn }))
      await this.#call('POST', '/api/admin/invites', { questionnaireId, invites })
    }
  }

  async revoke(tokens: readonly string[]): Promise<void> {
    await this.#call('POST', '/api/admin/invites/revoke', { tokenHashes: tokens.map(tokenHashOf) })
  }

  /** Every stored item, following pages to the end. */
  async pullAll(): Promise<PulledItemsPage['items']> {
    const items: PulledItemsPage['items'] = []
    for (let after = 0; ; ) {
      const page = PulledItemsPage.parse(await (await this.#call('GET', `/api/admin/submissions?after=${String(after)}`)).json())
      if (page.items.length === 0) return items
      items.push(...page.items)
      after = page.items[page.items.length - 1]!.seq
    }
  }

  /** The whole chain. */
  async chain(): Promise<IntakeChainPage['entries']> {
    const entries: IntakeChainPage['entries'] = []
    for (let after = 0; ; ) {
      const page = IntakeChainPage.parse(await (await this.#call('GET', `/api/admin/chain?after=${String(after)}`)).json())
      if (page.entries.length === 0) return entries
      entries.push(...page.entries)
      after = page.entries[page.entries.length - 1]!.seq
    }
  }
}

/** POSTs a sealed submission; resolves with the status, or null when the connection failed. */
export async function postSubmission(url: string, token: string, id: string, sealed: Uint8Array, headers: Record<string, string> = {}): Promise<number | null> {
  try {
    const response = await fetch(`${url}/api/submissions`, {
      method: 'POST',
      headers: { 'content-type': SEALED, ...headers },
      body: framed({ v: 1, token, id }, sealed),
    })
    await response.arrayBuffer()
    return response.status
  } catch {
    return null
  }
}

/** POSTs one chunk; resolves with the status, or null when the connection failed. */
export async function postChunk(
  url: string,
  header: { token: string; upload: string; index: number; count: number },
  bytes: Uint8Array,
): Promise<number | null> {
  try {
    const response = await fetch(`${url}/api/chunks`, { method: 'POST', headers: { 'content-type': SEALED }, body: framed({ v: 1, ...header }, bytes) })
    await response.arrayBuffer()
    return response.status
  } catch {
    return null
  }
}

export interface RawAnswer {
  readonly status: number
  readonly head: string
  readonly body: Buffer
}

/**
 * Sends one HTTP/1.1 request over a fresh TCP connection, written as given. With `cutAt`, writes
 * the head and that many body bytes, then resets the connection (resolves null). With `end`,
 * closes the sending side after the payload. Resolves null when no answer came back. `localAddress`
 * picks the client's source address (127.0.0.77 and the like: all of 127/8 is loopback).
 */
export function rawRequest(
  url: string,
  head: string,
  payload: Uint8Array,
  options: { cutAt?: number; localAddress?: string; timeoutMs?: number; end?: boolean } = {},
): Promise<RawAnswer | null> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve) => {
    const socket = connect({ host: hostname, port: Number(port), ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }) })
    const chunks: Buffer[] = []
    const finish = (answer: RawAnswer | null) => {
      socket.destroy()
      resolve(answer)
    }
    socket.setTimeout(options.timeoutMs ?? 15_000, () => {
      finish(null)
    })
    socket.on('error', () => {
      finish(null)
    })
    socket.on('data', (data: Buffer) => chunks.push(data))
    socket.on('end', () => {
      const all = Buffer.concat(chunks)
      const split = all.indexOf('\r\n\r\n')
      const headText = all.subarray(0, split < 0 ? all.length : split).toString('latin1')
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(headText)?.[1] ?? 0)
      finish(status === 0 ? null : { status, head: headText, body: split < 0 ? Buffer.alloc(0) : all.subarray(split + 4) })
    })
    socket.on('connect', () => {
      socket.write(head)
      if (options.cutAt !== undefined) {
        socket.write(payload.subarray(0, options.cutAt), () => {
          socket.resetAndDestroy()
          resolve(null)
        })
        return
      }
      // Not end() unless asked (a request cut short): the server answers, then closes (`Connection: close`).
      if (options.end === true) socket.end(payload)
      else socket.write(payload)
    })
  })
}

/** The head of a POST with a Content-Length, `Connection: close`, and any extra header lines. */
export function postHead(url: string, path: string, contentType: string, length: number, extra: readonly string[] = []): string {
  const { host } = new URL(url)
  return [`POST ${path} HTTP/1.1`, `Host: ${host}`, `Content-Type: ${contentType}`, `Content-Length: ${String(length)}`, 'Connection: close', ...extra, '', ''].join('\r\n')
}

export { body, framed }
