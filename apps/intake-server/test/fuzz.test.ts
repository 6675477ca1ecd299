import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'
import * as cctv from 'cctv-age'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sized } from '../../../tools/test-support/profile.ts'
import { DEFAULT_RATE_LIMITS } from '../src/index.ts'
import { newRecipients, seal, sealRandom } from './support/age.ts'
import { startChildServer, type ChildServer } from './support/child-server.ts'
import { AdminClient, rawRequest } from './support/client.ts'
import { body, framed, newRandomId, newToken } from './support/fixtures.ts'
import { openHarness, SEALED, type Harness } from './support/harness.ts'

/**
 * T07: anything that is not an age file with the questionnaire's X25519 stanzas is refused with a
 * 4xx and stores nothing, even on a valid invite. T09: malformed, oversized and random requests,
 * in-process and over a real socket to the bundled server: no 5xx, no crash, nothing stored.
 */

const Q = 'fuzz-q'
const HEADER_END = '\n--- '

/** Rewrites the text of a sealed file's header (latin1 keeps bytes as they are). */
function editHeader(sealed: Buffer, edit: (header: string) => string): Buffer {
  const end = sealed.indexOf('\n', sealed.indexOf(HEADER_END) + 1) + 1
  return Buffer.concat([Buffer.from(edit(sealed.subarray(0, end).toString('latin1')), 'latin1'), sealed.subarray(end)])
}

/** The CCTV vectors that must be refused: every one that is not a binary file of X25519 stanzas only. */
function refusedVectors(): Buffer[] {
  const crypto = new Set(['x25519_identity', 'x25519_low_order', 'hmac_bad', 'x25519_bad_tag', 'x25519_no_match'])
  const files: Buffer[] = []
  for (const [name, value] of Object.entries(cctv as unknown as Record<string, Uint8Array>)) {
    if (!(value instanceof Uint8Array) || crypto.has(name)) continue
    const text = Buffer.from(value)
    const split = text.indexOf('\n\n')
    const meta = text.subarray(0, split).toString()
    const file = /compressed: zlib/.test(meta) ? inflateSync(text.subarray(split + 2)) : text.subarray(split + 2)
    // Success vectors of plain X25519 files, and payload failures only decryption can see, are well-formed.
    const wellFormed = /^(x25519|x25519_multiple_recipients|stream_(empty_payload|two_chunks|three_chunks|257_chunks|257_chunks_full|258_chunks|last_chunk_full|last_chunk_full_second|bad_tag|bad_tag_second_chunk|bad_tag_second_chunk_full|no_final|no_final_full|no_final_two_chunks|no_final_two_chunks_full|trailing_garbage_long|two_final_chunks|two_final_chunks_full|two_final_chunks_second|two_final_chunks_short))$/
    if (!wellFormed.test(name)) files.push(file)
  }
  return files
}

describe('refusing what is not a sealed submission (T07)', () => {
  let h: Harness
  let recipients: string[]
  let sealed: Buffer

  beforeAll(async () => {
    // One invite sends every sample here, 50 at a time: lift its rate limit and the memory budget
    // (which is not what this tests).
    h = await openHarness({ rateLimits: { ...DEFAULT_RATE_LIMITS, perInviteBurst: 1_000_000 }, inflightBytes: 1 << 30 })
    recipients = newRecipients(2)
    await h.publish(Q, recipients)
    sealed = await seal(' '.repeat(70_000), recipients)
  })
  afterAll(async () => {
    await h.close()
  })

  it(`refuses ${String(sized(1000, 10_000))} malformed age files on a valid invite and stores none`, async () => {
    const token = newToken()
    await h.invite(Q, [token])
    const others = await Promise.all([sealRandom(300, newRecipients(1)), sealRandom(300, newRecipients(3))])
    const vectors = refusedVectors()
    expect(vectors.length).toBeGreaterThan(80)
    const header = sealed.indexOf(HEADER_END) + 49
    const badFile = fc.oneof(
      fc.constantFrom(...vectors),
      fc.constantFrom(...others),
      fc.string({ maxLength: 300 }).map((text) => Buffer.from(JSON.stringify({ answers: { q1: text } }))),
      fc.uint8Array({ maxLength: 2000 }).map((bytes) => Buffer.from(bytes)),
      fc.constantFrom('scrypt', 'x25519', 'X448', 'mlkem768x25519', 'piv-p256', 'ssh-ed25519').map((type) =>
        editHeader(sealed, (text) => text.replace('-> X25519', `-> ${type}`)),
      ),
      fc.integer({ min: 0, max: 1 }).map((which) =>
        // A share whose last character has non-zero trailing bits: not canonical base64.
        editHeader(sealed, (text) => text.split('\n').map((line, i) => (i === 1 + which * 2 ? line.replace(/.$/, 'B') : line)).join('\n')),
      ),
      fc.constant(editHeader(sealed, (text) => text.replace(/\n--- .*\n$/, '\n'))),
      fc.constant(editHeader(sealed, (text) => text.replace('age-encryption.org/v1', 'age-encryption.org/v2'))),
      fc.constant(editHeader(sealed, (text) => text.replace(/\n--- /, '\n-> scrypt c2FsdHNhbHRzYWx0c2FsdA 18\nAAAA\n--- '))),
      fc.constant(editHeader(sealed, (text) => text.replace('\n', '\r\n'))),
      fc.constant(Buffer.from(`-----BEGIN AGE ENCRYPTED FILE-----\n${sealed.toString('base64')}\n-----END AGE ENCRYPTED FILE-----\n`)),
      // Cut where no chunk can end: inside the nonce, or within a tag's length past a chunk boundary.
      fc.integer({ min: 0, max: 31 }).map((n) => sealed.subarray(0, header + n)),
      fc.integer({ min: 1, max: 16 }).map((n) => sealed.subarray(0, header + 16 + 65536 + 16 + n)),
      fc.integer({ min: 0, max: 40 }).chain((at) =>
        fc.integer({ min: 0x80, max: 0xff }).map((byte) => {
          const copy = Buffer.from(sealed)
          copy[at + 22] = byte
          return copy
        }),
      ),
    )
    const samples = fc.sample(badFile, sized(1000, 10_000))
    for (let at = 0; at < samples.length; at += 50) {
      const statuses = await Promise.all(samples.slice(at, at + 50).map(async (file) => (await h.submit(token, file)).status))
      expect(statuses.filter((status) => status !== 400 && status !== 413)).toEqual([])
    }
    expect(await h.store.chainAfter(0, 10)).toEqual([])
    expect(await h.store.itemsAfter(0, 10, 1 << 20)).toEqual([])
  })
})

