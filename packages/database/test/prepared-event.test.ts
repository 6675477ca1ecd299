import fc from 'fast-check'
import { isAmanatError } from '@amanat/domain'
import { afterAll, describe, expect, it } from 'vitest'
import { sized } from '../../../tools/test-support/profile.ts'
import { EventPreparer, type PreparedEvent } from '../src/events/prepared-event.ts'
import type { WorkspaceEventInput, WorkspaceStore } from '../src/store.ts'
import { bodyOf, makePool, opArb } from './op-pool.ts'
import { freshStore, projectionSnapshot, RUNNABLE_DIALECTS, type TestStore } from './setup.ts'
import { BodyBuilder, seededBytes, thrown } from './support.ts'

/**
 * Prepared events (docs/decisions/0019) are the same events: a store fed any mix of plain bodies
 * and events prepared in any grouping — as they arrive from a worker thread, through the
 * structured clone `postMessage` uses — holds the same rows as a store fed the plain bodies, its
 * chain verifies, every body reads back, and its replay equals it. A prepared event that does not
 * hold together is refused before anything is written, and the store wipes every prepared event
 * it was handed.
 */
const AT = new Date('2024-03-01T12:00:00.000Z')

/** What a worker thread's events look like on arrival: Buffers become plain Uint8Arrays. */
const acrossThreads = (events: readonly PreparedEvent[]): PreparedEvent[] => structuredClone([...events])

const bodies = async (store: WorkspaceStore) =>
  (await store.events({ limit: 10_000 })).map((event) => ({ kind: event.kind, subject: event.subject, body: event.body }))

