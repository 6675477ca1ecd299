import { isAmanatError, type AnalystId } from '@amanat/domain'
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { setIndexesAside } from '../src/deferred-indexes.ts'
import type { WorkspaceStore, WorkspaceEventInput } from '../src/store.ts'
import { freshStore, projectionSnapshot, rawExecute, RUNNABLE_DIALECTS, type TestStore } from './setup.ts'
import { BodyBuilder, thrown } from './support.ts'

/** Every index of the workspace's own tables, as `table.name`, sorted. */
async function indexNames(store: WorkspaceStore): Promise<string[]> {
  const query =
    store.dialect === 'sqlite'
      ? sql<{
          t: string
          name: string
        }>`select tbl_name as t, name from sqlite_schema where type = 'index' and sql is not null`
      : sql<{
          t: string
          name: string
        }>`select tablename as t, indexname as name from pg_indexes where schemaname = current_schema()`
  return (await query.execute(store.db)).rows.map((row) => `${row.t}.${row.name}`).sort()
}

async function deferredRows(store: WorkspaceStore): Promise<number> {
  const rows = await sql<{ n: number }>`select count(*) as n from deferred_indexes`.execute(store.db)
  return Number(rows.rows[0]?.n)
}

/** The same bodies every time for one seed: a workspace, an analyst and `accounts` accounts. */
function study(seed: string, accounts: number): { analyst: AnalystId; bodies: WorkspaceEventInput[] } {
  const build = new BodyBuilder(seed)
  const analyst = build.analystId() as AnalystId
  const bodies: WorkspaceEventInput[] = [
    { kind: 'workspace.created', name: 'Bulk' },
    { kind: 'analyst.added', analyst: { id: analyst, label: 'a' } },
  ]
  for (let i = 0; i < accounts; i++) bodies.push(build.account({ incidents: 1 + (i % 4) }))
  return { analyst, bodies }
}

describe.each(RUNNABLE_DIALECTS)('bulk loads on %s (docs/decisions/0021)', (dialect) => {
  let t: TestStore
  let other: TestStore | null = null

  beforeEach(async () => {
    t = await freshStore(dialect)
  })
  afterEach(async () => {
    await t.dispose()
    await other?.dispose()
    other = null
  })

  it('gives the same projections and the same indexes as ordinary appends', async () => {
    const { analyst, bodies } = study('bulk-same', 60)
    other = await freshStore(dialect)
    const options = { at: new Date('2026-11-01T09:00:00Z') }
    for (let at = 0; at < bodies.length; at += 7)
      await other.store.appendBatch(analyst, bodies.slice(at, at + 7), options)
    const before = await indexNames(t.store)
    await t.store.bulkLoad(async () => {
      for (let at = 0; at < bodies.length; at += 7)
        await t.store.appendBatch(analyst, bodies.slice(at, at + 7), options)
    })
    expect(await projectionSnapshot(t.store)).toEqual(await projectionSnapshot(other.store))
    expect(await indexNames(t.store)).toEqual(before)
    expect(await indexNames(t.store)).toEqual(await indexNames(other.store))
    expect(await deferredRows(t.store)).toBe(0)
    expect((await t.store.verify()).ok).toBe(true)
  })

  it('sets aside only non-unique projection indexes while loading, and reads still answer', async () => {
    const { analyst, bodies } = study('bulk-during', 20)
    const before = await indexNames(t.store)
    let during: string[] = []
    let incidents = -1
    await t.store.bulkLoad(async () => {
      await t.store.appendBatch(analyst, bodies)
      during = await indexNames(t.store)
      const row = await t.store.db
        .selectFrom('incidents')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('type', '=', 'threat_to_relatives')
        .executeTakeFirstOrThrow()
      incidents = Number(row.n)
    })
    const gone = before.filter((name) => !during.includes(name))
    // The indexes the dashboards lean on are among those set aside…
    expect(gone).toEqual(
      expect.arrayContaining(['incidents.incidents_by_type', 'respondents.respondents_by_key']),
    )
    // …and nothing else is: unique indexes, keys and the log's own indexes stay.
    expect(during.filter((name) => !before.includes(name))).toEqual([])
    expect(gone.every((name) => !name.startsWith('events.') && !name.startsWith('subject_keys.'))).toBe(true)
    expect(gone.some((name) => /_pkey$|autoindex|unique/.test(name))).toBe(false)
    const after = await t.store.db
      .selectFrom('incidents')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('type', '=', 'threat_to_relatives')
      .executeTakeFirstOrThrow()
    expect(incidents).toBe(Number(after.n))
    expect(await indexNames(t.store)).toEqual(before)
  })

  it('builds the indexes again when the load fails, and the failure reaches the caller', async () => {
    const { analyst, bodies } = study('bulk-fails', 5)
    const before = await indexNames(t.store)
    const error = await thrown(
      t.store.bulkLoad(async () => {
        await t.store.appendBatch(analyst, bodies)
        throw new Error('the source file ended early')
      }),
    )
    expect((error as Error).message).toBe('the source file ended early')
    expect(await indexNames(t.store)).toEqual(before)
    expect(await deferredRows(t.store)).toBe(0)
    expect((await t.store.counts()).respondents).toBe(5)
  })

  it('builds the indexes of a load that stopped half-way when the workspace next opens', async () => {
    const { analyst, bodies } = study('bulk-crash', 12)
    const before = await indexNames(t.store)
    // What a process killed inside a bulk load leaves: indexes set aside and recorded, rows added since.
    const aside = await setIndexesAside(t.store.db, dialect)
    expect(aside.length).toBeGreaterThan(0)
    await t.store.appendBatch(analyst, bodies)
    await t.store.close()
    const again = await t.reopen()
    expect(await indexNames(again)).toEqual(before)
    expect(await deferredRows(again)).toBe(0)
    expect((await again.counts()).respondents).toBe(12)
  })

  it('refuses to run a recorded statement that is not an index definition', async () => {
    await t.store.close()
    await rawExecute(t, 'insert into deferred_indexes (name, definition) values ($1, $2)', [
      'respondents_by_key',
      'drop table respondents',
    ])
    const error = await thrown(t.reopen())
    expect(isAmanatError(error) && error.code).toBe('workspace.corrupt')
    await rawExecute(t, 'delete from deferred_indexes')
    const again = await t.reopen()
    expect((await again.counts()).respondents).toBe(0)
  })

  it('replays the projections with their indexes built once at the end', async () => {
    const { analyst, bodies } = study('bulk-replay', 15)
    await t.store.appendBatch(analyst, bodies)
    const before = await indexNames(t.store)
    const snapshot = await projectionSnapshot(t.store)
    await t.store.replayProjections()
    expect(await projectionSnapshot(t.store)).toEqual(snapshot)
    expect(await indexNames(t.store)).toEqual(before)
    expect(await deferredRows(t.store)).toBe(0)
  })

  it('runs a nested bulk load inside the outer one', async () => {
    const { analyst, bodies } = study('bulk-nested', 4)
    const before = await indexNames(t.store)
    await t.store.bulkLoad(() => t.store.bulkLoad(() => t.store.appendBatch(analyst, bodies)))
    expect(await indexNames(t.store)).toEqual(before)
    expect(await deferredRows(t.store)).toBe(0)
  })
})
