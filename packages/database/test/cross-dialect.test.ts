import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sized } from '../../../tools/test-support/profile.ts'
import type { WorkspaceEventInput } from '../src/store.ts'
import { freshStore, projectionSnapshot, RUNNABLE_DIALECTS, type TestStore } from './setup.ts'
import { bodyOf, makePool, opArb } from './op-pool.ts'
import { BodyBuilder, seededBytes } from './support.ts'

/**
 * The two dialects are one store: the same operations with the same ids, times and randomness
 * give the same hashes and the same projected rows, and each equals its own replay. The property
 * test drives the PostgreSQL writer's regrouping (deletes before rows, flushing on conflicts) with
 * batches that re-import, re-record and remove the same ids.
 */
const both = RUNNABLE_DIALECTS.includes('sqlite') && RUNNABLE_DIALECTS.includes('postgres')
const AT = new Date('2024-03-01T12:00:00.000Z')

describe.skipIf(!both)('SQLite and PostgreSQL stores', () => {
  const pool = makePool()
  let stores: TestStore[] = []

  beforeAll(() => {
    stores = []
  })
  afterAll(async () => {
    for (const s of stores) await s.dispose()
  })

  async function pair(seed: string): Promise<[TestStore, TestStore]> {
    const sqlite = await freshStore('sqlite', { entropy: seededBytes(seed) })
    const postgres = await freshStore('postgres', { entropy: seededBytes(seed) })
    stores.push(sqlite, postgres)
    return [sqlite, postgres]
  }

  it('write the same hashes and the same rows for the same operations', async () => {
    const [a, b] = await pair('fixed')
    const build = new BodyBuilder('cross')
    const batches: WorkspaceEventInput[][] = [
      [{ kind: 'workspace.created', name: 'w' }, build.account(), build.account()],
      [build.account({ incidents: 5 })],
    ]
    const hashes: string[][] = [[], []]
    for (const batch of batches) {
      hashes[0]?.push(...(await a.store.appendBatch('system', batch, { at: AT })).map((e) => e.hash))
      hashes[1]?.push(...(await b.store.appendBatch('system', batch, { at: AT })).map((e) => e.hash))
    }
    expect(hashes[0]).toEqual(hashes[1])
    expect(await a.store.verify()).toEqual(await b.store.verify())
    expect(await projectionSnapshot(a.store)).toEqual(await projectionSnapshot(b.store))
    const rows = async (s: TestStore) =>
      (await s.store.db.selectFrom('events').selectAll().orderBy('seq').execute()).map((r) => ({ ...r }))
    expect(await rows(a)).toEqual(await rows(b))
  })

  it(
    'agree on any sequence of imports, recordings and removals, batched any way, and each equals its replay',
    async () => {
      let run = 0
      await fc.assert(
        fc.asyncProperty(
          fc.array(opArb, { minLength: 1, maxLength: 14 }),
          fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 6 }),
          async (ops, cuts) => {
            run += 1
            const [a, b] = await pair(`run-${String(run)}`)
            const bodies = ops.map((op) => bodyOf(pool, op))
            let start = 0
            for (let k = 0; start < bodies.length; k += 1) {
              const size = cuts[k % cuts.length] ?? 1
              const batch = bodies.slice(start, start + size)
              start += size
              const [x, y] = [
                await a.store.appendBatch('system', batch, { at: AT }),
                await b.store.appendBatch('system', batch, { at: AT }),
              ]
              expect(x).toEqual(y)
            }
            const snapshot = await projectionSnapshot(a.store)
            expect(await projectionSnapshot(b.store)).toEqual(snapshot)
            for (const s of [a, b]) {
              await s.store.replayProjections()
              expect(await projectionSnapshot(s.store)).toEqual(snapshot)
            }
            for (const s of [a, b]) await s.dispose()
            stores = stores.filter((s) => s !== a && s !== b)
          },
        ),
        { numRuns: sized(25, 300) },
      )
    },
    sized(60_000, 900_000),
  )
})
