import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers'
import { afterEach, describe, expect, it } from 'vitest'
import { sha256Hex, SQLITE_FILE, type IntakeStore } from '../src/index.ts'
import { newRandomId, newToken, signedQuestionnaire, tokenHashOf } from './support/fixtures.ts'
import { sqliteSite, type StoreSite } from './support/stores.ts'

const DAY = '2026-11-26'
const Q = 'seq-q'

/** The SQLite items table: no index on the random ids (docs/decisions/0022), and stores made before that are upgraded. */
describe('SQLite items, found by id without an index on it', () => {
  let site: StoreSite
  let store: IntakeStore | null = null
  afterEach(async () => {
    await store?.close()
    store = null
    await site.dispose()
  })

  const indexesOnItems = (dataDir: string) => {
    const db = new BetterSqlite3(join(dataDir, SQLITE_FILE), { readonly: true })
    try {
      return db.prepare(`select name from sqlite_schema where type = 'index' and tbl_name = 'items'`).all()
    } finally {
      db.close()
    }
  }

  it('keeps no index on items beside its seq', async () => {
    site = sqliteSite()
    store = await site.open()
    if (!('dataDir' in site.location)) throw new Error('fixture')
    expect(indexesOnItems(site.location.dataDir)).toEqual([])
  })

  it('upgrades a store written with the unique index, keeping its items deletable by id', async () => {
    site = sqliteSite()
    store = await site.open()
    await store.close()
    store = null
    if (!('dataDir' in site.location)) throw new Error('fixture')
    // The table as schema version 1 made it, with one item in it.
    const body = randomBytes(5000)
    const id = newRandomId()
    const token = newToken()
    await site.raw('drop table items')
    await site.raw(`create table items (seq integer primary key, id text not null unique, kind text not null,
      token_hash text not null, client_id text not null, body blob not null, body_hash text not null, day text not null)`)
    await site.raw(`insert into items values (1, ?, 'submission', ?, ?, ?, ?, ?)`, [id, tokenHashOf(token), newRandomId(), body, sha256Hex(body), DAY])
    await site.raw(`update meta set value = '1' where key = 'schema_version'`)
    expect(indexesOnItems(site.location.dataDir)).toHaveLength(1)

    store = await site.open()
    expect(indexesOnItems(site.location.dataDir)).toEqual([])
    const [item] = await store.itemsAfter(0, 10, 1 << 20)
    expect(item).toMatchObject({ id, seq: 1 })
    expect(item!.body.equals(body)).toBe(true)
    await store.publishQuestionnaire(Q, JSON.stringify(signedQuestionnaire(Q, [])), 2, DAY)
    expect((await store.deleteItems([id], DAY)).deleted).toEqual([id])
    expect(await store.itemsAfter(0, 10, 1 << 20)).toEqual([])
  })
})
