import { gunzipSync } from 'node:zlib'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CONSTANT_ACK, PulledItemsPage, IntakeChainPage } from '@amanat/domain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY, chainProblem, loadStaticFiles } from '../src/index.ts'
import { newRecipients, seal, sealRandom } from './support/age.ts'
import { body as asBody, framed, newRandomId, newToken, signedQuestionnaire, tokenHashOf } from './support/fixtures.ts'
import { openHarness, overriding, SEALED, type Harness } from './support/harness.ts'

const Q = 'diaspora-2026'

async function pull(h: Harness): Promise<PulledItemsPage['items']> {
  const response = await h.admin('GET', '/api/admin/submissions?after=0')
  expect(response.status).toBe(200)
  return PulledItemsPage.parse(await response.json()).items
}

async function chain(h: Harness): Promise<IntakeChainPage['entries']> {
  const response = await h.admin('GET', '/api/admin/chain?after=0')
  expect(response.status).toBe(200)
  return IntakeChainPage.parse(await response.json()).entries
}

function expectSecurityHeaders(response: Response): void {
  expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY)
  expect(response.headers.get('cache-control')).toBe('no-store')
  expect(response.headers.get('referrer-policy')).toBe('no-referrer')
  expect(response.headers.get('x-content-type-options')).toBe('nosniff')
  expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin')
  expect(response.headers.get('cross-origin-resource-policy')).toBe('same-origin')
  expect(response.headers.get('permissions-policy')).toContain('geolocation=()')
}

/** Status, every header and the body: what must be identical across invite states. */
async function snapshot(response: Response): Promise<string> {
  const headers = [...response.headers.entries()].filter(([name]) => name !== 'date').sort()
  return JSON.stringify({ status: response.status, headers, body: await response.text() })
}

