import { createHash, randomBytes } from 'node:crypto'
import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readSync,
  statSync,
  writeFileSync,
  writeSync,
} from 'node:fs'
import { isAmanatError } from '@amanat/domain'
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers'
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { DEFAULT_SQLITE_TUNING } from '../src/dialects/sqlite.ts'
import { openStore } from '../src/store.ts'
import { freshStore, RUNNABLE_DIALECTS, testKeys, type TestStore } from './setup.ts'
import { BodyBuilder, thrown } from './support.ts'

/**
 * SECURITY-TESTS T18 for the store itself: what an encrypted workspace file gives away at rest,
 * and how it refuses a wrong key or a damaged page. SQLite only: PostgreSQL's storage is the
 * trusted server's (its disk encryption and checksums).
 */
const MARKERS = [
  'PTM-7Q2M4K9X3B8N5R1T6W0Y',
  'PTM-J3H8D1F6G2K9L4M7P0Q5',
  'تەۋرەنمەس-PTM-UG-4X8',
  '监视-PTM-ZH-9B3',
]
const AGE_KEY = `AGE-SECRET-KEY-1${'QPZRY9X8GF2TVDW0S3JN54KHCE6MUA7L'.repeat(2)}ABCDEFG`

const companions = (file: string) =>
  [file, `${file}-wal`, `${file}-shm`, `${file}-journal`].filter((f) => existsSync(f))
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex')

function plaintextHits(file: string): string[] {
  const hits: string[] = []
  for (const path of companions(file)) {
    const bytes = readFileSync(path)
    for (const needle of [...MARKERS, AGE_KEY, 'SQLite format 3']) {
      if (bytes.includes(Buffer.from(needle, 'utf8'))) hits.push(`${needle} in ${path}`)
    }
  }
  return hits
}

