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
      const limit = 64 * 1024
      let largest = 0
      let allCommits = 0
      for (let i = 0; i < 200; i += 1) {
        connection.transaction(() => {
          for (let j = 0; j < 50; j += 1) insert.run(`a${String(i)}-${String(j)}`, 'x'.repeat(200))
        })()
        allCommits = Math.max(allCommits, size(`${config.file}-wal`))
        checkpointer.afterCommit()
        largest = Math.max(largest, size(`${config.file}-wal`))
      }
      // The writer ran ahead (each commit is a few pages; the worker checkpoints in between)...
      expect(allCommits).toBeGreaterThan(limit)
      // ...and once a commit is through, the WAL is back within the limit every time, even when
      // the writer's checkpoint met the worker's (SQLite answers the second "busy" at once).
      expect(largest).toBeLessThanOrEqual(limit)
      // And cut back once restarted: a file left at its high-water mark would read as "ran ahead"
      // on every later commit, and the writer would checkpoint every time instead of the worker.
      let shrank = false
      for (let i = 0; i < 10 && !shrank; i += 1) {
        connection.transaction(() => insert.run(`b${String(i)}`, 'x'))()
        shrank = size(`${config.file}-wal`) < limit
        checkpointer.afterCommit()
      }
      expect(shrank).toBe(true)
    } finally {
      await checkpointer.close()
      connection.close()
    }
  })

  it('keep checkpointing while the writer never returns to the event loop', async () => {
    // A bulk load appends batch after batch with no macrotask in between: the worker's replies
    // (messages) are never read then, so whether it is busy must not depend on them.
    const file = t.file ?? ''
    await t.store.appendBatch('system', [build.account()])
    expect(await until(() => size(file) > 0)).toBe(true)
    let grew = 0
    for (let round = 0; round < 3; round += 1) {
      const before = size(file)
      await t.store.appendBatch(
        'system',
        Array.from({ length: 20 }, () => build.account()),
      )
      // Synchronous wait: nothing here lets the event loop run.
      const end = Date.now() + 10_000
      while (size(file) <= before && Date.now() < end)
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5)
      if (size(file) > before) grew += 1
    }
    expect(grew).toBe(3)
  })
})
