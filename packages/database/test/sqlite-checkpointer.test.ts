import { statSync } from 'node:fs'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { SqliteCheckpointer } from '../src/dialects/sqlite-checkpointer.ts'
import {
  DEFAULT_SQLITE_TUNING,
  openSqliteConnection,
  rawKey,
  type SqliteConnection,
} from '../src/dialects/sqlite.ts'
import { freshStore, RUNNABLE_DIALECTS, type TestStore } from './setup.ts'
import { BodyBuilder } from './support.ts'

const size = (file: string) => {
  try {
    return statSync(file).size
  } catch {
    return 0
  }
}

async function until(condition: () => boolean, ms = 10_000): Promise<boolean> {
  const end = Date.now() + ms
  while (Date.now() < end) {
    if (condition()) return true
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  return condition()
}

describe.skipIf(!RUNNABLE_DIALECTS.includes('sqlite'))('background checkpoints on SQLite', () => {
  let t: TestStore
  const build = new BodyBuilder('checkpointer')

  beforeEach(async () => {
    t = await freshStore('sqlite')
  })
  afterEach(async () => {
    await t.dispose()
  })

  it('copy committed pages into the encrypted main file while the store stays open', async () => {
    const file = t.file ?? ''
    const before = size(file)
    // Far below SQLite's own automatic checkpoint (1,000 pages), so only the worker can move it.
    await t.store.appendBatch('system', [build.account(), build.account()])
    expect(await until(() => size(file) > before)).toBe(true)
    expect((await t.store.events()).length).toBe(2)
  })

  it('bound the WAL when the writer runs ahead of the worker', async () => {
    await t.store.close()
    const config = t.config
    if (config.dialect !== 'sqlite' || config.storeKey === null) throw new Error('fixture')
    const connection: SqliteConnection = openSqliteConnection({
      file: config.file,
      storeKey: config.storeKey,
      create: false,
      tuning: DEFAULT_SQLITE_TUNING,
    })
    const checkpointer = new SqliteCheckpointer(
      connection,
      config.file,
      rawKey(config.storeKey),
      DEFAULT_SQLITE_TUNING,
      64 * 1024,
    )
    try {
      const insert = connection.prepare('insert into analysts (id, label) values (?, ?)')
      for (let i = 0; i < 40; i += 1) {
        connection.transaction(() => {
          for (let j = 0; j < 50; j += 1) insert.run(`a${String(i)}-${String(j)}`, 'x'.repeat(200))
        })()
        checkpointer.afterCommit()
      }
      // Restarted (reset to its start) by the writer at least once, so it never holds all 40 commits.
      expect(size(`${config.file}-wal`)).toBeLessThan(40 * 50 * 200)
    } finally {
      await checkpointer.close()
      connection.close()
    }
  })
})
