import { api } from '../api.ts'
import { h, whileBusy } from '../dom.ts'
import { t, uiLanguage } from '../i18n/i18n.ts'
import { showError } from './notice.ts'

/** A chart as the server renders it: SVG made by @amanat/charts from disclosure-controlled tables. */
interface DashboardChart {
  readonly id: string
  readonly title: string
  readonly svg: string
}

/**
 * The dashboard: the standard charts of the workspace's statistics, with small cells suppressed
 * as a release would show them. Each SVG is shown as an image from a blob URL (an SVG in an
 * <img> runs nothing, and the CSP allows images from this origin and blobs only).
 */
export function dashboardScreen(view: HTMLElement): void {
  const body = h('div', { class: 'charts' })
  view.replaceChildren(h('h1', {}, t('dashboardTitle')), reportBar(), body)
  api
    .get<{ charts: DashboardChart[] }>(`/api/dashboard?lang=${uiLanguage()}`)
    .then(({ charts }) => {
      body.replaceChildren(
        ...charts.map((chart) => {
          const src = URL.createObjectURL(new Blob([chart.svg], { type: 'image/svg+xml' }))
          const image = h('img', { src, alt: chart.title, id: `chart-${chart.id}` })
          image.addEventListener('load', () => URL.revokeObjectURL(src), { once: true })
          return h('figure', {}, image, h('figcaption', {}, chart.title))
        }),
      )
    })
    .catch(showError)
}

/** What a report build from the page did (the server's summary; withheld stories as a count only). */
interface ReportSummary {
  readonly outDir: string
  readonly files: number
  readonly recorded: boolean
  readonly suppressed: number
  readonly stories: number
  readonly withheldStories: number
}

/**
 * "Build report": the same release as `amanat report`, in the interface language, written into
 * the workspace folder. The page says where and what it did; it never shows the report's text.
 */
function reportBar(): HTMLElement {
  const report = h('div', { 'aria-live': 'polite', id: 'report-result' })
  const button = h('button', { type: 'button', class: 'secondary', id: 'build-report' }, t('reportBuild'))
  button.addEventListener('click', () => {
    whileBusy(button, () => {
      report.replaceChildren(h('p', { class: 'muted' }, t('reportBuilding')))
      return api
        .post<ReportSummary>('/api/report', { lang: uiLanguage() })
        .then((result) => {
          report.replaceChildren(
            h(
              'p',
              {},
              t(result.recorded ? 'reportRecorded' : 'reportUnchanged', {
                files: result.files,
                suppressed: result.suppressed,
                stories: result.stories,
              }),
            ),
            h('p', { dir: 'ltr', class: 'muted' }, result.outDir),
            ...(result.withheldStories > 0
              ? [h('p', { class: 'muted' }, t('reportWithheld', { count: result.withheldStories }))]
              : []),
          )
        })
        .catch(showError)
    })
  })
  return h('div', { class: 'actions' }, button, report)
}
