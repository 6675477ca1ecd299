import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sized } from '../../../tools/test-support/profile.ts'
import { postgresAvailable } from '../../../tools/test-support/services.ts'
import { chainProblem, sha256Hex } from '../src/index.ts'
import { newRecipients, seal, sealRandom } from './support/age.ts'
import { startChildServer, type ChildServer } from './support/child-server.ts'
import { AdminClient, postChunk, postSubmission } from './support/client.ts'
import { newRandomId, newToken, tokenHashOf } from './support/fixtures.ts'
import { postgresSite, type StoreSite } from './support/stores.ts'

/**
 * Several bundled server processes on one PostgreSQL: submissions, retries of them and second
 * submissions arrive at any process, concurrently, while one process is killed; none is lost,
 * none stored twice, at most one per invite in the main set, and the chain holds.
 */

const Q = 'cluster-q'

describe.skipIf(!(await postgresAvailable()))('three intake servers sharing one PostgreSQL', () => {
  let site: StoreSite
  let servers: ChildServer[] = []
  let admin: AdminClient
  let recipients: string[]
  let credential: string

  beforeAll(async () => {
    site = postgresSite()
    if (!('postgresUrl' in site.location)) throw new Error('expected a PostgreSQL site')
    const args = ['--data', '/nonexistent-unused', '--postgres', site.location.postgresUrl, '--port', '0']
    servers = await Promise.all([startChildServer(args), startChildServer(args), startChildServer(args)])
    const credentials = servers.map((s) => s.credential).filter((c) => c !== null)
    expect(credentials).toHaveLength(1)
    credential = credentials[0]!
    admin = new AdminClient(servers[0]!.url, credential)
    recipients = newRecipients(2)
    await admin.publish(Q, recipients)
  })
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()))
    await site.dispose()
  })

  it('loses and duplicates nothing, with one submission per invite, while a process is killed', async () => {
    const count = sized(300, 3000)
    const jobs = await Promise.all(
      Array.from({ length: count }, async (_, i) => ({
        token: newToken(),
        id: newRandomId(),
        body: await seal(`testimony ${String(i)}`.padEnd(4096, ' '), recipients),
        second: i % 5 === 0 ? await seal(`second ${String(i)}`, recipients) : null,
      })),
    )
    await admin.invite(Q, jobs.map((job) => job.token))
    const acked: { tokenHash: string; sha256: string }[] = []
    const victim = servers[2]!
    const send = async (job: (typeof jobs)[number], i: number) => {
      const targets = [servers[i % 3]!, servers[(i + 1) % 3]!]
      // The same submission to two processes at once (a retry racing the original), and for some a
      // different one to the third.
      const attempts = [
        ...targets.map(async (server) => ({ status: await postSubmission(server.url, job.token, job.id, job.body), body: job.body })),
        ...(job.second === null ? [] : [(async () => ({ status: await postSubmission(servers[(i + 2) % 3]!.url, job.token, newRandomId(), job.second!), body: job.second! }))()]),
      ]
      for (const { status, body } of await Promise.all(attempts)) {
        if (status === 200) acked.push({ tokenHash: tokenHashOf(job.token), sha256: sha256Hex(body) })
      }
    }
    for (let at = 0; at < jobs.length; at += 30) {
      if (at >= jobs.length / 2 && victim.process.exitCode === null && victim.process.signalCode === null) victim.process.kill('SIGKILL')
      await Promise.all(jobs.slice(at, at + 30).map((job, k) => send(job, at + k)))
    }

    const reader = new AdminClient(servers[1]!.url, credential)
    const items = await reader.pullAll()
    const main = items.filter((item) => item.kind === 'submission')
    expect(new Set(main.map((item) => item.tokenHash)).size).toBe(main.length)
    expect(main).toHaveLength(count)
    const keys = items.map((item) => `${item.tokenHash} ${item.sha256}`)
    expect(new Set(keys).size).toBe(keys.length)
    const stored = new Set(keys)
    expect(acked.filter((a) => !stored.has(`${a.tokenHash} ${a.sha256}`))).toEqual([])
    expect(acked.length).toBeGreaterThan(count)
    expect(chainProblem({ seq: 0, hash: '0'.repeat(64) }, await reader.chain())).toBeNull()
    const store = await site.open()
    try {
      expect((await store.check()).problems).toEqual([])
    } finally {
      await store.close()
    }
  })

  it('takes an upload through one process and serves it and its deletion through the others', async () => {
    const token = newToken()
    await admin.invite(Q, [token])
    const file = await sealRandom(1.5 * 1024 * 1024, recipients)
    const upload = newRandomId()
    const [a, b] = [servers[0]!, servers[1]!]
    expect(await postChunk(a.url, { token, upload, index: 0, count: 2 }, file.subarray(0, 1 << 20))).toBe(200)
    expect(await postChunk(b.url, { token, upload, index: 1, count: 2 }, file.subarray(1 << 20))).toBe(200)
    const download = await fetch(`${b.url}/api/admin/uploads/${upload}`, { headers: { authorization: `Bearer ${credential}` } })
    expect(Buffer.from(await download.arrayBuffer()).equals(file)).toBe(true)
    const deleted = await fetch(`${a.url}/api/admin/submissions/delete`, {
      method: 'POST',
      headers: { authorization: `Bearer ${credential}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ids: [upload] }),
    })
    expect(((await deleted.json()) as { deleted: string[] }).deleted).toEqual([upload])
    expect((await fetch(`${b.url}/api/admin/uploads/${upload}`, { headers: { authorization: `Bearer ${credential}` } })).status).toBe(404)
    expect((await admin.chain()).at(-1)).toMatchObject({ kind: 'deletion', deletedIds: [upload] })
  })
})
