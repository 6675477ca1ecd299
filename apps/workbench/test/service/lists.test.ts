import { CONSENT_USES, isAmanatError, mayUse, type ConsentUse } from '@amanat/domain'
import { respondentFromRow } from '@amanat/database'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  consentingRespondents,
  listInbox,
  listTestimonies,
  setStatus,
  type TestimonySummary,
} from '../../src/service/index.ts'
import { RUNNABLE_DIALECTS, serviceFixture, type ServiceFixture } from './support.ts'

/** Pages through a whole list, checking every page but the last is full. */
async function all(
  page: (after: string | undefined) => Promise<{ items: readonly TestimonySummary[]; next: string | null }>,
  limit: number,
) {
  const items: TestimonySummary[] = []
  let after: string | undefined
  for (;;) {
    const result = await page(after)
    items.push(...result.items)
    if (result.next === null) return items
    expect(result.items).toHaveLength(limit)
    after = result.next
  }
}

describe.each(RUNNABLE_DIALECTS)('testimony lists on %s', (dialect) => {
  let f: ServiceFixture
  beforeAll(async () => {
    f = await serviceFixture(dialect, 60)
  })
  afterAll(async () => {
    await f.t.dispose()
  })

  it('pages the inbox by keyset: every testimony once, in a stable order', async () => {
    const items = await all(
      (after) => listInbox(f.session, { limit: 7, ...(after === undefined ? {} : { after }) }),
      7,
    )
    const rows = await f.t.store.db
      .selectFrom('testimonies')
      .select(['id'])
      .orderBy('respondent_no')
      .orderBy('id')
      .execute()
    expect(items.map((i) => i.testimonyId)).toEqual(rows.map((r) => r.id))
    expect(items.every((i) => i.status === 'new')).toBe(true)
    const incidents = await f.t.store.db.selectFrom('incidents').select('id').execute()
    expect(items.reduce((n, i) => n + i.incidentCount, 0)).toBe(incidents.length)
  })

  it('moves testimonies between inbox statuses', async () => {
    const [a, b] = (await listInbox(f.session, { status: 'new', limit: 2 })).items
    if (a === undefined || b === undefined) throw new Error('expected testimonies')
    await setStatus(f.session, a, 'in_progress', 'halfway')
    await setStatus(f.session, b, 'coded')
    const inProgress = await listInbox(f.session, { status: 'in_progress', limit: 10 })
    expect(inProgress.items.map((i) => [i.testimonyId, i.statusNote])).toEqual([[a.testimonyId, 'halfway']])
    const fresh = await all(
      (after) => listInbox(f.session, { status: 'new', limit: 9, ...(after === undefined ? {} : { after }) }),
      9,
    )
    expect(fresh.map((i) => i.testimonyId)).not.toContain(a.testimonyId)
    expect(fresh.map((i) => i.testimonyId)).not.toContain(b.testimonyId)
    const total = await f.t.store.db.selectFrom('testimonies').select('id').execute()
    expect(fresh).toHaveLength(total.length - 2)
  })

  it('filters by code, country and year on one incident, exactly as a scan would', async () => {
    const incidents = await f.t.store.db
      .selectFrom('incidents')
      .selectAll()
      .orderBy('respondent_no')
      .orderBy('id')
      .execute()
    const sample = incidents.find((i) => i.received_country !== null && i.year !== null)
    if (sample === undefined || sample.received_country === null || sample.year === null)
      throw new Error('expected a dated incident')
    const filters = { code: sample.type, country: sample.received_country, year: sample.year }
    const expected = [
      ...new Set(
        incidents
          .filter(
            (i) =>
              i.type === filters.code && i.received_country === filters.country && i.year === filters.year,
          )
          .map((i) => i.testimony_id),
      ),
    ]
    const got = await all(
      (after) => listTestimonies(f.session, { filters, limit: 2, ...(after === undefined ? {} : { after }) }),
      2,
    )
    expect(new Set(got.map((g) => g.testimonyId))).toEqual(new Set(expected))
    expect(got).toHaveLength(expected.length)

    const byCode = await all(
      (after) =>
        listTestimonies(f.session, {
          filters: { code: sample.type },
          limit: 5,
          ...(after === undefined ? {} : { after }),
        }),
      5,
    )
    expect(byCode).toHaveLength(
      new Set(incidents.filter((i) => i.type === sample.type).map((i) => i.testimony_id)).size,
    )
  })

  it('filters by consent with the domain rule (mayUse), for every use', async () => {
    const respondents = (await f.t.store.db.selectFrom('respondents').selectAll().execute()).map((row) => ({
      no: Number(row.respondent_no),
      respondent: respondentFromRow(row),
    }))
    for (const use of CONSENT_USES) {
      const expected = respondents
        .filter((r) => mayUse(r.respondent.consent, use))
        .map((r) => r.no)
        .sort((a, b) => a - b)
      const viaRule = (await consentingRespondents(f.t.store.db, use).execute())
        .map((r) => Number(r.respondent_no))
        .sort((a, b) => a - b)
      expect(viaRule, use).toEqual(expected)
      const listed = await all(
        (after) =>
          listTestimonies(f.session, {
            filters: { consent: use },
            limit: 50,
            ...(after === undefined ? {} : { after }),
          }),
        50,
      )
      const allowed = new Set<string>(
        respondents.filter((r) => mayUse(r.respondent.consent, use)).map((r) => r.respondent.id),
      )
      expect(
        listed.every((l) => allowed.has(l.respondentId)),
        use,
      ).toBe(true)
      expect(new Set(listed.map((l) => l.respondentId)).size).toBe(allowed.size)
    }
  })

  it('combines a mode filter with a status filter', async () => {
    const interviews = await all(
      (after) =>
        listTestimonies(f.session, {
          filters: { collectionMode: 'interview', status: 'new' },
          limit: 10,
          ...(after === undefined ? {} : { after }),
        }),
      10,
    )
    const rows = await f.t.store.db
      .selectFrom('testimonies')
      .select('id')
      .where('source_mode', '=', 'interview')
      .execute()
    const moved = await f.t.store.db.selectFrom('testimony_status').select('testimony_id').execute()
    const expected = rows.filter((r) => !moved.some((m) => m.testimony_id === r.id))
    expect(interviews.map((i) => i.testimonyId).sort()).toEqual(expected.map((r) => r.id).sort())
    expect(interviews.every((i) => i.sourceMode === 'interview')).toBe(true)
  })

  it('refuses a forged cursor, a bad page size and a bad filter with stable codes', async () => {
    await expect(listInbox(f.session, { after: 'bm9wZQ', limit: 5 })).rejects.toSatisfy((e) =>
      isAmanatError(e, 'list.bad_cursor'),
    )
    await expect(listInbox(f.session, { limit: 0 })).rejects.toSatisfy((e) =>
      isAmanatError(e, 'list.bad_limit'),
    )
    await expect(
      listTestimonies(f.session, { filters: { consent: 'sell' as ConsentUse }, limit: 5 }),
    ).rejects.toSatisfy((e) => isAmanatError(e, 'list.bad_filter'))
  })
})
