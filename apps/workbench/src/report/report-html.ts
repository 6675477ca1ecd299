import { countryName, type CoreLanguage } from '@amanat/domain'
import type { DisclosureLog, ReportData, ReportTable } from './report-data.ts'
import { REPORT_MESSAGES, VOCABULARY_LABELS } from './report-messages.ts'
import { tableRows } from './report-tables-files.ts'

/**
 * `index.html`: one static page that reads well on screen and prints to PDF. It loads nothing
 * but files beside it (its stylesheet, the chart images), carries no script and no inline style,
 * and says so in its Content-Security-Policy, so a reader's browser refuses anything else. Uyghur
 * pages are laid out right to left. Two-way tables are printed long (one row per cell) so that no
 * table is wider than a page.
 */

/** A chart as the page shows it: its file (without extension) and its accessible title. */
export interface ReportChart {
  readonly file: string
  readonly title: string
}

const CSP = "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'"

export function reportHtml(data: ReportData, charts: readonly ReportChart[], log: DisclosureLog): string {
  const words = REPORT_MESSAGES[data.language]
  const direction = data.language === 'ug' ? 'rtl' : 'ltr'
  const sections = [
    `<header><h1>${escape(words.title)}</h1><p class="downloads">${escape(words.downloads)}</p></header>`,
    `<section id="methodology"><h2>${escape(words.methodologyHeading)}</h2><p>${escape(methodologyText(data))}</p></section>`,
    `<section id="charts"><h2>${escape(words.chartsHeading)}</h2>${charts.map(chartFigure).join('')}</section>`,
    `<section id="tables"><h2>${escape(words.tablesHeading)}</h2>${data.tables.map((t) => tableHtml(t, data.language)).join('')}</section>`,
    `<section id="stories"><h2>${escape(words.storiesHeading)}</h2>${storiesHtml(data)}</section>`,
    `<section id="disclosure"><h2>${escape(words.disclosureHeading)}</h2>${disclosureHtml(data, log)}</section>`,
  ]
  return [
    '<!doctype html>',
    `<html lang="${data.language}" dir="${direction}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${CSP}">`,
    '<meta name="referrer" content="no-referrer">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escape(words.title)}</title>`,
    '<link rel="stylesheet" href="report.css">',
    '</head>',
    '<body>',
    '<main>',
    ...sections,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n')
}

/** The generated methodology paragraph, in the report's language. */
export function methodologyText(data: ReportData): string {
  const words = REPORT_MESSAGES[data.language]
  const vocabulary = VOCABULARY_LABELS[data.language]
  const modes = data.methodology.collectionModes
    .map((m) => `${vocabulary[m.mode] ?? m.mode}: ${m.count === null ? words.suppressed : String(m.count)}`)
    .join(', ')
  return words.methodology(data.methodology, modes, words.suppressed)
}

function chartFigure(chart: ReportChart): string {
  return `<figure class="chart"><img src="charts/${chart.file}.svg" alt="${escape(chart.title)}"><figcaption>${escape(chart.title)} · <a href="charts/${chart.file}.png">PNG</a></figcaption></figure>`
}

function tableHtml(table: ReportTable, language: CoreLanguage): string {
  const words = REPORT_MESSAGES[language]
  const [header = [], ...body] = tableRows(table, words.count, words.suppressed)
  const head = header
    .map(
      (h, i) =>
        `<th scope="col"${i === header.length - 1 ? ' class="count"' : ''}>${escape(i < table.dimensions.length ? dimensionTitle(h, language) : h)}</th>`,
    )
    .join('')
  const rows = body
    .map((row, r) => {
      const suppressed = table.cells[r]?.suppressed === true
      const cells = row.map((value, i) =>
        i === row.length - 1
          ? `<td class="count${suppressed ? ' suppressed' : ''}">${escape(value)}</td>`
          : `<td>${escape(value)}</td>`,
      )
      return `<tr>${cells.join('')}</tr>`
    })
    .join('')
  const total = `<tr class="total"><th scope="row" colspan="${String(table.dimensions.length)}">${escape(words.total)}</th><td class="count${table.respondents === null ? ' suppressed' : ''}">${table.respondents === null ? escape(words.suppressed) : String(table.respondents)}</td></tr>`
  return `<table id="table-${table.name}"><caption>${escape(table.title)} · <a href="tables/${table.name}.csv">CSV</a></caption><thead><tr>${head}</tr></thead><tbody>${rows}</tbody><tfoot>${total}</tfoot></table>`
}

const DIMENSION_TITLES: Readonly<Record<CoreLanguage, Readonly<Record<string, string>>>> = {
  en: {
    incident_type: 'Type of harassment',
    residence_country: 'Country of residence',
    year: 'Year',
    channel: 'Channel',
    perpetrator: 'Perpetrator',
    continent: 'Continent',
    collection_mode: 'Collected by',
    disclosure: 'Asked to be',
  },
  ug: {
    incident_type: 'پاراكەندىچىلىك تۈرى',
    residence_country: 'تۇرۇشلۇق دۆلىتى',
    year: 'يىل',
    channel: 'قانال',
    perpetrator: 'قىلمىش ئىگىسى',
    continent: 'قىتئە',
    collection_mode: 'توپلاش ئۇسۇلى',
    disclosure: 'ئاشكارىلاش ئارزۇسى',
  },
  zh: {
    incident_type: '骚扰类型',
    residence_country: '居住国',
    year: '年份',
    channel: '渠道',
    perpetrator: '施害者',
    continent: '大洲',
    collection_mode: '收集方式',
    disclosure: '公开意愿',
  },
  tr: {
    incident_type: 'Taciz türü',
    residence_country: 'İkamet ülkesi',
    year: 'Yıl',
    channel: 'Kanal',
    perpetrator: 'Fail',
    continent: 'Kıta',
    collection_mode: 'Toplama yöntemi',
    disclosure: 'Kimlik tercihi',
  },
}

function dimensionTitle(dimension: string, language: CoreLanguage): string {
  return DIMENSION_TITLES[language][dimension] ?? dimension
}

function storiesHtml(data: ReportData): string {
  const words = REPORT_MESSAGES[data.language]
  if (data.stories.length === 0) return `<p>${escape(words.noStories)}</p>`
  return data.stories
    .map((story) => {
      const place =
        story.residenceCountry !== null
          ? countryName(story.residenceCountry, data.language)
          : story.residenceContinent !== null
            ? (VOCABULARY_LABELS[data.language][story.residenceContinent] ?? story.residenceContinent)
            : null
      const where = place === null ? '' : ` · ${escape(words.livesIn(place))}`
      const paragraphs = story.text
        .split(/\n\s*\n/)
        .map((p) => `<p>${escape(p.trim())}</p>`)
        .join('')
      return `<article class="story" lang="${escape(story.language)}" dir="auto"><h3>${escape(story.title)}</h3><p class="byline">${escape(story.pseudonym)}${where}</p>${paragraphs}</article>`
    })
    .join('')
}

function disclosureHtml(data: ReportData, log: DisclosureLog): string {
  const words = REPORT_MESSAGES[data.language]
  const titles = new Map(data.tables.map((t) => [t.name, t]))
  const items = log.suppressed.map((entry) => {
    const table = titles.get(entry.table)
    const cell =
      entry.cell === null
        ? words.total
        : Object.entries(entry.cell)
            .map(([d, v]) => table?.labels[d]?.[v] ?? v)
            .join(' × ')
    return `<li>${escape(table?.title ?? entry.table)}: ${escape(cell)} — ${escape(words.reasons[entry.reason])}</li>`
  })
  return `<p>${escape(words.disclosureSummary(log.k, log.suppressed.length))}</p>${items.length === 0 ? '' : `<ul class="log">${items.join('')}</ul>`}<p class="downloads"><a href="disclosure-log.json">disclosure-log.json</a></p>`
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${String(c.charCodeAt(0))};`)
}
