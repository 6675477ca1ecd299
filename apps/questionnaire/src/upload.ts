import { ChunkStatus, type ChunkHeader, type ChunkStatusRequest, type InviteToken, type UploadId } from '@amanat/domain'
import { backoffDelay, DEFAULT_RETRY, framedBody, postJson, postOnce, unreachable, type RetryPolicy, type Transport } from './transport.ts'

/**
 * Resumable upload of one sealed attachment (docs/intake-protocol.md §3.2): 1 MiB chunks, each
 * POSTed to /api/chunks under the attachment's random upload id. Re-sending a chunk is harmless,
 * so after any failure the page asks /api/chunks/status which chunks arrived and sends only the
 * rest. The caller keeps the sealed bytes and the upload id until the submission is acknowledged,
 * so "try again" resumes instead of starting over (a fresh seal would not match the chunks sent).
 */

/** Chunk size on the wire. */
export const CHUNK_BYTES = 1024 * 1024

/** Media type of every sealed POST body (a JSON line, a line feed, bytes). */
export const SEALED_CONTENT_TYPE = 'application/x-amanat-sealed'

/** Which upload, for whom. */
export interface UploadTarget {
  readonly token: InviteToken
  readonly upload: UploadId
}

export interface UploadOptions {
  readonly retry?: RetryPolicy
  /** Ask the server first which chunks it has (set when resuming an earlier attempt). */
  readonly resume?: boolean
  /** Called after each acknowledged chunk with (chunks done, chunk count). */
  readonly onProgress?: (done: number, count: number) => void
}

/** How many chunks `length` sealed bytes make. */
export function chunkCount(length: number): number {
  return Math.max(1, Math.ceil(length / CHUNK_BYTES))
}

function receivedChunks(answer: unknown, count: number): Set<number> | null {
  const parsed = ChunkStatus.safeParse(answer)
  return parsed.success ? new Set(parsed.data.received.filter((index) => index < count)) : null
}

/**
 * Uploads `sealed` as chunks of {@link CHUNK_BYTES}, retrying with backoff, and resolves once every
 * chunk was acknowledged.
 *
 * @throws AmanatError input `send.unreachable` after `retry.attempts` consecutive failures (the
 *   caller may call again with `resume: true`); input `send.refused` when the server refuses a
 *   chunk for good (too large, malformed).
 */
export async function uploadSealedFile(
  sealed: Uint8Array,
  target: UploadTarget,
  transport: Transport,
  options: UploadOptions = {},
): Promise<void> {
  const policy = options.retry ?? DEFAULT_RETRY
  const count = chunkCount(sealed.length)
  let done = new Set<number>()
  let failures = 0
  let askStatus = options.resume === true
  for (;;) {
    if (askStatus) {
      const request: ChunkStatusRequest = { v: 1, token: target.token, upload: target.upload }
      const status = await postJson(transport, '/api/chunks/status', request)
      const received = status === null ? null : receivedChunks(status.value, count)
      if (received === null) {
        failures++
        if (failures >= policy.attempts) throw unreachable()
        await transport.sleep(backoffDelay(policy, failures))
        continue
      }
      done = received
      askStatus = false
    }
    let failed = false
    for (let index = 0; index < count; index++) {
      if (done.has(index)) continue
      const header: ChunkHeader = { v: 1, token: target.token, upload: target.upload, index, count }
      const chunk = sealed.subarray(index * CHUNK_BYTES, (index + 1) * CHUNK_BYTES)
      if (!(await postOnce(transport, '/api/chunks', framedBody(header, chunk), SEALED_CONTENT_TYPE))) {
        failed = true
        break
      }
      done.add(index)
      failures = 0
      options.onProgress?.(done.size, count)
    }
    if (!failed) return
    failures++
    if (failures >= policy.attempts) throw unreachable()
    await transport.sleep(backoffDelay(policy, failures))
    askStatus = true
  }
}