describe.each(RUNNABLE_DIALECTS)('prepared events on %s', (dialect) => {
  const opened: TestStore[] = []
  const fresh = async () => {
    const store = await freshStore(dialect)
    opened.push(store)
    return store
  }
  afterAll(async () => {
    for (const s of opened) await s.dispose()
  })

  it(
    'give the same rows, bodies and replay as plain bodies, mixed and grouped any way',
    async () => {
      const pool = makePool()
      const preparer = new EventPreparer()
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.record({ op: opArb, prepared: fc.boolean(), newCall: fc.boolean() }), { minLength: 1, maxLength: 12 }),
          fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 1, maxLength: 4 }),
          async (steps, cuts) => {
            const [plain, mixed] = [await fresh(), await fresh()]
            const all = steps.map((step) => ({ ...step, body: bodyOf(pool, step.op) }))
            let start = 0
            const handed: PreparedEvent[] = []
            for (let k = 0; start < all.length; k += 1) {
              const batch = all.slice(start, start + (cuts[k % cuts.length] ?? 1))
              start += batch.length
              await plain.store.appendBatch('system', batch.map((s) => s.body), { at: AT })
              // Consecutive prepared bodies share one `prepare` call unless the step starts a new one.
              const elements: (WorkspaceEventInput | PreparedEvent)[] = []
              let group: WorkspaceEventInput[] = []
              const flush = () => {
                if (group.length > 0) elements.push(...acrossThreads(preparer.prepare(group)))
                group = []
              }
              for (const step of batch) {
                if (!step.prepared || step.newCall) flush()
                if (step.prepared) group.push(step.body)
                else elements.push(step.body)
              }
              flush()
              handed.push(...elements.filter((e): e is PreparedEvent => 'prepared' in e))
              await mixed.store.appendBatch('system', elements, { at: AT })
            }
            const snapshot = await projectionSnapshot(plain.store)
            expect(await projectionSnapshot(mixed.store)).toEqual(snapshot)
            expect((await mixed.store.verify()).ok).toBe(true)
            expect(await bodies(mixed.store)).toEqual(await bodies(plain.store))
            for (const event of handed) {
              expect(event.json.every((b) => b === 0)).toBe(true)
              expect(event.dataKey?.every((b) => b === 0) ?? true).toBe(true)
            }
            await mixed.store.replayProjections()
            expect(await projectionSnapshot(mixed.store)).toEqual(snapshot)
            for (const s of [plain, mixed]) {
              await s.dispose()
              opened.splice(opened.indexOf(s), 1)
            }
          },
        ),
        { numRuns: sized(15, 200) },
      )
    },
    sized(60_000, 900_000),
  )

  it('reads back every body after the store is opened again, new respondents and known ones', async () => {
    const t = await fresh()
    const build = new BodyBuilder('reopen')
    const known = build.account()
    await t.store.appendBatch('system', [known])
    if (known.kind !== 'testimony.imported') throw new Error('fixture')
    const later: WorkspaceEventInput = { kind: 'respondent.recorded', respondent: { ...known.respondent, occupation: 'driver' } }
    const fresh1 = build.account()
    const prepared = acrossThreads(new EventPreparer().prepare([later, fresh1]))
    await t.store.appendBatch('system', prepared)
    const again = await t.reopen()
    const read = await again.events()
    expect(read.map((e) => e.body?.kind)).toEqual([known.kind, later.kind, fresh1.kind])
    expect(read.map((e) => e.subject)).toEqual([known.respondent.id, known.respondent.id, read[2]?.subject])
    expect(read[2]?.subject).not.toBe(known.respondent.id)
    expect(read[1]?.body).toMatchObject({ respondent: { occupation: 'driver' } })
    expect((await again.verify()).ok).toBe(true)
    const counts = await again.counts()
    expect(counts.subject_keys).toBe(2)
  })

  it('refuses a prepared event that does not hold together, writing nothing, and still wipes it', async () => {
    const t = await fresh()
    const build = new BodyBuilder('refuse')
    await t.store.appendBatch('system', [build.account()])
    const head = await t.store.verify()
    const preparer = new EventPreparer()
    const other = preparer.prepare([build.account()])[0] as PreparedEvent
    const cases: [string, (e: PreparedEvent) => PreparedEvent][] = [
      ['kind', (e) => ({ ...e, kind: 'respondent.recorded' })],
      ['subject', (e) => ({ ...e, subject: other.subject })],
      ['json', (e) => ({ ...e, json: Buffer.from('{not json') })],
      ['digest', (e) => ({ ...e, digest: e.digest.subarray(0, 16) })],
      ['key', (e) => ({ ...e, dataKey: null })],
      ['format', (e) => ({ ...e, prepared: 'amanat/prepared-event/v0' as never })],
    ]
    for (const [, spoil] of cases) {
      const [good, bad] = preparer.prepare([build.account(), build.account()]) as [PreparedEvent, PreparedEvent]
      const spoilt = spoil(bad)
      const error = await thrown(t.store.appendBatch('system', [good, spoilt]))
      // The format check fails before the event is taken for a prepared one: then it is a plain body that does not parse.
      expect(isAmanatError(error, 'input.invalid')).toBe(true)
      expect((error as { details: { index?: number } }).details.index).toBe(1)
      expect(good.json.every((b) => b === 0)).toBe(true)
    }
    expect(await t.store.verify()).toEqual(head)
    expect((await t.store.counts()).events).toBe(1)
  })

  it('prepares nothing from a body that does not parse, naming its index', () => {
    const error = (() => {
      try {
        new EventPreparer().prepare([{ kind: 'workspace.created', name: 'w' }, { kind: 'respondent.recorded' }])
      } catch (e) {
        return e
      }
      return null
    })()
    expect(isAmanatError(error, 'input.invalid')).toBe(true)
    expect((error as { details: { index?: number } }).details.index).toBe(1)
  })

  it('draws fresh ids, keys and nonces for every call (seeded preparers differ only by seed)', () => {
    const body = new BodyBuilder('fresh').account()
    const [a, b] = [new EventPreparer(seededBytes('a')).prepare([body]), new EventPreparer(seededBytes('b')).prepare([body])]
    expect(a[0]?.id).not.toBe(b[0]?.id)
    expect(Buffer.from(a[0]?.sealed ?? []).equals(Buffer.from(b[0]?.sealed ?? []))).toBe(false)
    expect(Buffer.from(a[0]?.json ?? []).equals(Buffer.from(b[0]?.json ?? []))).toBe(true)
  })
})
