import { createHash } from 'node:crypto'
import { canonicalJson } from '@amanat/crypto'
import {
  controlRelease,
  type ControlledRelease,
  type EarlierTable,
  type PublishedTable,
  type SuppressionEntry,
} from '@amanat/disclosure'
import type { WorkspaceStore } from '@amanat/database'
import type { RELEASE_KINDS } from '@amanat/domain'
import { ReleasedTable, integrityError, type Codebook, type ReleaseRecord } from '@amanat/domain'
import { countTable, type StatsQuery } from './cube.ts'
import { loadCube } from './cube-cache.ts'

/** The default threshold: no published count lies in [1, 4]. */
export const DEFAULT_K = 5

/** What to publish: the tables of one release, its name and kind, the threshold and the analyst. */
export interface PublishRequest {
  readonly name: string
  readonly kind: (typeof RELEASE_KINDS)[number]
  readonly k: number
  /** The analyst recorded as the author of the ledger entry. */
  readonly author: string
  readonly queries: readonly StatsQuery[]
}

/** A published release: its tables (in the order asked), the suppression log, and whether it was new. */
export interface PublishedRelease {
  readonly tables: readonly PublishedTable[]
  readonly suppressed: readonly SuppressionEntry[]
  /** SHA-256 of the canonical `{k, tables}` as the ledger records them. */
  readonly sha256: string
  /** True when this call recorded a ledger entry; false when the ledger already held this release. */
  readonly recorded: boolean
}

/**
 * The one path numbers leave the team by: counts `queries` on the statistics cube (consenting
 * respondents only), runs them through disclosure control as one release against every table in
 * the release ledger (differencing), and records a `release.recorded` event — unless the ledger
 * already holds a release of this name with the same content, so rebuilding a report or re-running
 * `stats --release` on an unchanged workspace records nothing.
 */
export async function publish(
  store: WorkspaceStore,
  codebook: Codebook,
  request: PublishRequest,
): Promise<PublishedRelease> {
  const ledger = await readLedger(store)
  const controlled = await controlQueries(store, codebook, request.queries, request.k, ledger)
  const tables = controlled.tables.map((table, i) => releasedTable(table, request.queries[i]?.where ?? []))
  const sha256 = createHash('sha256')
    .update(canonicalJson({ k: request.k, tables }))
    .digest('hex')
  const recorded = !ledger.some((entry) => entry.name === request.name && entry.sha256 === sha256)
  if (recorded) {
    const release: ReleaseRecord = { name: request.name, kind: request.kind, k: request.k, sha256, tables }
    await store.append(request.author, { kind: 'release.recorded', release })
  }
  return { ...controlled, sha256, recorded }
}

/**
 * Disclosure control without recording: what a plain `amanat stats` prints. The same rules as
 * {@link publish}, differencing included, so what an analyst sees is what a release would show.
 */
export async function controlQueries(
  store: WorkspaceStore,
  codebook: Codebook,
  queries: readonly StatsQuery[],
  k: number,
  ledger?: readonly LedgerEntry[],
): Promise<ControlledRelease> {
  const { cube } = await loadCube(store, codebook)
  const counted = queries.map((query) => countTable(cube, query))
  const earlier: EarlierTable[] = (ledger ?? (await readLedger(store))).flatMap((entry) => entry.tables)
  return controlRelease(counted, { k, earlier })
}

/** One release in the ledger. */
export interface LedgerEntry {
  readonly name: string
  readonly sha256: string
  readonly tables: readonly ReleasedTable[]
}

/** The release ledger, oldest first, parsed at this boundary. */
export async function readLedger(store: WorkspaceStore): Promise<LedgerEntry[]> {
  const rows = await store.db
    .selectFrom('releases')
    .select(['name', 'sha256', 'tables'])
    .orderBy('seq')
    .execute()
  return rows.map((row) => {
    const tables = ReleasedTable.array().safeParse(JSON.parse(row.tables))
    if (!tables.success) {
      throw integrityError('stats.ledger_damaged', `The release ledger's entry "${row.name}" does not parse.`)
    }
    return { name: row.name, sha256: row.sha256, tables: tables.data }
  })
}

function releasedTable(table: PublishedTable, where: StatsQuery['where']): ReleasedTable {
  return {
    dimensions: [...table.dimensions],
    where: where.map(({ dimension, value }) => ({ dimension, value })),
    respondents: table.respondents,
    cells: table.cells.map((cell) => ({
      values: table.dimensions.map((d) => cell[d] ?? ''),
      count: cell.count,
    })),
  }
}
