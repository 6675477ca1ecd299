import {
  CONSENT_USES,
  CountryCode,
  describeIssues,
  inputError,
  TESTIMONY_STATUSES,
  type TestimonyStatus,
} from '@amanat/domain'
import type { Database } from '@amanat/database'
import type { ExpressionBuilder, Kysely } from 'kysely'
import { consentAllows } from './consent-rule.ts'
import { checkLimit, decodeCursor, encodeCursor, type ListKey } from './cursor.ts'
import type { WorkbenchSession } from './session.ts'
import type { Page, TestimonyFilters, TestimonySummary } from './types.ts'
import { z } from 'zod'

/**
 * The inbox and the filtered testimony list. A page is found in two steps: first the keys of the
 * page, read from the one index that matches the filters in paging order (incidents by type,
 * country and year; statuses by status; testimonies by mode, or by key), then the rows of just
 * those keys. Neither step reads more than the page, so the first and the ten-thousandth page
 * cost the same, at a million testimonies as at a hundred.
 */

const Filters = z
  .object({
    code: z.string().min(1).max(63).optional(),
    country: CountryCode.optional(),
    year: z.number().int().min(1900).max(2099).optional(),
    collectionMode: z.enum(['online', 'interview', 'import']).optional(),
    consent: z.enum(CONSENT_USES).optional(),
    status: z.enum(TESTIMONY_STATUSES).optional(),
  })
  .strict()

/** Options of a list page. */
export interface ListOptions {
  readonly filters?: TestimonyFilters
  /** The `next` cursor of the previous page; omitted for the first page. */
  readonly after?: string
  /** Rows per page, 1 to 500. */
  readonly limit: number
}

/**
 * The inbox: testimonies with a workflow status (all of them without `status`), in a stable order,
 * a page at a time. `new` includes every testimony nobody has moved yet.
 *
 * @throws AmanatError input `list.bad_filter`, `list.bad_cursor`, `list.bad_limit`.
 */
export function listInbox(
  session: WorkbenchSession,
  options: { readonly status?: TestimonyStatus; readonly after?: string; readonly limit: number },
): Promise<Page<TestimonySummary>> {
  const { status, ...page } = options
  return listTestimonies(session, status === undefined ? page : { ...page, filters: { status } })
}

/**
 * Testimonies matching every given filter, a page at a time. `code`, `country` and `year` must
 * hold for one and the same incident of the testimony; `consent` follows the consent rule
 * (withdrawn respondents never match).
 *
 * @throws AmanatError input `list.bad_filter`, `list.bad_cursor`, `list.bad_limit`.
 */
export async function listTestimonies(
  session: WorkbenchSession,
  options: ListOptions,
): Promise<Page<TestimonySummary>> {
  const parsed = Filters.safeParse(options.filters ?? {})
  if (!parsed.success)
    throw inputError(
      'list.bad_filter',
      `Those filters are not valid: ${describeIssues(parsed.error).join('; ')}.`,
    )
  const limit = checkLimit(options.limit)
  const after = options.after === undefined ? null : decodeCursor(options.after)
  const keys = await pageKeys(session.store.db, parsed.data, after, limit + 1)
  const shown = keys.slice(0, limit)
  const last = shown.at(-1)
  return {
    items: await summaries(session.store.db, shown),
    next: keys.length > limit && last !== undefined ? encodeCursor(last) : null,
  }
}

type Filters = z.infer<typeof Filters>
type Db = Kysely<Database>

/** The keys of one page, from the index that fits the filters. */
async function pageKeys(db: Db, filters: Filters, after: ListKey | null, limit: number): Promise<ListKey[]> {
  const rows = await (filters.code !== undefined ||
  filters.country !== undefined ||
  filters.year !== undefined
    ? incidentKeys(db, filters, after, limit)
    : filters.status !== undefined && filters.status !== 'new'
      ? statusKeys(db, filters, after, limit)
      : testimonyKeys(db, filters, after, limit))
  return rows.map((row) => ({ respondentNo: Number(row.respondent_no), testimonyId: row.testimony_id }))
}

interface KeyRow {
  respondent_no: number
  testimony_id: string
}

function incidentKeys(db: Db, filters: Filters, after: ListKey | null, limit: number): Promise<KeyRow[]> {
  let query = db.selectFrom('incidents').select(['incidents.respondent_no', 'incidents.testimony_id'])
  if (filters.code !== undefined) query = query.where('incidents.type', '=', filters.code)
  if (filters.country !== undefined) query = query.where('incidents.received_country', '=', filters.country)
  if (filters.year !== undefined) query = query.where('incidents.year', '=', filters.year)
  if (after !== null)
    query = query.where((eb) =>
      eb(
        eb.refTuple('incidents.respondent_no', 'incidents.testimony_id'),
        '>',
        eb.tuple(after.respondentNo, after.testimonyId),
      ),
    )
  return query
    .where((eb) =>
      otherFilters(eb, 'incidents.respondent_no', 'incidents.testimony_id', filters, 'incidents'),
    )
    .groupBy(['incidents.respondent_no', 'incidents.testimony_id'])
    .orderBy('incidents.respondent_no')
    .orderBy('incidents.testimony_id')
    .limit(limit)
    .execute()
}