describe('intake app', () => {
  let h: Harness
  let recipients: string[]
  let sealed: Buffer

  beforeAll(async () => {
    h = await openHarness()
    recipients = newRecipients(2)
    await h.publish(Q, recipients)
    sealed = await seal('{"answers":{}}' + ' '.repeat(4000), recipients)
  })
  afterAll(async () => {
    await h.close()
  })

  it('stores a first submission on a valid invite and acknowledges it with the constant answer', async () => {
    const token = newToken()
    await h.invite(Q, [token])
    const response = await h.submit(token, sealed)
    expect(response.status).toBe(200)
    expect(await response.text()).toBe(CONSTANT_ACK)
    expect(response.headers.get('clear-site-data')).toBe('"cache", "storage"')
    expectSecurityHeaders(response)
    const items = (await pull(h)).filter((item) => item.tokenHash === tokenHashOf(token))
    expect(items).toHaveLength(1)
    expect(items[0]?.kind).toBe('submission')
    expect(Buffer.from(items[0]?.ciphertext ?? '', 'base64').equals(sealed)).toBe(true)
  })

  it('answers fresh, used, expired, revoked and forged invites byte for byte the same, storing only the first', async () => {
    const [fresh, used, expired, revoked] = [newToken(), newToken(), newToken(), newToken()]
    await h.invite(Q, [fresh, used, revoked])
    await h.invite(Q, [expired], '2026-11-25')
    await h.revoke([revoked])
    expect((await h.submit(used, sealed)).status).toBe(200)
    const other = await seal('another testimony', recipients)

    const answers = await Promise.all([
      h.submit(fresh, other),
      h.submit(used, other),
      h.submit(expired, other),
      h.submit(revoked, other),
      h.submit(newToken(), other),
    ])
    const snapshots = await Promise.all(answers.map(snapshot))
    expect(new Set(snapshots).size).toBe(1)
    expect(answers[0]?.status).toBe(200)

    const items = await pull(h)
    const byToken = (token: string) => items.filter((item) => item.tokenHash === tokenHashOf(token))
    expect(byToken(fresh).map((item) => item.kind)).toEqual(['submission'])
    expect(byToken(used).map((item) => item.kind)).toEqual(['submission', 'quarantine'])
    expect(byToken(expired)).toEqual([])
    expect(byToken(revoked)).toEqual([])
  })

  it('stores an identical retry once and quarantines a different body under the same id', async () => {
    const token = newToken()
    await h.invite(Q, [token])
    const id = newRandomId()
    for (let attempt = 0; attempt < 3; attempt++) expect((await h.submit(token, sealed, id)).status).toBe(200)
    const changed = await seal('changed', recipients)
    expect((await h.submit(token, changed, id)).status).toBe(200)
    expect((await h.submit(token, changed, id)).status).toBe(200)
    const kinds = (await pull(h)).filter((item) => item.tokenHash === tokenHashOf(token)).map((item) => item.kind)
    expect(kinds).toEqual(['submission', 'quarantine'])
  })

  it('keeps at most one submission per invite in the main set however many arrive at once', async () => {
    const token = newToken()
    await h.invite(Q, [token])
    const bodies = await Promise.all(Array.from({ length: 8 }, (_, i) => seal(`attempt ${String(i)}`, recipients)))
    const answers = await Promise.all(bodies.map((body) => h.submit(token, body)))
    expect(answers.every((answer) => answer.status === 200)).toBe(true)
    const mine = (await pull(h)).filter((item) => item.tokenHash === tokenHashOf(token))
    expect(mine.filter((item) => item.kind === 'submission')).toHaveLength(1)
    // Five quarantined at most per invite; the rest discarded.
    expect(mine.filter((item) => item.kind === 'quarantine')).toHaveLength(5)
  })

  it('refuses what is not an age file with the published stanza count, whatever the invite', async () => {
    const token = newToken()
    await h.invite(Q, [token])
    const bad = [
      Buffer.from('{"answers":{"q1":"plain text, not sealed"}}'),
      await sealRandom(100, newRecipients(1)),
      await sealRandom(100, newRecipients(3)),
      // The header and a payload too short to hold one authenticated chunk.
      sealed.subarray(0, sealed.indexOf('\n---') + 49 + 20),
      Buffer.from(sealed.toString('latin1').replace('X25519', 'scrypt'), 'latin1'),
    ]
    for (const body of bad) {
      for (const who of [token, newToken()]) {
        const response = await h.submit(who, body)
        expect(response.status).toBe(400)
        expect(await response.json()).toEqual({ error: 'intake.rejected', message: expect.any(String) })
        expectSecurityHeaders(response)
      }
    }
    expect((await pull(h)).filter((item) => item.tokenHash === tokenHashOf(token))).toEqual([])
  })

  it('refuses a malformed header line and a wrong content type', async () => {
    const token = newToken()
    const bodies = [
      framed({ v: 2, token, id: newRandomId() }, sealed),
      framed({ v: 1, token: token.toUpperCase(), id: newRandomId() }, sealed),
      framed({ v: 1, token, id: newRandomId(), extra: 1 }, sealed),
      Buffer.concat([Buffer.from([0xff, 0xfe, 0x0a]), sealed]),
      sealed,
    ]
    for (const body of bodies) {
      const response = await h.app.request('/api/submissions', { method: 'POST', headers: { 'content-type': SEALED }, body: asBody(body) })
      expect(response.status).toBe(400)
    }
    const wrongType = await h.app.request('/api/submissions', {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: framed({ v: 1, token, id: newRandomId() }, sealed),
    })
    expect(wrongType.status).toBe(415)
  })

  it('answers 413 to a body over the limit, declared or not', async () => {
    const big = Buffer.alloc(4 * 1024 * 1024, 0x61)
    const declared = await h.app.request('/api/submissions', {
      method: 'POST',
      headers: { 'content-type': SEALED, 'content-length': String(big.length) },
      body: asBody(big),
    })
    expect(declared.status).toBe(413)
    const streamed = await h.app.request('/api/submissions', {
      method: 'POST',
      headers: { 'content-type': SEALED },
      body: new ReadableStream({
        start(controller) {
          for (let at = 0; at < big.length; at += 65536) controller.enqueue(big.subarray(at, at + 65536))
          controller.close()
        },
      }),
      duplex: 'half',
    } as RequestInit)
    expect(streamed.status).toBe(413)
    expectSecurityHeaders(streamed)
  })

  it('accepts an attachment in chunks, reports progress, and serves it to the analysts only', async () => {
    const token = newToken()
    await h.invite(Q, [token])
    const file = await sealRandom(2.5 * 1024 * 1024, recipients)
    const upload = newRandomId()
    const chunks = [file.subarray(0, 1 << 20), file.subarray(1 << 20, 2 << 20), file.subarray(2 << 20)]
    expect((await h.chunk(token, upload, 1, 3, chunks[1]!)).status).toBe(200)
    const status = await h.app.request('/api/chunks/status', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ v: 1, token, upload }),
    })
    expect(await status.json()).toEqual({ received: [1] })
    expect((await h.chunk(token, upload, 0, 3, chunks[0]!)).status).toBe(200)
    expect((await h.chunk(token, upload, 0, 3, chunks[0]!)).status).toBe(200)
    expect((await h.admin('GET', `/api/admin/uploads/${upload}`)).status).toBe(404)
    const last = await h.chunk(token, upload, 2, 3, chunks[2]!)
    expect(last.status).toBe(200)
    expect(last.headers.get('clear-site-data')).toBeNull()

    const download = await h.admin('GET', `/api/admin/uploads/${upload}`)
    expect(download.status).toBe(200)
    expect(Buffer.from(await download.arrayBuffer()).equals(file)).toBe(true)
    expect((await h.app.request(`/api/admin/uploads/${upload}`)).status).toBe(401)
    const entry = (await chain(h)).find((e) => e.kind === 'upload' && e.itemId === upload)
    expect(entry).toBeDefined()

    const forged = await h.app.request('/api/chunks/status', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ v: 1, token: newToken(), upload }),
    })
    expect(await forged.json()).toEqual({ received: [] })
  })

  it('refuses chunks that cannot be slices of one age file', async () => {
    const token = newToken()
    const file = await sealRandom(1.5 * 1024 * 1024, recipients)
    const upload = newRandomId()
    expect((await h.chunk(token, upload, 0, 2, file.subarray(0, 1000))).status).toBe(400) // short, not last
    expect((await h.chunk(token, upload, 2, 2, file.subarray(0, 1000))).status).toBe(400) // index past count
    expect((await h.chunk(token, upload, 0, 2, Buffer.alloc(1 << 20, 0x61))).status).toBe(400) // no age header
    expect((await h.chunk(token, upload, 0, 4000, file.subarray(0, 1 << 20))).status).toBe(413) // too many chunks
  })

  it('keeps a hash chain that verifies and records deletions, after which items are gone', async () => {
    const token = newToken()
    await h.invite(Q, [token])
    const id = newRandomId()
    await h.submit(token, sealed, id)
    const before = await pull(h)
    const mine = before.find((item) => item.tokenHash === tokenHashOf(token))!
    const response = await h.admin('POST', '/api/admin/submissions/delete', { ids: [mine.id, newRandomId()] })
    expect(await response.json()).toEqual({ deleted: [mine.id], seq: expect.any(Number) })
    const entries = await chain(h)
    expect(chainProblem({ seq: 0, hash: '0'.repeat(64) }, entries)).toBeNull()
    const deletion = entries[entries.length - 1]!
    expect(deletion.kind).toBe('deletion')
    expect(deletion.deletedIds).toEqual([mine.id])
    expect((await pull(h)).some((item) => item.id === mine.id)).toBe(false)
    // A retry of the deleted submission is still recognised as a retry, not a second submission.
    await h.submit(token, sealed, id)
    expect((await pull(h)).filter((item) => item.tokenHash === tokenHashOf(token))).toEqual([])
    expect((await h.store.check()).ok).toBe(true)
  })

  it('requires the credential on every admin route and nowhere else', async () => {
    const routes: [string, string][] = [
      ['GET', '/api/admin/chain'],
      ['GET', '/api/admin/submissions'],
      ['GET', `/api/admin/uploads/${newRandomId()}`],
      ['POST', '/api/admin/invites'],
      ['POST', '/api/admin/invites/revoke'],
      ['POST', '/api/admin/submissions/delete'],
      ['PUT', `/api/admin/questionnaires/${Q}`],
    ]
    for (const [method, path] of routes) {
      for (const authorization of [undefined, 'Bearer wrong', `Bearer ${h.credential}x`, h.credential]) {
        const response = await h.app.request(path, { method, headers: authorization === undefined ? {} : { authorization } })
        expect(response.status).toBe(401)
        expectSecurityHeaders(response)
      }
    }
    const published = await h.app.request(`/q/${Q}`)
    expect(published.status).toBe(200)
    expectSecurityHeaders(published)
  })

  it('serves the published questionnaire exactly as published and refuses a mismatched one', async () => {
    const document = signedQuestionnaire('other-q', recipients)
    const text = `${JSON.stringify(document, null, 2)}\n`
    const put = await h.app.request('/api/admin/questionnaires/other-q', {
      method: 'PUT',
      headers: { authorization: `Bearer ${h.credential}`, 'content-type': 'application/json' },
      body: text,
    })
    expect(put.status).toBe(200)
    expect(await (await h.app.request('/q/other-q')).text()).toBe(text)
    expect((await h.admin('PUT', '/api/admin/questionnaires/third-q', document)).status).toBe(400)
    expect((await h.admin('PUT', '/api/admin/questionnaires/other-q', { document: {} })).status).toBe(400)
    expect((await h.app.request('/q/unknown-q')).status).toBe(404)
    const invites = await h.admin('POST', '/api/admin/invites', {
      questionnaireId: 'unknown-q',
      invites: [{ tokenHash: tokenHashOf(newToken()), expiresOn: '2027-01-01' }],
    })
    expect(invites.status).toBe(404)
  })

  it('limits each invite, whatever state it is in', async () => {
    const limited = await openHarness({ rateLimits: { perInviteBurst: 3, perInvitePerSecond: 0.001, globalBurst: 1000, globalPerSecond: 1000 } })
    try {
      await limited.publish(Q, recipients)
      const real = newToken()
      await limited.invite(Q, [real])
      for (const token of [real, newToken()]) {
        const statuses = []
        for (let i = 0; i < 5; i++) statuses.push((await limited.submit(token, sealed)).status)
        expect(statuses).toEqual([200, 200, 200, 429, 429])
      }
    } finally {
      await limited.close()
    }
  })
})

