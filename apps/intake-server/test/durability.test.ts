import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sized } from '../../../tools/test-support/profile.ts'
import { openSqliteStore, sha256Hex } from '../src/index.ts'
import { newRecipients, sealRandom } from './support/age.ts'
import { startChildServer, type ChildServer } from './support/child-server.ts'
import { AdminClient, postChunk, postHead, postSubmission, rawRequest, SEALED } from './support/client.ts'
import { framed, newRandomId, newToken, tokenHashOf } from './support/fixtures.ts'

/**
 * T01: `kill -9` of the server process under sustained load loses no acknowledged submission,
 * and the store passes its integrity check after every crash. T04: retries after connections
 * reset mid-upload store each submission exactly once.
 */

const Q = 'durability-q'
const KiB = 1024

interface Acked {
  readonly tokenHash: string
  readonly sha256: string
}

describe('durability of the bundled server (SQLite)', () => {
  let dataDir: string
  let recipients: string[]
  let pool: Buffer[]

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'amanat-intake-durability-'))
    recipients = newRecipients(2)
    // Sealed sizes of the page's smaller buckets (the largest ones would only slow the loop).
    pool = await Promise.all([4, 4, 16, 16, 64, 256].map((k) => sealRandom(k * KiB, recipients)))
  })
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true })
  })

  it(`loses no acknowledged submission over ${String(sized(25, 200))} kill -9 under load (T01)`, async () => {
    const kills = sized(25, 200)
    let server: ChildServer = await startChildServer(['--data', dataDir, '--port', '0'])
    const admin = new AdminClient(server.url, server.credential!)
    await admin.publish(Q, recipients)
    const tokens = Array.from({ length: sized(20_000, 150_000) }, newToken)
    await admin.invite(Q, tokens)

    const acked: Acked[] = []
    const retry: { token: string; id: string; body: Buffer }[] = []
    let nextToken = 0
    let url = server.url
    let running = true
    const sender = async () => {
      while (running) {
        if (retry.length === 0 && nextToken >= tokens.length) {
          // Every invite has been used: the load continues only with retries.
          await new Promise((resolve) => setTimeout(resolve, 50))
          continue
        }
        const job = retry.shift() ?? { token: tokens[nextToken++]!, id: newRandomId(), body: pool[nextToken % pool.length]! }
        if (nextToken % 10 === 0) {
          // Some attachment chunks too, so crashes also land in the middle of uploads.
          await postChunk(url, { token: job.token, upload: newRandomId(), index: 0, count: 1 }, pool[0]!)
        }
        const status = await postSubmission(url, job.token, job.id, job.body)
        if (status === 200) acked.push({ tokenHash: tokenHashOf(job.token), sha256: sha256Hex(job.body) })
        else if (status === null || status === 503) {
          retry.push(job)
          await new Promise((resolve) => setTimeout(resolve, 20))
        } else throw new Error(`unexpected status ${String(status)}`)
      }
    }
    const senders = Array.from({ length: 16 }, sender)

    try {
      for (let kill = 0; kill < kills; kill++) {
        await new Promise((resolve) => setTimeout(resolve, 200 + Math.random() * 800))
        server.process.kill('SIGKILL')
        await server.exited
        // The store as the next start will find it: integrity, chain and every item's hash.
        const store = await openSqliteStore(dataDir, { uploadsPerInvite: 10, quarantinePerInvite: 5 })
        const check = await store.check()
        await store.close()
        expect(check.problems).toEqual([])
        server = await startChildServer(['--data', dataDir, '--port', '0'])
        expect(server.credential).toBeNull()
        url = server.url
        admin.url = server.url
      }
      running = false
      await Promise.all(senders)
      const stored = new Set(
        (await admin.pullAll()).filter((item) => item.kind === 'submission').map((item) => `${item.tokenHash} ${item.sha256}`),
      )
      const lost = acked.filter((a) => !stored.has(`${a.tokenHash} ${a.sha256}`))
      expect(acked.length).toBeGreaterThan(kills * 10)
      expect(lost).toEqual([])
    } finally {
      running = false
      await server.stop()
    }
    // Each kill restarts the bundled server (a new Node process): about 2 s each on a slow 2-core
    // machine, so 25 kills came within seconds of the suite's 60 s default there.
  }, sized(25, 200) * 6_000)

  it(`stores each submission exactly once when uploads are cut off and retried (T04)`, async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amanat-intake-resets-'))
    const server = await startChildServer(['--data', dir, '--port', '0'])
    try {
      const admin = new AdminClient(server.url, server.credential!)
      await admin.publish(Q, recipients)
      const count = sized(200, 1000)
      const jobs = Array.from({ length: count }, (_, i) => ({ token: newToken(), id: newRandomId(), body: pool[i % pool.length]! }))
      await admin.invite(Q, jobs.map((job) => job.token))
      let resets = 0
      const send = async (job: (typeof jobs)[number]) => {
        const payload = framed({ v: 1, token: job.token, id: job.id }, job.body)
        const head = postHead(server.url, '/api/submissions', SEALED, payload.length)
        for (let attempt = 0; attempt < 5; attempt++) {
          if (attempt < 4 && Math.random() < 0.5) {
            resets++
            await rawRequest(server.url, head, payload, { cutAt: Math.floor(Math.random() * payload.length) })
            continue
          }
          const answer = await rawRequest(server.url, head, payload)
          if (answer?.status === 200) return
        }
        throw new Error('a submission was never acknowledged')
      }
      for (let at = 0; at < jobs.length; at += 20) await Promise.all(jobs.slice(at, at + 20).map(send))
      // Deliberate replays of acknowledged submissions.
      for (let i = 0; i < sized(50, 200); i++) expect(await postSubmission(server.url, jobs[i % count]!.token, jobs[i % count]!.id, jobs[i % count]!.body)).toBe(200)

      const items = await admin.pullAll()
      expect(resets).toBeGreaterThan(count / 4)
      expect(items.filter((item) => item.kind === 'quarantine')).toEqual([])
      expect(items.map((item) => `${item.tokenHash} ${item.sha256}`).sort()).toEqual(
        jobs.map((job) => `${tokenHashOf(job.token)} ${sha256Hex(job.body)}`).sort(),
      )
    } finally {
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
