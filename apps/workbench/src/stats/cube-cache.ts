import { DIMENSIONS, isMultiValued, type Dimension } from '@amanat/disclosure'
import type { WorkspaceStore } from '@amanat/database'
import { codebookRef, type Codebook } from '@amanat/domain'
import { CubeBuilder } from './cube-builder.ts'
import type { StatsCube } from './cube.ts'

/** Bump when the cube's layout or meaning changes: older caches are then rebuilt. */
const CUBE_FORMAT = 1
const CACHE_NAME = 'cube'
const PAGE = 20_000

/** A cube and how it was obtained (for the bench and `--verbose` output). */
export interface LoadedCube {
  readonly cube: StatsCube
  /** True when it was built from the projections now; false when read from the cache. */
  readonly built: boolean
}

/**
 * The statistics cube of the workspace as it is now. Read from the store's `stats_cache` when
 * that was built from the same state (the same head of the event log, the same respondents'
 * keys — a crypto-shred moves no head — and the same codebook); otherwise built from the
 * projection tables and written back, so the next command starts warm. The cache sits inside the
 * encrypted store: it holds no ids, but it is still per-respondent data.
 */
export async function loadCube(store: WorkspaceStore, codebook: Codebook): Promise<LoadedCube> {
  const version = await stateVersion(store, codebook)
  const cached = await store.db
    .selectFrom('stats_cache')
    .select(['version', 'data'])
    .where('name', '=', CACHE_NAME)
    .executeTakeFirst()
  if (cached?.version === version) return { cube: decodeCube(cached.data), built: false }
  const cube = await buildCube(store, codebook)
  const data = encodeCube(cube)
  await store.db
    .insertInto('stats_cache')
    .values({ name: CACHE_NAME, version, data })
    .onConflict((oc) => oc.column('name').doUpdateSet({ version, data }))
    .execute()
  return { cube, built: true }
}

/**
 * Builds the cube from the projection tables, a page of respondents at a time with their
 * incidents (both tables are keyed by respondent_no first, so each page is one range scan).
 */
export async function buildCube(store: WorkspaceStore, codebook: Codebook): Promise<StatsCube> {
  const builder = new CubeBuilder(codebook)
  for (let after = 0; ;) {
    const rows = await store.db
      .selectFrom('respondents')
      .select([
        'respondent_no',
        'residence_country',
        'ethnicity',
        'status',
        'collection_mode',
        'disclosure',
        'consent_uses',
        'consent_withdrawn',
        'consent_form',
        'consent_recorded_on',
      ])
      .where('respondent_no', '>', after)
      .orderBy('respondent_no')
      .limit(PAGE)
      .execute()
    const last = rows.at(-1)
    if (last === undefined) break
    for (const row of rows) builder.addRespondent(row)
    const incidents = await store.db
      .selectFrom('incidents')
      .select(['respondent_no', 'type', 'channel', 'perpetrator', 'year'])
      .where('respondent_no', '>', after)
      .where('respondent_no', '<=', last.respondent_no)
      .orderBy('respondent_no')
      .execute()
    for (const row of incidents) builder.addIncident(row)
    if (rows.length < PAGE) break
    after = last.respondent_no
  }
  return builder.build()
}

async function stateVersion(store: WorkspaceStore, codebook: Codebook): Promise<string> {
  const head = await store.db
    .selectFrom('events')
    .select(['seq', 'hash'])
    .orderBy('seq', 'desc')
    .limit(1)
    .executeTakeFirst()
  const keys = await store.db
    .selectFrom('subject_keys')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow()
  const hash = head === undefined ? '' : Buffer.from(head.hash).toString('hex')
  return [CUBE_FORMAT, head?.seq ?? 0, hash, String(keys.n), codebookRef(codebook)].join('|')
}

/** Layout: u32 header length, the JSON header, padding to 4, `incidentStart`, then each column. */
export function encodeCube(cube: StatsCube): Buffer {
  const header = Buffer.from(JSON.stringify({ values: cube.values, respondents: cube.respondents }))
  const parts: Buffer[] = []
  const length = Buffer.alloc(4)
  length.writeUInt32LE(header.length)
  parts.push(length, header, Buffer.alloc((4 - (header.length % 4)) % 4))
  parts.push(
    Buffer.from(cube.incidentStart.buffer, cube.incidentStart.byteOffset, cube.incidentStart.byteLength),
  )
  for (const d of DIMENSIONS) {
    const column = cube.columns[d]
    parts.push(Buffer.from(column.buffer, column.byteOffset, column.byteLength))
  }
  return Buffer.concat(parts)
}

export function decodeCube(data: Uint8Array): StatsCube {
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  const headerLength = bytes.readUInt32LE(0)
  const header = JSON.parse(bytes.subarray(4, 4 + headerLength).toString('utf8')) as {
    values: Record<Dimension, string[]>
    respondents: number
  }
  let offset = 4 + headerLength + ((4 - (headerLength % 4)) % 4)
  // Copies, so the arrays are aligned whatever the driver's buffer offset was.
  const take = (byteLength: number) => {
    const copy = new Uint8Array(byteLength)
    copy.set(bytes.subarray(offset, offset + byteLength))
    offset += byteLength
    return copy.buffer
  }
  const incidentStart = new Uint32Array(take((header.respondents + 1) * 4))
  const incidents = incidentStart[header.respondents] ?? 0
  const columns = {} as Record<Dimension, Uint16Array>
  for (const d of DIMENSIONS)
    columns[d] = new Uint16Array(take((isMultiValued(d) ? incidents : header.respondents) * 2))
  return { values: header.values, respondents: header.respondents, incidentStart, columns }
}
