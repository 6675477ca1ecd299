/**
 * The workbench's lists (issue #4 parts 3–4): median latency of an inbox page of 50 (the first and
 * one 90% of the way down), of a filtered list (incident type + received country + year, on one
 * incident) and of opening one testimony in the reader, the baseline the lists are compared to:
 * keyset paging should keep every page within a small multiple of one primary-key read, however
 * deep and however large the study.
 *
 * The study comes from the shared fixture (bench/fixtures/study-workspace.ts), read-only.
 * `AMANAT_BENCH_RESPONDENTS` sets the size (default: 20,000 quick, 1,000,000 with --full).
 */
import { median, type BenchRow } from './bench-row.ts'
import { studyWorkspace } from './fixtures/study-workspace.ts'
import { encodeCursor } from '../apps/workbench/src/service/cursor.ts'
import { listInbox, listTestimonies, readTestimony, sessionFor } from '../apps/workbench/src/service/index.ts'

const RUNS = 15
const PAGE = 50

export async function benchWorkbench(options: { quick: boolean }): Promise<BenchRow[]> {
  const respondents = Number(process.env.AMANAT_BENCH_RESPONDENTS ?? (options.quick ? 20_000 : 1_000_000))
  const study = await studyWorkspace({ respondents })
  try {
    const session = await sessionFor(study.workspace)
    const db = study.store.db
    const deepRow = await db
      .selectFrom('testimonies')
      .select(['respondent_no', 'id', 'respondent_id'])
      .where('respondent_no', '>=', Math.floor((await lastNumber(study.store.db)) * 0.9))
      .orderBy('respondent_no')
      .limit(1)
      .executeTakeFirstOrThrow()
    const deep = encodeCursor({ respondentNo: Number(deepRow.respondent_no), testimonyId: deepRow.id })
    const filters = await commonFilter(study.store.db)
    const label = `${respondents.toLocaleString('en')} respondents`

    const read = await timed(() =>
      readTestimony(session, { respondentId: deepRow.respondent_id, testimonyId: deepRow.id }),
    )
    const baseline = median(read)
    const row = (name: string, runs: number[]): BenchRow => ({
      name,
      unit: 'ms',
      median: median(runs),
      runs,
      ratio: { to: 'reading one testimony', value: median(runs) / baseline },
    })
    return [
      { name: `reader: open one testimony, ${label}`, unit: 'ms', median: baseline, runs: read },
      row(`inbox: first page of ${String(PAGE)}`, await timed(() => listInbox(session, { limit: PAGE }))),
      row(
        `inbox: a page 90% down the list`,
        await timed(() => listInbox(session, { limit: PAGE, after: deep })),
      ),
      row(
        `inbox: first page of "new"`,
        await timed(() => listInbox(session, { status: 'new', limit: PAGE })),
      ),
      row(
        `filtered list: ${filters.code} + ${filters.country} + ${String(filters.year)}, first page`,
        await timed(() => listTestimonies(session, { filters, limit: PAGE })),
      ),
    ]
  } finally {
    await study.close()
  }
}

async function lastNumber(db: Awaited<ReturnType<typeof studyWorkspace>>['store']['db']): Promise<number> {
  const row = await db
    .selectFrom('testimonies')
    .select('respondent_no')
    .orderBy('respondent_no', 'desc')
    .limit(1)
    .executeTakeFirstOrThrow()
  return Number(row.respondent_no)
}

/** The most frequent type/country/year among the first incidents: a realistic, non-empty filter. */
async function commonFilter(db: Awaited<ReturnType<typeof studyWorkspace>>['store']['db']) {
  const sample = await db
    .selectFrom('incidents')
    .select(['type', 'received_country', 'year'])
    .limit(2000)
    .execute()
  const counts = new Map<string, number>()
  for (const s of sample) {
    if (s.received_country === null || s.year === null) continue
    const key = `${s.type}|${s.received_country}|${String(s.year)}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  const [best] = [...counts.entries()].sort((a, b) => b[1] - a[1])
  if (best === undefined) throw new Error('the study has no dated incidents')
  const [code, country, year] = best[0].split('|') as [string, string, string]
  return { code, country, year: Number(year) }
}

async function timed(work: () => Promise<unknown>): Promise<number[]> {
  await work()
  const runs: number[] = []
  for (let i = 0; i < RUNS; i += 1) {
    const t0 = performance.now()
    await work()
    runs.push(performance.now() - t0)
  }
  return runs
}
