import { join } from 'node:path'
import { CONSENT_USES, CORE_LANGUAGES, parseCodebook } from '@amanat/domain'
import { SearchFilters } from '@amanat/search'
import { Hono } from 'hono'
import { z } from 'zod'
import { buildReport } from '../../report/build-report.ts'
import { agreement } from '../../service/agreement.ts'
import { enterInterview, InterviewEntry, questionnaireFor } from '../../service/interview.ts'
import { recode } from '../../service/recode.ts'
import { loadRespondent } from '../../service/records.ts'
import { jsonBody, parseWith } from '../api-errors.ts'
import { dashboard } from '../dashboard.ts'
import type { Work } from './route-kit.ts'

/** Search, the dashboard, the report, inter-coder agreement, recoding to a new codebook, and interview entry. */

const RecodeBody = z
  .object({
    codebook: z
      .string()
      .min(1)
      .max(2 * 1024 * 1024),
    mapping: z.record(z.string().max(63), z.string().max(63).nullable()),
  })
  .strict()
const SearchQuery = z
  .object({
    q: z.string().max(1000).default(''),
    after: z.string().max(200).optional(),
    code: z.string().min(1).max(63).optional(),
    country: z.string().length(2).optional(),
    year: z.coerce.number().int().min(1900).max(2099).optional(),
    mode: z.enum(['online', 'interview']).optional(),
    consent: z.enum(CONSENT_USES).optional(),
  })
  .strict()
const DashboardQuery = z.object({ lang: z.enum(CORE_LANGUAGES).default('en') }).strict()
const ReportBody = z.object({ lang: z.enum(CORE_LANGUAGES).default('en') }).strict()

/** Where a report built from the page goes: inside the workspace folder, one folder per language. */
export const REPORT_DIR = 'report'

export function analysisRoutes(open: () => Work): Hono {
  const app = new Hono()
  const work = () => open().service

  app.get('/agreement', async (c) => c.json({ types: await agreement(work()) }))
  app.post('/recode', async (c) => {
    const body = await jsonBody(c, RecodeBody)
    return c.json(
      await recode(work(), {
        toCodebook: parseCodebook(body.codebook, 'the pasted codebook'),
        mapping: body.mapping,
      }),
    )
  })
  app.get('/interviews/questionnaire', async (c) => c.json({ questionnaire: await questionnaireFor(work()) }))
  app.post('/interviews', async (c) =>
    c.json(await enterInterview(work(), await jsonBody(c, InterviewEntry))),
  )

  app.get('/search', async (c) => {
    const q = parseWith(SearchQuery, c.req.query())
    const filters = parseWith(SearchFilters, {
      ...(q.code === undefined ? {} : { codes: [q.code] }),
      ...(q.country === undefined ? {} : { countries: [q.country] }),
      ...(q.year === undefined ? {} : { years: { from: q.year, to: q.year } }),
      ...(q.mode === undefined ? {} : { mode: q.mode }),
      ...(q.consent === undefined ? {} : { consent: q.consent }),
    })
    const { service, search } = open()
    const results = await search().search({
      query: q.q,
      filters,
      limit: 20,
      ...(q.after === undefined ? {} : { after: q.after }),
    })
    const hits = await Promise.all(
      results.hits.map(async (hit) => ({
        respondentId: hit.respondentId,
        testimonyId: hit.testimonyId,
        respondentKey: (await loadRespondent(service, hit.respondentId)).respondent.key,
        snippet: hit.snippet,
      })),
    )
    return c.json({ hits, next: results.next })
  })

  app.get('/dashboard', async (c) => {
    const { lang } = parseWith(DashboardQuery, c.req.query())
    return c.json({ charts: await dashboard(work(), lang) })
  })

  // The same build as `amanat report` (a release through disclosure control, stories checked
  // against the vault), by the chosen analyst; an unchanged workspace rebuilds byte-identically.
  app.post('/report', async (c) => {
    const { lang } = await jsonBody(c, ReportBody)
    const { service, vault, intake } = open()
    const result = await buildReport(
      { store: service.store, codebook: service.codebook, vault, author: service.analyst.id },
      { outDir: join(intake.workspace.dir, REPORT_DIR, lang), language: lang },
    )
    return c.json({
      outDir: result.outDir,
      files: result.files.length,
      recorded: result.recorded,
      suppressed: result.suppressed,
      stories: result.stories,
      withheldStories: result.withheldStories.length,
    })
  })

  return app
}