describe.skipIf(!RUNNABLE_DIALECTS.includes('sqlite'))('an encrypted SQLite workspace at rest', () => {
  let t: TestStore
  let file: string
  const build = new BodyBuilder('at-rest')

  beforeEach(async () => {
    t = await freshStore('sqlite')
    file = t.file ?? ''
    const accounts = MARKERS.map((marker) => build.account({ marker, narrativeLength: 3000 }))
    const withKey = build.account()
    withKey.testimony.narratives.push({ language: 'en', text: `the key I was sent: ${AGE_KEY}` })
    await t.store.appendBatch('system', [
      { kind: 'workspace.created', name: MARKERS[0] ?? '' },
      ...accounts,
      withKey,
    ])
  })
  afterEach(async () => {
    await t.dispose()
  })

  it('holds no marker, no age secret key and no SQLite header in the file, its WAL or its shared memory', async () => {
    expect(existsSync(`${file}-wal`)).toBe(true)
    expect(statSync(`${file}-wal`).size).toBeGreaterThan(0)
    expect(plaintextHits(file)).toEqual([])
    await t.store.close()
    expect(existsSync(`${file}-wal`)).toBe(false)
    expect(plaintextHits(file)).toEqual([])
  })

  it('finds the markers through the store, so the scan above looked for the right bytes', async () => {
    const rows = await t.store.db.selectFrom('testimonies').select('narratives').execute()
    const text = rows.map((r) => r.narratives).join('\n')
    for (const marker of MARKERS) expect(text).toContain(marker)
    expect(text).toContain(AGE_KEY)
  })

  it('does not start with the SQLite header', async () => {
    await t.store.close()
    const head = Buffer.alloc(16)
    const fd = openSync(file, 'r')
    readSync(fd, head, 0, 16, 0)
    closeSync(fd)
    expect(head.equals(Buffer.from('SQLite format 3\0', 'latin1'))).toBe(false)
  })

  it('runs with the settings durability and erasure depend on', async () => {
    const pragma = async (name: string) =>
      Object.values((await sql.raw(`pragma ${name}`).execute(t.store.db)).rows[0] as object)[0] as unknown
    expect(await pragma('journal_mode')).toBe('wal')
    expect(await pragma('synchronous')).toBe(2)
    expect(await pragma('secure_delete')).toBe(1)
    expect(await pragma('foreign_keys')).toBe(1)
    expect(await pragma('temp_store')).toBe(2)
    expect(await pragma('cipher')).toBe(DEFAULT_SQLITE_TUNING.cipher)
    expect(await pragma('page_size')).toBe(DEFAULT_SQLITE_TUNING.pageSize)
  })

  it('refuses a wrong key with workspace.wrong_passphrase and leaves the file as it was', async () => {
    await t.store.close()
    const before = sha256(file)
    const error = await thrown(t.reopen({}, { storeKey: randomBytes(32) }))
    expect(isAmanatError(error, 'workspace.wrong_passphrase')).toBe(true)
    expect(isAmanatError(await thrown(t.reopen({}, { storeKey: null })), 'workspace.wrong_passphrase')).toBe(
      true,
    )
    expect(
      isAmanatError(
        await thrown(t.reopen({}, { storeKey: null, create: true })),
        'workspace.wrong_passphrase',
      ),
    ).toBe(true)
    expect(sha256(file)).toBe(before)
    const again = await t.reopen()
    expect((await again.counts()).events).toBe(MARKERS.length + 2)
  })

  it('detects one flipped byte in a data page as workspace.corrupt', async () => {
    await t.store.close()
    const size = statSync(file).size
    const pageSize = DEFAULT_SQLITE_TUNING.pageSize
    expect(size / pageSize).toBeGreaterThanOrEqual(3)
    // A byte in the middle of the last page: past page 1 (header and salt) and inside page content.
    const offset = size - pageSize / 2
    const fd = openSync(file, 'r+')
    const byte = Buffer.alloc(1)
    readSync(fd, byte, 0, 1, offset)
    byte[0] = (byte[0] ?? 0) ^ 0x01
    writeSync(fd, byte, 0, 1, offset)
    closeSync(fd)
    const damaged = await t.reopen()
    expect(isAmanatError(await thrown(damaged.checkIntegrity()), 'workspace.corrupt')).toBe(true)
  })

  it('opens a path that does not exist only when asked to create it', async () => {
    const { storeKey, subjectKek } = await testKeys()
    const missing = `${file}.missing`
    const error = await thrown(openStore({ dialect: 'sqlite', file: missing, storeKey, subjectKek }))
    expect(isAmanatError(error, 'workspace.not_found')).toBe(true)
    expect(existsSync(missing)).toBe(false)
  })

  it('refuses an empty file and a database that is not a workspace', async () => {
    const { storeKey, subjectKek } = await testKeys()
    const empty = `${file}.empty`
    writeFileSync(empty, '')
    expect(
      isAmanatError(
        await thrown(openStore({ dialect: 'sqlite', file: empty, storeKey, subjectKek })),
        'workspace.corrupt',
      ),
    ).toBe(true)
    const foreign = `${file}.foreign`
    const db = new BetterSqlite3(foreign)
    db.exec('create table notes (text)')
    db.close()
    const before = sha256(foreign)
    const error = await thrown(openStore({ dialect: 'sqlite', file: foreign, storeKey: null, subjectKek }))
    expect(isAmanatError(error, 'workspace.unrecognised')).toBe(true)
    expect(sha256(foreign)).toBe(before)
  })
})

describe.skipIf(!RUNNABLE_DIALECTS.includes('sqlite'))(
  'a plain SQLite store (no key: benchmarks, the intake server)',
  () => {
    it('writes a normal SQLite file and refuses to be opened with a key', async () => {
      const t = await freshStore('sqlite', { storeKey: null })
      try {
        await t.store.append('system', { kind: 'workspace.created', name: 'plain' })
        await t.store.close()
        expect(
          readFileSync(t.file ?? '')
            .subarray(0, 16)
            .toString('latin1'),
        ).toBe('SQLite format 3\0')
        const { storeKey } = await testKeys()
        expect(isAmanatError(await thrown(t.reopen({}, { storeKey })), 'workspace.wrong_passphrase')).toBe(
          true,
        )
        const again = await t.reopen()
        expect((await again.events()).map((e) => e.body)).toEqual([
          { kind: 'workspace.created', name: 'plain' },
        ])
      } finally {
        await t.dispose()
      }
    })
  },
)
