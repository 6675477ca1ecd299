import { ChunkHeader, ChunkStatusRequest, CONSTANT_ACK, SubmissionHeader } from '@amanat/domain'
import type { Transport } from '../../src/transport.ts'

/**
 * An in-memory stand-in for the intake server's respondent routes, for unit tests of the page's
 * sending code in Node: it parses each body as the real server does (one JSON line, a line feed,
 * bytes), keeps what it received, and fails requests on demand. The browser tests use the real
 * server.
 */
export class FakeIntake implements Transport {
  readonly chunks = new Map<string, Map<number, Uint8Array>>()
  readonly submissions: { header: SubmissionHeader; body: Uint8Array }[] = []
  readonly requests: { url: string; init: RequestInit }[] = []
  readonly sleeps: number[] = []
  /** Decides the fate of the nth request (0-based): 'ok', a status, 'network' or 'portal'. */
  fail: (n: number, url: string) => 'ok' | 'network' | 'portal' | number = () => 'ok'

  fetch = (url: string, init: RequestInit): Promise<Response> => {
    try {
      return Promise.resolve(this.answer(url, init))
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)))
    }
  }

  private answer(url: string, init: RequestInit): Response {
    const n = this.requests.length
    this.requests.push({ url, init })
    const fate = this.fail(n, url)
    if (fate === 'network') throw new TypeError('Failed to fetch')
    if (fate === 'portal') return new Response('<html>Please log in to the hotel Wi-Fi</html>', { status: 200 })
    if (typeof fate === 'number') return new Response('{"error":"x"}', { status: fate })
    const body = typeof init.body === 'string' ? new TextEncoder().encode(init.body) : new Uint8Array(init.body as Uint8Array)
    if (url === '/api/chunks/status') {
      const request = ChunkStatusRequest.parse(JSON.parse(new TextDecoder().decode(body)))
      return Response.json({ received: [...(this.chunks.get(request.upload)?.keys() ?? [])].sort((a, b) => a - b) })
    }
    const newline = body.indexOf(0x0a)
    const header: unknown = JSON.parse(new TextDecoder().decode(body.subarray(0, newline)))
    const payload = body.slice(newline + 1)
    if (url === '/api/chunks') {
      const chunk = ChunkHeader.parse(header)
      const chunks = this.chunks.get(chunk.upload) ?? new Map<number, Uint8Array>()
      chunks.set(chunk.index, payload)
      this.chunks.set(chunk.upload, chunks)
    } else if (url === '/api/submissions') {
      this.submissions.push({ header: SubmissionHeader.parse(header), body: payload })
    } else {
      return new Response('not found', { status: 404 })
    }
    return new Response(CONSTANT_ACK, { status: 200 })
  }

  sleep = (ms: number): Promise<void> => {
    this.sleeps.push(ms)
    return Promise.resolve()
  }

  /** An upload's chunks joined in order (throws when one is missing). */
  upload(id: string): Uint8Array {
    const chunks = this.chunks.get(id)
    if (chunks === undefined) throw new Error('no such upload')
    const parts = [...chunks.keys()].sort((a, b) => a - b).map((k, i) => {
      if (k !== i) throw new Error(`chunk ${i} missing`)
      return chunks.get(k) ?? new Uint8Array()
    })
    return new Uint8Array(Buffer.concat(parts))
  }
}