function statusKeys(db: Db, filters: Filters, after: ListKey | null, limit: number): Promise<KeyRow[]> {
  let query = db
    .selectFrom('testimony_status')
    .select(['testimony_status.respondent_no', 'testimony_status.testimony_id'])
    .where('testimony_status.status', '=', filters.status ?? 'new')
  if (after !== null)
    query = query.where((eb) =>
      eb(
        eb.refTuple('testimony_status.respondent_no', 'testimony_status.testimony_id'),
        '>',
        eb.tuple(after.respondentNo, after.testimonyId),
      ),
    )
  return query
    .where((eb) =>
      otherFilters(eb, 'testimony_status.respondent_no', 'testimony_status.testimony_id', filters, 'status'),
    )
    .orderBy('testimony_status.respondent_no')
    .orderBy('testimony_status.testimony_id')
    .limit(limit)
    .execute()
}

function testimonyKeys(db: Db, filters: Filters, after: ListKey | null, limit: number): Promise<KeyRow[]> {
  let query = db
    .selectFrom('testimonies')
    .select(['testimonies.respondent_no', 'testimonies.id as testimony_id'])
  if (filters.collectionMode !== undefined)
    query = query.where('testimonies.source_mode', '=', filters.collectionMode)
  if (after !== null)
    query = query.where((eb) =>
      eb(
        eb.refTuple('testimonies.respondent_no', 'testimonies.id'),
        '>',
        eb.tuple(after.respondentNo, after.testimonyId),
      ),
    )
  return query
    .where((eb) => otherFilters(eb, 'testimonies.respondent_no', 'testimonies.id', filters, 'testimonies'))
    .orderBy('testimonies.respondent_no')
    .orderBy('testimonies.id')
    .limit(limit)
    .execute()
}

type Driver = 'incidents' | 'status' | 'testimonies'

/**
 * The filters the driving index does not cover, as correlated lookups by primary key (one probe
 * per candidate row): the testimony's mode, the respondent's consent, the workflow status.
 */
function otherFilters(
  outer: ExpressionBuilder<Database, 'incidents' | 'testimony_status' | 'testimonies'>,
  noColumn: string,
  idColumn: string,
  filters: Filters,
  driver: Driver,
) {
  const eb = outer as unknown as ExpressionBuilder<Database, never>
  const no = eb.ref(noColumn as never)
  const id = eb.ref(idColumn as never)
  const conditions = []
  if (filters.collectionMode !== undefined && driver !== 'testimonies') {
    conditions.push(
      eb.exists(
        eb
          .selectFrom('testimonies as mode_t')
          .select('mode_t.respondent_no')
          .where('mode_t.respondent_no', '=', no)
          .where('mode_t.id', '=', id)
          .where('mode_t.source_mode', '=', filters.collectionMode),
      ),
    )
  }
  if (filters.consent !== undefined) {
    const use = filters.consent
    conditions.push(
      eb.exists(
        eb
          .selectFrom('respondents')
          .select('respondents.respondent_no')
          .where('respondents.respondent_no', '=', no)
          .where((inner) => consentAllows(inner, use)),
      ),
    )
  }
  if (filters.status !== undefined && driver !== 'status') {
    const moved = eb
      .selectFrom('testimony_status as s')
      .select('s.respondent_no')
      .where('s.respondent_no', '=', no)
      .where('s.testimony_id', '=', id)
    conditions.push(
      filters.status === 'new'
        ? eb.not(eb.exists(moved.where('s.status', '<>', 'new')))
        : eb.exists(moved.where('s.status', '=', filters.status)),
    )
  }
  return eb.and(conditions)
}

/** The rows of one page's keys, in the keys' order. */
async function summaries(db: Db, keys: readonly ListKey[]): Promise<TestimonySummary[]> {
  if (keys.length === 0) return []
  const numbers = [...new Set(keys.map((k) => k.respondentNo))]
  const [testimonies, statuses, counts] = await Promise.all([
    db
      .selectFrom('testimonies')
      .innerJoin('respondents', 'respondents.respondent_no', 'testimonies.respondent_no')
      .select([
        'testimonies.respondent_no',
        'testimonies.id',
        'testimonies.respondent_id',
        'testimonies.source_mode',
        'testimonies.received_on',
        'respondents.key',
        'respondents.pseudonym',
      ])
      .where('testimonies.respondent_no', 'in', numbers)
      .execute(),
    db
      .selectFrom('testimony_status')
      .select(['respondent_no', 'testimony_id', 'status', 'note'])
      .where('respondent_no', 'in', numbers)
      .execute(),
    db
      .selectFrom('incidents')
      .select(['respondent_no', 'testimony_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('respondent_no', 'in', numbers)
      .groupBy(['respondent_no', 'testimony_id'])
      .execute(),
  ])
  const at = (no: number, id: string) => `${String(no)}:${id}`
  const byKey = new Map(testimonies.map((t) => [at(Number(t.respondent_no), t.id), t]))
  const statusOf = new Map(statuses.map((s) => [at(Number(s.respondent_no), s.testimony_id), s]))
  const countOf = new Map(counts.map((c) => [at(Number(c.respondent_no), c.testimony_id), Number(c.n)]))
  return keys.flatMap((key) => {
    const k = at(key.respondentNo, key.testimonyId)
    const row = byKey.get(k)
    if (row === undefined) return []
    const status = statusOf.get(k)
    return [
      {
        testimonyId: row.id,
        respondentId: row.respondent_id,
        respondentKey: row.key,
        pseudonym: row.pseudonym,
        sourceMode: row.source_mode as TestimonySummary['sourceMode'],
        receivedOn: row.received_on,
        status: (status?.status ?? 'new') as TestimonyStatus,
        statusNote: status?.note ?? null,
        incidentCount: countOf.get(k) ?? 0,
      },
    ]
  })
}