describe('fuzzing the HTTP surface (T09)', () => {
  let h: Harness
  let sealed: Buffer
  let dataDir: string
  let child: ChildServer

  beforeAll(async () => {
    h = await openHarness()
    const recipients = newRecipients(2)
    await h.publish(Q, recipients)
    sealed = await seal('{"answers":{}}'.padEnd(4096, ' '), recipients)
    dataDir = mkdtempSync(join(tmpdir(), 'amanat-intake-fuzz-'))
    child = await startChildServer(['--data', dataDir, '--port', '0'])
    await new AdminClient(child.url, child.credential!).publish(Q, recipients)
  })
  afterAll(async () => {
    await h.close()
    await child.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it(`answers ${String(sized(9000, 90_000))} random in-process requests without a 5xx and stores nothing`, async () => {
    const paths = ['/', '/index.html', '/q/fuzz-q', '/q/../etc/passwd', '/api/submissions', '/api/chunks', '/api/chunks/status', '/api/admin/chain', '/api/admin/submissions', `/api/admin/uploads/${newRandomId()}`, '/api/admin/invites', '/%2e%2e/%2e%2e', '/api/submissions/../admin/chain']
    const mutate = (bytes: Buffer, flips: { at: number; byte: number }[]) => {
      const copy = Buffer.from(bytes)
      for (const flip of flips) copy[flip.at % copy.length] = flip.byte
      return copy
    }
    const token = fc.oneof(fc.constant(newToken()), fc.string({ maxLength: 40 }), fc.constant('\udc80'), fc.integer())
    const requestBody = fc.oneof(
      fc.uint8Array({ maxLength: 3000 }).map((bytes) => Buffer.from(bytes)),
      fc.record({ v: fc.integer({ min: 0, max: 2 }), token, id: fc.oneof(fc.constant(newRandomId()), fc.string()) }).map((header) => Buffer.from(framed(header, sealed))),
      fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { minLength: 1, maxLength: 20 }).map((flips) =>
        mutate(Buffer.from(framed({ v: 1, token: newToken(), id: newRandomId() }, sealed)), flips),
      ),
      fc.record({ v: fc.constant(1), token: fc.constant(newToken()), upload: fc.constant(newRandomId()), index: fc.integer({ min: -1, max: 5000 }), count: fc.integer({ min: -1, max: 5000 }) }).map((header) =>
        Buffer.from(framed(header, sealed)),
      ),
      fc.constant(Buffer.from(`${'['.repeat(10_000)}${']'.repeat(10_000)}\n`)),
      fc.integer({ min: 62, max: 66 }).map((width) => Buffer.from(framed({ v: 1, token: newToken(), id: newRandomId() }, Buffer.from(`age-encryption.org/v1\n-> X25519 ${'A'.repeat(width)}\n${'A'.repeat(43)}\n--- ${'A'.repeat(43)}\n`)))),
    )
    const request = fc.record({
      method: fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'),
      path: fc.oneof(fc.constantFrom(...paths), fc.webPath()),
      type: fc.constantFrom(SEALED, 'application/json', 'text/plain', '', `${SEALED}; charset=utf-8`, 'multipart/form-data; boundary=x'),
      authorization: fc.oneof(fc.constant(undefined), fc.constant('Bearer nope'), fc.string({ maxLength: 30 })),
      body: requestBody,
    })
    // A few 10 MB bodies, one per route that reads one (more would only spend the time copying).
    const huge = Buffer.concat([Buffer.from('{"v":1}\n'), Buffer.alloc(10 * 1024 * 1024, 0x41)])
    const samples = [
      ...['/api/submissions', '/api/chunks', '/api/chunks/status', '/api/admin/invites'].map((path) => ({ method: 'POST', path, type: SEALED, authorization: undefined, body: huge })),
      ...fc.sample(request, sized(9000, 90_000) - 4),
    ]
    const failures: string[] = []
    for (let at = 0; at < samples.length; at += 50) {
      await Promise.all(
        samples.slice(at, at + 50).map(async (r) => {
          const headers: Record<string, string> = { 'content-type': r.type }
          if (r.authorization !== undefined && /^[\x20-\x7e]*$/.test(r.authorization)) headers.authorization = r.authorization
          let response: Response
          try {
            const withBody = r.method !== 'GET' && r.method !== 'HEAD'
            response = await h.app.request(r.path, { method: r.method, headers, ...(withBody ? { body: body(r.body) } : {}) })
          } catch {
            return // the path was not a URL the client could even send
          }
          await response.arrayBuffer()
          if (response.status >= 500) failures.push(`${r.method} ${r.path} → ${String(response.status)}`)
        }),
      )
    }
    expect(failures).toEqual([])
    expect(await h.store.chainAfter(0, 10)).toEqual([])
    expect(h.committer.failed).toBe(false)
  })

  it(`answers ${String(sized(1000, 10_000))} malformed requests on a real socket without a 5xx or a crash`, async () => {
    const host = new URL(child.url).host
    const submission = Buffer.from(framed({ v: 1, token: newToken(), id: newRandomId() }, sealed))
    const head = (lines: string[]) => `${lines.join('\r\n')}\r\n\r\n`
    const malformed = fc.oneof(
      fc.record({ a: fc.nat(100_000), b: fc.nat(100_000) }).map(({ a, b }) => ({
        head: head(['POST /api/submissions HTTP/1.1', `Host: ${host}`, `Content-Type: ${SEALED}`, `Content-Length: ${String(a)}`, `Content-Length: ${String(b)}`, 'Connection: close']),
        payload: submission,
        end: true,
      })),
      fc.nat(submission.length).map((n) => ({
        head: head(['POST /api/submissions HTTP/1.1', `Host: ${host}`, `Content-Type: ${SEALED}`, `Content-Length: ${String(submission.length)}`, 'Transfer-Encoding: chunked', 'Connection: close']),
        payload: Buffer.concat([Buffer.from(`${n.toString(16)}\r\n`), submission.subarray(0, n)]),
        end: true,
      })),
      fc.nat(submission.length).map((n) => ({
        head: head(['POST /api/submissions HTTP/1.1', `Host: ${host}`, `Content-Type: ${SEALED}`, 'Transfer-Encoding: chunked', 'Connection: close']),
        payload: Buffer.concat([Buffer.from(`${submission.length.toString(16)}\r\n`), submission.subarray(0, n)]),
        end: true,
      })),
      fc.constantFrom('1000000000', '99999999999999', '-1', '1e9', '0x10').map((length) => ({
        head: head(['POST /api/submissions HTTP/1.1', `Host: ${host}`, `Content-Type: ${SEALED}`, `Content-Length: ${length}`, 'Connection: close']),
        payload: submission,
        end: true,
      })),
      fc.string({ maxLength: 200 }).map((line) => ({ head: `${line}\r\n\r\n`, payload: Buffer.alloc(0), end: true })),
      fc.integer({ min: 15_000, max: 40_000 }).map((size) => ({
        head: head(['GET / HTTP/1.1', `Host: ${host}`, `X-Long: ${'a'.repeat(size)}`, 'Connection: close']),
        payload: Buffer.alloc(0),
        end: true,
      })),
      fc.array(fc.record({ at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }), { maxLength: 10 }).map((flips) => {
        const copy = Buffer.from(submission)
        for (const flip of flips) copy[flip.at % copy.length] = flip.byte
        return { head: head(['POST /api/submissions HTTP/1.1', `Host: ${host}`, `Content-Type: ${SEALED}`, `Content-Length: ${String(copy.length)}`, 'Connection: close']), payload: copy, end: false }
      }),
    )
    const samples = fc.sample(malformed, sized(1000, 10_000))
    const statuses: number[] = []
    const hung: string[] = []
    for (let at = 0; at < samples.length; at += 20) {
      await Promise.all(
        samples.slice(at, at + 20).map(async (sample) => {
          const answer = await rawRequest(child.url, sample.head, sample.payload, { timeoutMs: 10_000, end: sample.end })
          if (answer !== null) statuses.push(answer.status)
          else if (!sample.end) hung.push(sample.head.split('\r\n')[0] ?? '')
        }),
      )
    }
    expect(hung).toEqual([])
    expect(statuses.filter((status) => status >= 500)).toEqual([])
    expect(statuses.length).toBeGreaterThan(samples.length / 2)
    expect(child.process.exitCode).toBeNull()
    const rssKiB = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${String(child.process.pid)}/status`, 'utf8'))?.[1])
    expect(rssKiB).toBeLessThan(300 * 1024)
    const admin = new AdminClient(child.url, child.credential!)
    expect(await admin.chain()).toEqual([])
  })
})
