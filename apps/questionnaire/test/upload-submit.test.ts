import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { isAmanatError, type InviteToken, type UploadId } from '@amanat/domain'
import { newUploadId } from '../src/attachments.ts'
import { newSubmissionId, sendSubmission } from '../src/submit.ts'
import { backoffDelay, DEFAULT_RETRY, type RetryPolicy } from '../src/transport.ts'
import { CHUNK_BYTES, chunkCount, SEALED_CONTENT_TYPE, uploadSealedFile } from '../src/upload.ts'
import { FakeIntake } from './support/fake-server.ts'

const token = 'abcdefghjkmnpqrstvwxyz0123' as InviteToken
const policy: RetryPolicy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000 }
const bytes = (n: number) => new Uint8Array(randomBytes(n))
/** Byte equality without vitest's element-by-element diff (slow on megabytes). */
const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(b)

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(() => null, (e: unknown) => e)
  if (!isAmanatError(error)) throw new Error('expected an AmanatError')
  return error.code
}

describe('uploadSealedFile', () => {
  it('sends 1 MiB chunks, each a JSON header line then bytes, that join back to the file', async () => {
    const server = new FakeIntake()
    const sealed = bytes(2 * CHUNK_BYTES + 12345)
    const upload = newUploadId()
    const progress: [number, number][] = []
    await uploadSealedFile(sealed, { token, upload }, server, { onProgress: (d, c) => progress.push([d, c]) })
    expect(chunkCount(sealed.length)).toBe(3)
    expect(same(server.upload(upload), sealed)).toBe(true)
    expect(progress).toEqual([[1, 3], [2, 3], [3, 3]])
    for (const { init } of server.requests) {
      expect(init.headers).toEqual({ 'content-type': SEALED_CONTENT_TYPE })
      expect(init).toMatchObject({ method: 'POST', credentials: 'omit', redirect: 'error', referrerPolicy: 'no-referrer' })
    }
    expect(server.requests.every((r) => !r.url.includes(token))).toBe(true)
  })

  it('after a failure asks which chunks arrived and sends only the rest, backing off', async () => {
    const server = new FakeIntake()
    server.fail = (n) => (n === 2 || n === 3 ? 'network' : 'ok')
    const sealed = bytes(4 * CHUNK_BYTES)
    const upload = newUploadId()
    await uploadSealedFile(sealed, { token, upload }, server, { retry: policy })
    expect(same(server.upload(upload), sealed)).toBe(true)
    const urls = server.requests.map((r) => r.url)
    // chunk 0, chunk 1, chunk 2 fails, status fails, status, chunk 2, chunk 3
    expect(urls).toEqual(['/api/chunks', '/api/chunks', '/api/chunks', '/api/chunks/status', '/api/chunks/status', '/api/chunks', '/api/chunks'])
    expect(server.sleeps).toHaveLength(2)
  })

  it('resumes an earlier attempt: asks first, re-sends nothing the server has', async () => {
    const server = new FakeIntake()
    const sealed = bytes(3 * CHUNK_BYTES)
    const upload = newUploadId()
    server.fail = (n) => (n === 1 ? 503 : 'ok')
    await expect(uploadSealedFile(sealed, { token, upload }, server, { retry: { ...policy, attempts: 1 } })).rejects.toThrow()
    server.fail = () => 'ok'
    const before = server.requests.length
    await uploadSealedFile(sealed, { token, upload }, server, { retry: policy, resume: true })
    expect(server.requests.slice(before).map((r) => r.url)).toEqual(['/api/chunks/status', '/api/chunks', '/api/chunks'])
    expect(same(server.upload(upload), sealed)).toBe(true)
  })

  it('gives up with send.unreachable after the policy\'s attempts, and send.refused on a 413 at once', async () => {
    const server = new FakeIntake()
    server.fail = () => 'network'
    expect(await refusal(uploadSealedFile(bytes(10), { token, upload: newUploadId() }, server, { retry: policy }))).toBe('send.unreachable')
    expect(server.requests.length).toBe(policy.attempts)
    const refusing = new FakeIntake()
    refusing.fail = () => 413
    expect(await refusal(uploadSealedFile(bytes(10), { token, upload: newUploadId() }, refusing, { retry: policy }))).toBe('send.refused')
    expect(refusing.requests).toHaveLength(1)
  })

  it('does not take a captive portal\'s 200 page for an acknowledgement', async () => {
    const server = new FakeIntake()
    server.fail = () => 'portal'
    expect(await refusal(uploadSealedFile(bytes(10), { token, upload: 'a'.repeat(26) as UploadId }, server, { retry: policy }))).toBe(
      'send.unreachable',
    )
  })
})

describe('sendSubmission', () => {
  it('re-sends the same id and the same bytes on every retry', async () => {
    const server = new FakeIntake()
    server.fail = (n) => (n < 2 ? 502 : 'ok')
    const id = newSubmissionId()
    const sealed = bytes(5000)
    await sendSubmission(sealed, { token, id }, server, policy)
    expect(server.requests).toHaveLength(3)
    const bodies = server.requests.map((r) => Buffer.from(r.init.body as Uint8Array).toString('base64'))
    expect(new Set(bodies).size).toBe(1)
    expect(server.submissions.map((s) => s.header)).toEqual([{ v: 1, token, id }])
    expect(same(server.submissions[0]?.body ?? new Uint8Array(), sealed)).toBe(true)
  })

  it('draws 128-bit random ids with no order to them', () => {
    const ids = Array.from({ length: 2000 }, () => newSubmissionId())
    expect(new Set(ids).size).toBe(ids.length)
    const rising = ids.slice(1).filter((id, i) => id > (ids[i] ?? '')).length
    // About half of neighbouring pairs rise for random ids; a time-ordered id would rise every time.
    expect(rising).toBeGreaterThan(800)
    expect(rising).toBeLessThan(1200)
  })
})

describe('backoffDelay', () => {
  it('grows exponentially up to the cap, with jitter between half and the whole', () => {
    expect(backoffDelay(DEFAULT_RETRY, 1, () => 0)).toBe(500)
    expect(backoffDelay(DEFAULT_RETRY, 1, () => 1)).toBe(1000)
    expect(backoffDelay(DEFAULT_RETRY, 3, () => 1)).toBe(4000)
    expect(backoffDelay(DEFAULT_RETRY, 20, () => 1)).toBe(30_000)
  })
})
