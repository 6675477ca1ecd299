import type { IncomingMessage } from 'node:http'
import type { HttpBindings } from '@hono/node-server'
import type { Context } from 'hono'
import { problems } from '../problems.ts'

/**
 * Reading request bodies with a hard limit. A declared Content-Length over the limit is refused
 * before a byte is read; a chunked body is read only until it passes the limit (at most one
 * socket read, ≤ 64 KiB, beyond it), then refused with 413 and the connection dropped (T09).
 * A budget bounds the bytes held by all requests in flight, so many large uploads at once get
 * 429s instead of exhausting memory.
 */

/** Bytes that requests in flight may hold between them. */
export class InflightBudget {
  #free: number

  constructor(bytes: number) {
    this.#free = bytes
  }

  /** Reserves `bytes`; false (nothing reserved) when they are not free. */
  reserve(bytes: number): boolean {
    if (bytes > this.#free) return false
    this.#free -= bytes
    return true
  }

  release(bytes: number): void {
    this.#free += bytes
  }
}

function readIncoming(incoming: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let total = 0
    const cleanup = () => {
      incoming.off('data', onData)
      incoming.off('end', onEnd)
      incoming.off('error', onError)
      incoming.off('close', onClose)
    }
    const onData = (chunk: Buffer) => {
      total += chunk.length
      if (total > limit) {
        cleanup()
        incoming.pause()
        reject(problems.tooLarge())
        return
      }
      chunks.push(chunk)
    }
    const onEnd = () => {
      cleanup()
      resolve(Buffer.concat(chunks, total))
    }
    const onError = () => {
      cleanup()
      reject(problems.rejected())
    }
    const onClose = () => {
      if (incoming.complete) return
      cleanup()
      reject(problems.rejected())
    }
    incoming.on('data', onData)
    incoming.on('end', onEnd)
    incoming.on('error', onError)
    incoming.on('close', onClose)
  })
}

async function readStream(stream: ReadableStream<Uint8Array> | null, limit: number): Promise<Buffer> {
  if (stream === null) return Buffer.alloc(0)
  const reader = stream.getReader()
  const chunks: Uint8Array[] = []
  let total = 0
  for (;;) {
    const { done, value } = await reader.read()
    if (done) break
    total += value.length
    if (total > limit) {
      await reader.cancel().catch(() => undefined)
      throw problems.tooLarge()
    }
    chunks.push(value)
  }
  return Buffer.concat(chunks, total)
}

/**
 * Reads the body of `c` (at most `limit` bytes) and runs `use` on it, holding the body's bytes
 * against `budget` until `use` settles.
 *
 * @throws Problem `intake.too_large` (413) past the limit; `intake.rate_limited` (429) when the
 *   budget is spent; `intake.rejected` (400) for a malformed Content-Length or a body cut off.
 */
export async function withBody<T>(
  c: Context,
  limit: number,
  budget: InflightBudget,
  use: (body: Buffer) => T | Promise<T>,
): Promise<T> {
  const declared = c.req.header('content-length')
  let reserved = limit
  if (declared !== undefined) {
    if (!/^\d{1,15}$/.test(declared)) throw problems.rejected()
    const length = Number(declared)
    if (length > limit) throw problems.tooLarge()
    reserved = length
  }
  if (!budget.reserve(reserved)) throw problems.rateLimited()
  try {
    const incoming = (c.env as Partial<HttpBindings> | undefined)?.incoming
    const body = incoming !== undefined ? await readIncoming(incoming, limit) : await readStream(c.req.raw.body, limit)
    return await use(body)
  } finally {
    budget.release(reserved)
  }
}
