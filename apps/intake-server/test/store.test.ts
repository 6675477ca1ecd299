import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { chainProblem, sha256Hex, type IntakeStore, type IntakeWrite } from '../src/index.ts'
import { newRandomId, newToken, signedQuestionnaire, tokenHashOf } from './support/fixtures.ts'
import { storeSites, type StoreSite } from './support/stores.ts'

const DAY = '2026-11-26'
const Q = 'store-q'

function submission(token: string, body: Buffer, clientId = newRandomId(), recipients = 2): IntakeWrite {
  return { kind: 'submission', tokenHash: tokenHashOf(token), clientId, recipients, body, bodyHash: sha256Hex(body) }
}

function chunk(token: string, uploadId: string, index: number, count: number, body: Buffer): IntakeWrite {
  return { kind: 'chunk', tokenHash: tokenHashOf(token), uploadId, index, count, body }
}

async function verifiedChain(store: IntakeStore) {
  const entries = await store.chainAfter(0, 10_000)
  expect(chainProblem({ seq: 0, hash: '0'.repeat(64) }, entries)).toBeNull()
  return entries
}

const sites = await storeSites()

describe.each(sites)('intake store on $name', ({ make: makeSite }) => {
  let site: StoreSite
  let store: IntakeStore

  const invite = async (tokens: string[], expiresOn = '2026-12-31') => {
    expect(await store.addInvites(Q, tokens.map((t) => ({ tokenHash: tokenHashOf(t), expiresOn })))).toBe(tokens.length)
  }

  beforeEach(async () => {
    site = makeSite()
    store = await site.open()
    await store.publishQuestionnaire(Q, JSON.stringify(signedQuestionnaire(Q, [])), 2, DAY)
  })
  afterEach(async () => {
    await store.close()
    await site.dispose()
  })

  it("decides each submission by its invite's state", async () => {
    const [fresh, used, expired, revoked] = [newToken(), newToken(), newToken(), newToken()]
    await invite([fresh, used, revoked])
    await invite([expired], '2026-11-25')
    expect(await store.revokeInvites([tokenHashOf(revoked), tokenHashOf(newToken())])).toBe(1)
    const first = randomBytes(300)
    const usedId = newRandomId()
    expect(await store.applyBatch([submission(used, first, usedId)], DAY)).toEqual(['stored'])

    const other = randomBytes(300)
    const outcomes = await store.applyBatch(
      [
        submission(fresh, other),
        submission(used, first, usedId),
        submission(used, other, usedId),
        submission(used, other),
        submission(expired, other),
        submission(revoked, other),
        submission(newToken(), other),
        { kind: 'barrier' },
      ],
      DAY,
    )
    expect(outcomes).toEqual(['stored', 'repeated', 'quarantined', 'quarantined', 'discarded', 'discarded', 'discarded', 'discarded'])
    const items = await store.itemsAfter(0, 100, 1 << 30)
    expect(items.map((i) => [i.kind, i.tokenHash])).toEqual([
      ['submission', tokenHashOf(used)],
      ['submission', tokenHashOf(fresh)],
      ['quarantine', tokenHashOf(used)],
      ['quarantine', tokenHashOf(used)],
    ])
    const entries = await verifiedChain(store)
    expect(entries.map((e) => [e.seq, e.kind, e.itemId, e.itemHash])).toEqual(items.map((i) => [i.seq, i.kind, i.id, i.sha256]))
    expect((await store.check()).ok).toBe(true)
  })

  it('stores one submission per invite when several race in one batch, quarantining up to the cap', async () => {
    const token = newToken()
    await invite([token])
    const writes = Array.from({ length: 5 }, () => submission(token, randomBytes(100)))
    expect(await store.applyBatch(writes, DAY)).toEqual(['stored', 'quarantined', 'quarantined', 'discarded', 'discarded'])
    // A repeated quarantined body stays one item.
    expect(await store.applyBatch([writes[1]!], DAY)).toEqual(['repeated'])
  })

  it("keeps aside a submission whose stanza count is another questionnaire's", async () => {
    const token = newToken()
    await invite([token])
    expect(await store.applyBatch([submission(token, randomBytes(50), newRandomId(), 3)], DAY)).toEqual(['quarantined'])
    expect(await store.applyBatch([submission(token, randomBytes(50))], DAY)).toEqual(['stored'])
    await store.publishQuestionnaire(Q, '{}', 3, DAY)
    expect([...(await store.recipientCounts())].sort()).toEqual([2, 3])
  })

  it('assembles uploads and puts each completed one in the chain', async () => {
    const [token, other] = [newToken(), newToken()]
    await invite([token, other])
    const upload = newRandomId()
    const parts = [randomBytes(1000), randomBytes(1000), randomBytes(10)]
    expect(await store.applyBatch([chunk(token, upload, 2, 3, parts[2]!), chunk(token, upload, 0, 3, parts[0]!)], DAY)).toEqual(['stored', 'stored'])
    expect(await store.uploadProgress(tokenHashOf(token), upload, DAY)).toEqual([0, 2])
    expect(await store.uploadProgress(tokenHashOf(other), upload, DAY)).toEqual([])
    expect(await store.findUpload(upload)).toBeNull()
    expect(
      await store.applyBatch(
        [chunk(other, upload, 1, 3, parts[1]!), chunk(token, upload, 1, 4, parts[1]!), chunk(token, upload, 0, 3, parts[0]!), chunk(token, upload, 1, 3, parts[1]!)],
        DAY,
      ),
    ).toEqual(['discarded', 'discarded', 'repeated', 'stored'])
    const file = Buffer.concat(parts)
    expect((await store.findUpload(upload))?.equals(file)).toBe(true)
    const entries = await verifiedChain(store)
    expect(entries.at(-1)).toMatchObject({ kind: 'upload', itemId: upload, itemHash: sha256Hex(file) })
    expect((await store.check()).ok).toBe(true)
  })

  it('limits the uploads one invite may start', async () => {
    const token = newToken()
    await invite([token])
    const writes = Array.from({ length: 5 }, () => chunk(token, newRandomId(), 0, 2, randomBytes(10)))
    expect(await store.applyBatch(writes, DAY)).toEqual(['stored', 'stored', 'stored', 'discarded', 'discarded'])
  })

  it('deletes pulled items and uploads, recording the deletion in the chain', async () => {
    const token = newToken()
    await invite([token])
    const upload = newRandomId()
    await store.applyBatch([chunk(token, upload, 0, 1, randomBytes(20)), submission(token, randomBytes(40))], DAY)
    const [item] = await store.itemsAfter(0, 10, 1 << 20)
    const unknown = newRandomId()
    const result = await store.deleteItems([item!.id, upload, unknown], '2026-11-27')
    expect(result.deleted).toEqual([item!.id, upload].sort())
    const entries = await verifiedChain(store)
    expect(entries.at(-1)).toMatchObject({
      seq: result.seq,
      kind: 'deletion',
      day: '2026-11-27',
      itemHash: sha256Hex([item!.id, upload].sort().join('\n')),
      deletedIds: [item!.id, upload].sort(),
    })
    expect(await store.itemsAfter(0, 10, 1 << 20)).toEqual([])
    expect(await store.findUpload(upload)).toBeNull()
    expect((await store.deleteItems([unknown], DAY)).seq).toBeNull()
    expect((await store.check()).ok).toBe(true)
  })

  it('finds items by id to delete them after later batches and after reopening, and checks the id of what it deletes', async () => {
    const tokens = Array.from({ length: 6 }, () => newToken())
    await invite(tokens)
    await store.applyBatch(tokens.slice(0, 3).map((t) => submission(t, randomBytes(50))), DAY)
    const first = await store.itemsAfter(0, 10, 1 << 20)
    // The first deletion reads where the items are; the later ones must also see what came after.
    expect((await store.deleteItems([first[0]!.id], DAY)).deleted).toEqual([first[0]!.id])
    await store.applyBatch(tokens.slice(3).map((t) => submission(t, randomBytes(50))), DAY)
    const later = (await store.itemsAfter(0, 10, 1 << 20)).filter((item) => item.seq > first[2]!.seq)
    expect(later).toHaveLength(3)
    expect((await store.deleteItems([first[1]!.id, later[0]!.id], DAY)).deleted).toEqual([first[1]!.id, later[0]!.id].sort())
    // Already deleted: nothing to do, no deletion entry.
    expect((await store.deleteItems([first[0]!.id], DAY)).seq).toBeNull()

    await store.close()
    store = await site.open()
    expect((await store.deleteItems([later[1]!.id], DAY)).deleted).toEqual([later[1]!.id])

    // An item whose row no longer carries the id it was stored under is not deleted by that id.
    const param = site.dialect === 'sqlite' ? '?' : '$1'
    await site.raw(`update items set id = 'zzzzzzzzzzzzzzzzzzzzzzzzzz' where id = ${param}`, [first[2]!.id])
    expect((await store.deleteItems([first[2]!.id], DAY)).deleted).toEqual([])
    expect((await store.itemsAfter(0, 10, 1 << 20)).map((item) => item.seq)).toEqual([first[2]!.seq, later[2]!.seq])
  })

  it('remembers used invites and their quarantine counts across reopening', async () => {
    const [token, other] = [newToken(), newToken()]
    await invite([token, other])
    const body = randomBytes(100)
    const clientId = newRandomId()
    expect(await store.applyBatch([submission(token, body, clientId)], DAY)).toEqual(['stored'])
    await store.close()
    store = await site.open()
    expect(await store.applyBatch([submission(token, body, clientId), submission(token, randomBytes(100))], DAY)).toEqual(['repeated', 'quarantined'])
    await store.close()
    store = await site.open()
    // The cap is 2 per invite (LIMITS): one more, then nothing; the other invite is untouched.
    expect(await store.applyBatch([submission(token, randomBytes(100))], DAY)).toEqual(['quarantined'])
    expect(await store.applyBatch([submission(token, randomBytes(100)), submission(other, body)], DAY)).toEqual(['discarded', 'stored'])
    await store.close()
    store = await site.open()
    expect(await store.applyBatch([submission(token, randomBytes(100)), submission(other, randomBytes(100))], DAY)).toEqual(['discarded', 'quarantined'])
  })

  it('purges uploads no submission can reference after a day', async () => {
    const [lonely, submitted] = [newToken(), newToken()]
    await invite([lonely, submitted])
    const [complete, incomplete, kept] = [newRandomId(), newRandomId(), newRandomId()]
    await store.applyBatch(
      [
        chunk(lonely, complete, 0, 1, randomBytes(10)),
        chunk(lonely, incomplete, 0, 2, randomBytes(10)),
        chunk(submitted, kept, 0, 1, randomBytes(10)),
        submission(submitted, randomBytes(10)),
      ],
      DAY,
    )
    expect(await store.purgeUploads('2026-11-27')).toBe(0)
    expect(await store.purgeUploads('2026-11-28')).toBe(2)
    expect(await store.findUpload(kept)).not.toBeNull()
    expect(await store.findUpload(complete)).toBeNull()
    const entries = await verifiedChain(store)
    expect(entries.at(-1)).toMatchObject({ kind: 'deletion', deletedIds: [complete] })
    expect((await store.check()).ok).toBe(true)
  })

  it('rolls back everything when asked not to commit (benchmarks)', async () => {
    const token = newToken()
    await invite([token])
    expect(await store.applyBatch([submission(token, randomBytes(10))], DAY, { commit: false })).toEqual(['stored'])
    expect(await store.itemsAfter(0, 10, 1 << 20)).toEqual([])
    expect(await store.applyBatch([submission(token, randomBytes(10))], DAY)).toEqual(['stored'])
  })

  it('detects a modified item, and a removed entry', async () => {
    const tokens = [newToken(), newToken(), newToken()]
    await invite(tokens)
    await store.applyBatch(tokens.map((t) => submission(t, randomBytes(64))), DAY)
    expect((await store.check()).ok).toBe(true)
    const [first] = await store.itemsAfter(0, 1, 1 << 20)
    const param = site.dialect === 'sqlite' ? '?' : '$1'
    await site.raw(`update items set body = ${site.dialect === 'sqlite' ? "x'00'" : "'\\x00'::bytea"} where id = ${param}`, [first!.id])
    const modified = await store.check()
    expect(modified.ok).toBe(false)
    expect(modified.problems.join(' ')).toContain(first!.id)
    await site.raw('delete from chain where seq = 2')
    expect((await store.check()).problems.join(' ')).toContain('does not follow')
  })

  it('makes the analyst credential once', async () => {
    expect(await store.credentialHash()).toBeNull()
    expect(await store.initCredential('a'.repeat(64))).toBe(true)
    expect(await store.initCredential('b'.repeat(64))).toBe(false)
    expect(await store.credentialHash()).toBe('a'.repeat(64))
  })

})

