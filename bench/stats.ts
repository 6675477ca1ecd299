/**
 * Statistics at scale (issue #5): the dashboard set counted on the statistics cube and put through
 * disclosure control, next to the same queries run by DuckDB on the same data loaded in the same
 * run (ratios), plus the cube's cold build from the projection tables and its decode from the
 * cache's bytes. `AMANAT_BENCH_RESPONDENTS` sets the study size (default: 50,000 quick, 1,000,000
 * with --full); the study workspace comes from bench/fixtures (built once per machine).
 *
 * Targets: each dashboard query under 200 ms and no worse than 2× DuckDB; an ad-hoc filtered count
 * under 200 ms. The shared fixture is read-only, so the cold build is measured with `buildCube`
 * (which writes nothing) and the warm path as a decode of the encoded cube.
 */
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api'
import { controlRelease, DIMENSIONS, isMultiValued } from '@amanat/disclosure'
import { currentCodebook } from '../apps/workbench/src/workspace/current-codebook.ts'
import { buildCube, decodeCube, encodeCube } from '../apps/workbench/src/stats/cube-cache.ts'
import { countTable, UNKNOWN, type StatsCube, type StatsQuery } from '../apps/workbench/src/stats/cube.ts'
import { median, type BenchRow } from './bench-row.ts'
import { studyWorkspace } from './fixtures/study-workspace.ts'

const RUNS = 7

interface Case {
  readonly name: string
  readonly query: StatsQuery
  readonly sql: string
}

const FROM = 'incidents i join respondents r using (respondent_no)'
const CASES: readonly Case[] = [
  {
    name: 'respondents per type',
    query: { by: ['incident_type'], where: [] },
    sql: `select type, count(distinct respondent_no) from ${FROM} group by 1`,
  },
  {
    name: 'type × residence country',
    query: { by: ['incident_type', 'residence_country'], where: [] },
    sql: `select type, residence_country, count(distinct respondent_no) from ${FROM} group by 1, 2`,
  },
  {
    name: 'per year',
    query: { by: ['year'], where: [] },
    sql: `select year, count(distinct respondent_no) from ${FROM} where year is not null group by 1`,
  },
  {
    name: 'channel × perpetrator',
    query: { by: ['channel', 'perpetrator'], where: [] },
    sql: `select channel, perpetrator, count(distinct respondent_no) from ${FROM} group by 1, 2`,
  },
  {
    name: 'type where country, status, channel',
    query: {
      by: ['incident_type'],
      where: [
        { dimension: 'residence_country', value: 'TR' },
        { dimension: 'status', value: 'refugee' },
        { dimension: 'channel', value: 'wechat' },
      ],
    },
    sql: `select type, count(distinct respondent_no) from ${FROM} where r.residence_country = 'TR' and r.status = 'refugee' and i.channel = 'wechat' group by 1`,
  },
]

/** An ad-hoc filtered count: one number, respondents matching four conditions. */
const AD_HOC: Case = {
  name: 'ad-hoc: disclosure where continent, ethnicity, perpetrator, year',
  query: {
    by: ['disclosure'],
    where: [
      { dimension: 'continent', value: 'europe' },
      { dimension: 'ethnicity', value: 'uyghur' },
      { dimension: 'perpetrator', value: 'state_security' },
      { dimension: 'year', value: '2019' },
    ],
  },
  sql: `select r.disclosure, count(distinct respondent_no) from ${FROM} where r.continent = 'europe' and r.ethnicity = 'uyghur' and i.perpetrator = 'state_security' and i.year = '2019' group by 1`,
}

export async function benchStats(options: { quick: boolean }): Promise<BenchRow[]> {
  const fromEnv = Number(process.env.AMANAT_BENCH_RESPONDENTS)
  const respondents = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : options.quick ? 50_000 : 1_000_000
  const study = await studyWorkspace({ respondents })
  const rows: BenchRow[] = []
  try {
    const codebook = await currentCodebook(study.workspace.store)
    let t = performance.now()
    const cube = await buildCube(study.store, codebook)
    const coldMs = performance.now() - t
    rows.push({
      name: `cube cold build from projections (${label(respondents)} respondents, ${label(cube.incidentStart[cube.respondents] ?? 0)} incidents)`,
      unit: 'ms',
      median: coldMs,
      runs: [coldMs],
    })
    const encoded = encodeCube(cube)
    const decodes = timed(() => decodeCube(encoded))
    rows.push({
      name: `cube warm load: decode ${label(encoded.length)} cached bytes`,
      unit: 'ms',
      median: median(decodes),
      runs: decodes,
    })

    t = performance.now()
    const duck = await loadDuckDb(cube)
    const duckLoadMs = performance.now() - t
    rows.push({
      name: 'DuckDB: load the same data (appender)',
      unit: 'ms',
      median: duckLoadMs,
      runs: [duckLoadMs],
    })
    try {
      for (const c of [...CASES, AD_HOC]) {
        const ours = timed(() => controlRelease([countTable(cube, c.query)], { k: 5 }))
        const theirs: number[] = []
        for (let i = 0; i < RUNS; i++) {
          const start = performance.now()
          await duck.runAndReadAll(c.sql)
          theirs.push(performance.now() - start)
        }
        rows.push({ name: `DuckDB: ${c.name}`, unit: 'ms', median: median(theirs), runs: theirs })
        rows.push({
          name: `cube + disclosure control: ${c.name}`,
          unit: 'ms',
          median: median(ours),
          runs: ours,
          ratio: { to: 'DuckDB', value: median(ours) / median(theirs) },
          target: '< 200 ms and ≤ 2× DuckDB',
        })
      }
    } finally {
      duck.closeSync()
    }
  } finally {
    await study.close()
  }
  return rows
}

function timed(work: () => unknown): number[] {
  const runs: number[] = []
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now()
    work()
    runs.push(performance.now() - start)
  }
  return runs
}

function label(n: number): string {
  return n.toLocaleString('en')
}

/** The cube's respondents and incidents as two DuckDB tables of text columns, the shape a SQL analyst would load. */
async function loadDuckDb(cube: StatsCube): Promise<DuckDBConnection> {
  const instance = await DuckDBInstance.create(':memory:')
  const connection = await instance.connect()
  const respondentDims = DIMENSIONS.filter((d) => !isMultiValued(d))
  await connection.run(
    `create table respondents (respondent_no integer, ${respondentDims.map((d) => `${d} varchar`).join(', ')})`,
  )
  await connection.run(
    'create table incidents (respondent_no integer, type varchar, channel varchar, perpetrator varchar, year varchar)',
  )
  const text = (d: (typeof DIMENSIONS)[number], v: number) =>
    v === UNKNOWN ? null : (cube.values[d][v] ?? null)
  const people = await connection.createAppender('respondents')
  const acts = await connection.createAppender('incidents')
  for (let r = 0; r < cube.respondents; r++) {
    people.appendInteger(r)
    for (const d of respondentDims) appendText(people, text(d, cube.columns[d][r] ?? UNKNOWN))
    people.endRow()
    for (let i = cube.incidentStart[r] ?? 0; i < (cube.incidentStart[r + 1] ?? 0); i++) {
      acts.appendInteger(r)
      for (const d of ['incident_type', 'channel', 'perpetrator', 'year'] as const)
        appendText(acts, text(d, cube.columns[d][i] ?? UNKNOWN))
      acts.endRow()
    }
  }
  people.closeSync()
  acts.closeSync()
  return connection
}

function appendText(
  appender: { appendVarchar(v: string): void; appendNull(): void },
  value: string | null,
): void {
  if (value === null) appender.appendNull()
  else appender.appendVarchar(value)
}