describe('intake app, timing', () => {
  it("answers every invite state only after the one commit that holds all their writes (T16)", async () => {
    const batches: number[] = []
    const h = await openHarness({
      groupCommit: { maxDelayMs: 100 },
      wrapStore: (store) =>
        overriding(store, {
          applyBatch: async (...args) => {
            const outcomes = await store.applyBatch(...args)
            batches.push(args[0].length)
            return outcomes
          },
        }),
    })
    try {
      const recipients = newRecipients(2)
      await h.publish(Q, recipients)
      const [fresh, used, expired, revoked] = [newToken(), newToken(), newToken(), newToken()]
      await h.invite(Q, [fresh, used, revoked])
      await h.invite(Q, [expired], '2026-01-01')
      await h.revoke([revoked])
      const body = await seal('x', recipients)
      await h.submit(used, body)
      batches.length = 0
      const answeredAfter: number[] = []
      await Promise.all(
        [fresh, used, expired, revoked, newToken()].map(async (token) => {
          await h.submit(token, body)
          answeredAfter.push(batches.length)
        }),
      )
      expect(batches).toEqual([5])
      expect(answeredAfter).toEqual([1, 1, 1, 1, 1])
    } finally {
      await h.close()
    }
  })
})

describe('intake app, static page', () => {
  it('serves the page from memory with the same strict headers, and nothing outside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amanat-intake-page-'))
    mkdirSync(join(dir, 'assets'))
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title><script src="/assets/app.js"></script>')
    writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)')
    writeFileSync(join(dir, 'assets', 'app.css'), 'body{}')
    const h = await openHarness({ staticFiles: loadStaticFiles(dir) })
    try {
      const index = await h.app.request('/')
      expect(index.status).toBe(200)
      expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect(await index.text()).toContain('<script src="/assets/app.js">')
      expectSecurityHeaders(index)
      const script = await h.app.request('/assets/app.js')
      expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8')
      expectSecurityHeaders(script)
      for (const path of ['/assets/../index.html', '/assets/%2e%2e/index.html', '/missing.js', '/assets', '/.well-known/x']) {
        const response = await h.app.request(path)
        if (response.status === 200) expect(await response.text()).toContain('<!doctype html>')
        else {
          expect(response.status).toBe(404)
          expectSecurityHeaders(response)
        }
      }
      expect((await h.app.request('/', { method: 'HEAD' })).status).toBe(200)
      expect((await h.app.request('/', { method: 'POST' })).status).toBe(404)
    } finally {
      await h.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('intake app, compressed page', () => {
  it('sends the page gzip-compressed to a browser that accepts it, and plain to one that does not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amanat-intake-gzip-'))
    const script = `const answers = new Map();\n${'function f() { return answers.size }\n'.repeat(200)}`
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>t</title>')
    writeFileSync(join(dir, 'app.js'), script)
    writeFileSync(join(dir, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]))
    const h = await openHarness({ staticFiles: loadStaticFiles(dir) })
    try {
      const zipped = await h.app.request('/app.js', { headers: { 'Accept-Encoding': 'br, gzip' } })
      expect(zipped.headers.get('content-encoding')).toBe('gzip')
      expect(zipped.headers.get('vary')).toBe('Accept-Encoding')
      const bytes = Buffer.from(await zipped.arrayBuffer())
      expect(bytes.length).toBeLessThan(Buffer.byteLength(script) / 4)
      expect(gunzipSync(bytes).toString('utf8')).toBe(script)
      expectSecurityHeaders(zipped)
      const plain = await h.app.request('/app.js')
      expect(plain.headers.get('content-encoding')).toBeNull()
      expect(await plain.text()).toBe(script)
      const image = await h.app.request('/logo.png', { headers: { 'Accept-Encoding': 'gzip' } })
      expect(image.headers.get('content-encoding')).toBeNull()
    } finally {
      await h.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('intake app, failing closed', () => {
  it('never acknowledges once a commit failed, and accepts nothing after', async () => {
    let fail = false
    const h = await openHarness({
      wrapStore: (store) =>
        overriding(store, {
          applyBatch: (...args) => (fail ? Promise.reject(new Error('EIO: simulated fsync failure')) : store.applyBatch(...args)),
        }),
    })
    try {
      const recipients = newRecipients(1)
      await h.publish(Q, recipients)
      const token = newToken()
      await h.invite(Q, [token])
      const body = await seal('x', recipients)
      fail = true
      const during = await Promise.all([h.submit(token, body), h.submit(newToken(), body)])
      expect(during.map((r) => r.status)).toEqual([503, 503])
      fail = false
      const after = await h.submit(token, body)
      expect(after.status).toBe(503)
      expect(await after.json()).toEqual({ error: 'intake.unavailable', message: expect.any(String) })
      expect(h.committer.failed).toBe(true)
    } finally {
      await h.close()
    }
  })
})