// Several server processes share PostgreSQL; SQLite is one process's store (two connections in one
// process would each block the other's event loop on the write lock).
const postgres = sites.find((s) => s.name === 'postgres')
describe.skipIf(postgres === undefined)('intake store on PostgreSQL, shared', () => {
  let site: StoreSite
  let store: IntakeStore

  const invite = async (tokens: string[], expiresOn = '2026-12-31') => {
    expect(await store.addInvites(Q, tokens.map((t) => ({ tokenHash: tokenHashOf(t), expiresOn })))).toBe(tokens.length)
  }

  beforeEach(async () => {
    site = postgres!.make()
    store = await site.open()
    await store.publishQuestionnaire(Q, '{}', 2, DAY)
  })
  afterEach(async () => {
    await store.close()
    await site.dispose()
  })

  it('keeps the decisions right when two stores share the database', async () => {
    const second = await site.open()
    try {
      const tokens = Array.from({ length: 40 }, () => newToken())
      await invite(tokens)
      const batches = (s: IntakeStore) =>
        Promise.all(
          Array.from({ length: 8 }, (_, b) =>
            s.applyBatch(tokens.slice(b * 5, b * 5 + 5).concat(tokens.slice(0, 5)).map((t) => submission(t, randomBytes(32))), DAY),
          ),
        )
      await Promise.all([batches(store), batches(second)])
      const items = await store.itemsAfter(0, 10_000, 1 << 30)
      const main = items.filter((i) => i.kind === 'submission').map((i) => i.tokenHash)
      expect(new Set(main).size).toBe(main.length)
      expect(new Set(main)).toEqual(new Set(tokens.map(tokenHashOf)))
      await verifiedChain(store)
      expect((await store.check()).ok).toBe(true)
    } finally {
      await second.close()
    }
  })
})
