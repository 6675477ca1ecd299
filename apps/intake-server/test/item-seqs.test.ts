import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers'
import { afterEach, describe, expect, it } from 'vitest'
import { sha256Hex, SQLITE_FILE, type IntakeStore } from '../src/index.ts'
import { newRandomId, newToken, signedQuestionnaire, tokenHashOf } from './support/fixtures.ts'
import { sqliteSite, type StoreSite } from './support/stores.ts'

const DAY = '2026-11-26'
const Q = 'seq-q'

/**
 * The SQLite items and invite uses: no index on their random ids and token hashes
 * (docs/decisions/0022), and stores made before that are upgraded.
 */
describe('SQLite items and invite uses, without indexes on random keys', () => {
  let site: StoreSite
  let store: IntakeStore | null = null
  afterEach(async () => {
    await store?.close()
    store = null
    await site.dispose()
  })

  const indexesOn = (dataDir: string, table: string) => {
    const db = new BetterSqlite3(join(dataDir, SQLITE_FILE), { readonly: true })
    try {
      return db.prepare(`select name from sqlite_schema where type = 'index' and tbl_name = ?`).all(table)
    } finally {
      db.close()
    }
  }
  const indexesOnItems = (dataDir: string) => indexesOn(dataDir, 'items')

  it('keeps no index on items beside its seq, nor on invite uses', async () => {
    site = sqliteSite()
    store = await site.open()
    if (!('dataDir' in site.location)) throw new Error('fixture')
    expect(indexesOnItems(site.location.dataDir)).toEqual([])
    expect(indexesOn(site.location.dataDir, 'invite_uses')).toEqual([])
  })

  it('upgrades a store written with keys on random ids, keeping its items deletable and its invites used', async () => {
    site = sqliteSite()
    store = await site.open()
    if (!('dataDir' in site.location)) throw new Error('fixture')
    await store.publishQuestionnaire(Q, JSON.stringify(signedQuestionnaire(Q, [])), 2, DAY)
    const token = newToken()
    await store.addInvites(Q, [{ tokenHash: tokenHashOf(token), expiresOn: '2099-12-31' }])
    const body = randomBytes(5000)
    const retry = { kind: 'submission' as const, tokenHash: tokenHashOf(token), clientId: newRandomId(), recipients: 2, body, bodyHash: sha256Hex(body) }
    expect(await store.applyBatch([retry], DAY)).toEqual(['stored'])
    const [stored] = await store.itemsAfter(0, 10, 1 << 20)
    await store.close()
    store = null
    // The two tables as schema version 1 made them, with the same rows.
    for (const [table, definition] of [
      ['items', `(seq integer primary key, id text not null unique, kind text not null, token_hash text not null,
        client_id text not null, body blob not null, body_hash text not null, day text not null)`],
      ['invite_uses', `(token_hash text primary key, submission_id text, submission_hash text, quarantined integer not null default 0)`],
    ] as const) {
      await site.raw(`alter table ${table} rename to ${table}_now`)
      await site.raw(`create table ${table} ${definition}`)
      await site.raw(`insert into ${table} select * from ${table}_now`)
      await site.raw(`drop table ${table}_now`)
    }
    await site.raw(`update meta set value = '1' where key = 'schema_version'`)
    expect(indexesOnItems(site.location.dataDir)).toHaveLength(1)
    expect(indexesOn(site.location.dataDir, 'invite_uses')).toHaveLength(1)

    store = await site.open()
    expect(indexesOnItems(site.location.dataDir)).toEqual([])
    expect(indexesOn(site.location.dataDir, 'invite_uses')).toEqual([])
    const [item] = await store.itemsAfter(0, 10, 1 << 20)
    expect(item).toEqual(stored)
    expect(item!.body.equals(body)).toBe(true)
    // The invite is still used: its own retry is recognised, anything else goes aside.
    expect(await store.applyBatch([retry, { ...retry, clientId: newRandomId() }], DAY)).toEqual(['repeated', 'quarantined'])
    expect((await store.deleteItems([item!.id], DAY)).deleted).toEqual([item!.id])
    expect((await store.itemsAfter(0, 10, 1 << 20)).map((i) => i.kind)).toEqual(['quarantine'])
    expect((await store.check()).ok).toBe(true)
  })

  it('reads its maps again when another connection has written to the file', async () => {
    site = sqliteSite()
    store = await site.open()
    await store.publishQuestionnaire(Q, JSON.stringify(signedQuestionnaire(Q, [])), 2, DAY)
    const tokens = [newToken(), newToken(), newToken()]
    await store.addInvites(Q, tokens.map((t) => ({ tokenHash: tokenHashOf(t), expiresOn: '2099-12-31' })))
    const write = (token: string) => {
      const body = randomBytes(200)
      return { kind: 'submission' as const, tokenHash: tokenHashOf(token), clientId: newRandomId(), recipients: 2, body, bodyHash: sha256Hex(body) }
    }
    expect(await store.applyBatch([write(tokens[0]!)], DAY)).toEqual(['stored'])
    const [first] = await store.itemsAfter(0, 10, 1 << 20)
    // Both maps are loaded now: the deletion reads items, the batch reads uses.
    expect((await store.deleteItems([newRandomId()], DAY)).deleted).toEqual([])

    // Another store on the same file uses an invite and stores an item.
    const other = await site.open()
    try {
      expect(await other.applyBatch([write(tokens[1]!)], DAY)).toEqual(['stored'])
    } finally {
      await other.close()
    }
    const second = (await store.itemsAfter(0, 10, 1 << 20)).find((item) => item.id !== first!.id)

    // This store sees that invite as used, and finds that item to delete it.
    expect(await store.applyBatch([write(tokens[1]!), write(tokens[2]!)], DAY)).toEqual(['quarantined', 'stored'])
    expect((await store.deleteItems([first!.id, second!.id], DAY)).deleted).toEqual([first!.id, second!.id].sort())
  })
})
