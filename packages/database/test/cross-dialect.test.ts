import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sized } from '../../../tools/test-support/profile.ts'
import type { WorkspaceEventInput } from '../src/store.ts'
import { freshStore, projectionSnapshot, RUNNABLE_DIALECTS, type TestStore } from './setup.ts'
import { BodyBuilder, seededBytes } from './support.ts'

/**
 * The two dialects are one store: the same operations with the same ids, times and randomness
 * give the same hashes and the same projected rows, and each equals its own replay. The property
 * test drives the PostgreSQL writer's regrouping (deletes before rows, flushing on conflicts) with
 * batches that re-import, re-record and remove the same ids.
 */
const both = RUNNABLE_DIALECTS.includes('sqlite') && RUNNABLE_DIALECTS.includes('postgres')
const AT = new Date('2024-03-01T12:00:00.000Z')

interface Pool {
  readonly respondents: {
    id: string
    testimonies: string[]
    incidents: string[]
    relatives: string[]
    identifiers: string[]
  }[]
}

function makePool(): Pool {
  const b = new BodyBuilder('pool')
  return {
    respondents: Array.from({ length: 3 }, () => ({
      id: b.id(),
      testimonies: [b.id(), b.id()],
      incidents: Array.from({ length: 4 }, () => b.id()),
      relatives: [b.id(), b.id()],
      identifiers: [b.id(), b.id()],
    })),
  }
}

type Op =
  | { kind: 'import'; r: number; t: number; incidents: number[]; relatives: number[]; identifiers: number[] }
  | { kind: 'incident'; r: number; t: number; i: number; note: string | null }
  | { kind: 'removeIncident'; r: number; i: number }
  | { kind: 'relative'; r: number; i: number }
  | { kind: 'removeRelative'; r: number; i: number }
  | { kind: 'identifier'; r: number; i: number; links: number[] }
  | { kind: 'removeIdentifier'; r: number; i: number }
  | { kind: 'respondent'; r: number; occupation: string | null }

const index = (n: number) => fc.integer({ min: 0, max: n - 1 })
const subset = (n: number) => fc.uniqueArray(index(n), { maxLength: n })
const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('import' as const),
      r: index(3),
      t: index(2),
      incidents: subset(4),
      relatives: subset(2),
      identifiers: subset(2),
    }),
  },
  fc.record({
    kind: fc.constant('incident' as const),
    r: index(3),
    t: index(2),
    i: index(4),
    note: fc.option(fc.constantFrom('one', 'two'), { nil: null }),
  }),
  fc.record({ kind: fc.constant('removeIncident' as const), r: index(3), i: index(4) }),
  fc.record({ kind: fc.constant('relative' as const), r: index(3), i: index(2) }),
  fc.record({ kind: fc.constant('removeRelative' as const), r: index(3), i: index(2) }),
  fc.record({ kind: fc.constant('identifier' as const), r: index(3), i: index(2), links: subset(4) }),
  fc.record({ kind: fc.constant('removeIdentifier' as const), r: index(3), i: index(2) }),
  fc.record({
    kind: fc.constant('respondent' as const),
    r: index(3),
    occupation: fc.option(fc.constantFrom('teacher', 'driver'), { nil: null }),
  }),
)

function bodyOf(pool: Pool, op: Op): WorkspaceEventInput {
  const p = pool.respondents[op.r]
  if (p === undefined) throw new Error('pool')
  const base = new BodyBuilder(`${p.id}`).account({ respondentId: p.id, testimonyId: p.testimonies[0] ?? '' })
  const respondent = { ...base.respondent }
  const incident = (i: number, t: number) => {
    const template = base.incidents[1] ?? base.incidents[0]
    if (template === undefined) throw new Error('fixture')
    return { ...template, id: p.incidents[i] ?? '', testimonyId: p.testimonies[t] ?? '' }
  }
  const relative = (i: number) => ({ ...(base.relatives[0] ?? ({} as never)), id: p.relatives[i] ?? '' })
  const identifier = (i: number, links: number[]) => ({
    ...(base.identifiers[0] ?? ({} as never)),
    id: p.identifiers[i] ?? '',
    incidentIds: links.map((l) => p.incidents[l] ?? ''),
  })
  switch (op.kind) {
    case 'import':
      return {
        ...base,
        testimony: { ...base.testimony, id: p.testimonies[op.t] ?? '' },
        incidents: op.incidents.map((i) => incident(i, op.t)),
        relatives: op.relatives.map(relative),
        identifiers: op.identifiers.map((i) => identifier(i, op.incidents.slice(0, 1))),
      }
    case 'incident':
      return { kind: 'incident.recorded', incident: { ...incident(op.i, op.t), note: op.note } }
    case 'removeIncident':
      return { kind: 'incident.removed', respondentId: p.id, incidentId: p.incidents[op.i] ?? '' }
    case 'relative':
      return { kind: 'relative.recorded', relative: relative(op.i) }
    case 'removeRelative':
      return { kind: 'relative.removed', respondentId: p.id, relativeId: p.relatives[op.i] ?? '' }
    case 'identifier':
      return { kind: 'identifier.recorded', identifier: identifier(op.i, op.links) }
    case 'removeIdentifier':
      return { kind: 'identifier.removed', respondentId: p.id, identifierId: p.identifiers[op.i] ?? '' }
    case 'respondent':
      return { kind: 'respondent.recorded', respondent: { ...respondent, occupation: op.occupation } }
  }
}

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
