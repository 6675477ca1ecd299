import {
  CHART_MESSAGES,
  channelPerpetratorChart,
  countriesMap,
  harassmentTypesChart,
  renderSvg,
  yearsChart,
  type ChartSpec,
} from '@amanat/charts'
import type { PublishedTable } from '@amanat/disclosure'
import type { CoreLanguage } from '@amanat/domain'
import type { WorkbenchSession } from '../service/session.ts'
import { controlQueries, DEFAULT_K } from '../stats/publish.ts'
import type { StatsQuery } from '../stats/cube.ts'

/**
 * The dashboard: the standard charts over the workspace's statistics, each table through the
 * same disclosure control a release would get (so a small cell shows as suppressed here exactly
 * as it would in the report, and an analyst never gets used to seeing numbers that could not be
 * published). Nothing is recorded in the ledger: this is a view, not a release. Charts are SVG
 * rendered on this side (@amanat/charts); the page shows them as images.
 */
export interface DashboardChart {
  readonly id: string
  readonly title: string
  readonly svg: string
}

const CHARTS: readonly {
  readonly id: string
  readonly query: StatsQuery
  readonly title: (language: CoreLanguage) => string
  readonly spec: (
    table: PublishedTable,
    context: { codebook: WorkbenchSession['codebook']; language: CoreLanguage },
  ) => ChartSpec
}[] = [
  {
    id: 'types',
    query: { by: ['incident_type'], where: [] },
    title: (l) => CHART_MESSAGES[l].harassmentTypes,
    spec: harassmentTypesChart,
  },
  {
    id: 'years',
    query: { by: ['year'], where: [] },
    title: (l) => CHART_MESSAGES[l].years,
    spec: yearsChart,
  },
  {
    id: 'countries',
    query: { by: ['residence_country'], where: [] },
    title: (l) => CHART_MESSAGES[l].countries,
    spec: countriesMap,
  },
  {
    id: 'channels',
    query: { by: ['channel', 'perpetrator'], where: [] },
    title: (l) => CHART_MESSAGES[l].channelPerpetrator,
    spec: channelPerpetratorChart,
  },
]

export async function dashboard(
  session: WorkbenchSession,
  language: CoreLanguage,
): Promise<DashboardChart[]> {
  const controlled = await controlQueries(
    session.store,
    session.codebook,
    CHARTS.map((c) => c.query),
    DEFAULT_K,
  )
  return Promise.all(
    CHARTS.map(async (chart, i) => {
      const table = controlled.tables[i]
      if (table === undefined) throw new Error(`no table for the ${chart.id} chart`)
      return {
        id: chart.id,
        title: chart.title(language),
        svg: await renderSvg(chart.spec(table, { codebook: session.codebook, language })),
      }
    }),
  )
}
