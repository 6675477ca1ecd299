import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { labelOf, parseCodebook, type Codebook } from '@amanat/domain'
import sharp from 'sharp'
import { describe, expect, it } from 'vitest'
import { notoFontsAvailable } from '../../../tools/test-support/services.ts'
import {
  channelPerpetratorChart,
  countriesMap,
  harassmentTypesChart,
  PublishedTableSchema,
  type PublishedTable,
  renderPng,
  renderSvg,
  SUPPRESSED_PATTERN_ID,
  yearsChart,
  CHART_MESSAGES,
} from '../src/index.ts'

const hasNoto = notoFontsAvailable()

const codebook: Codebook = parseCodebook(
  readFileSync(createRequire(import.meta.url).resolve('@amanat/domain/codebook/default.yaml'), 'utf8'),
)
const HATCH = `fill="url(#${SUPPRESSED_PATTERN_ID})"`

/** A table by `incident_type` over the whole section, every third type suppressed. */
function typesTable(): PublishedTable {
  const cells = codebook.sections.harassment_types.map((entry, i) =>
    i % 3 === 1
      ? { incident_type: entry.code, count: null, suppressed: true }
      : { incident_type: entry.code, count: 5 + i, suppressed: false },
  )
  return PublishedTableSchema.parse({ dimensions: ['incident_type'], k: 5, respondents: 120, cells })
}

function occurrences(text: string, needle: string): number {
  return text.split(needle).length - 1
}

/** Pixels darker than mid-grey: a blank (all-white) image has none. */
async function inkOf(png: Uint8Array): Promise<{ dark: number; pixels: Buffer }> {
  const { data } = await sharp(png).greyscale().raw().toBuffer({ resolveWithObject: true })
  let dark = 0
  for (const value of data) if (value < 128) dark += 1
  return { dark, pixels: data }
}

describe('published tables', () => {
  it('refuses a cell whose count is null but which is not marked suppressed', () => {
    const cells = [{ incident_type: 'death_threat', count: null, suppressed: false }]
    expect(
      PublishedTableSchema.safeParse({ dimensions: ['incident_type'], k: 5, respondents: 10, cells }).success,
    ).toBe(false)
  })
})

describe('charts', () => {
  it('writes the codebook labels as text, in the chosen language', async () => {
    for (const language of ['en', 'ug', 'zh', 'tr'] as const) {
      const svg = await renderSvg(harassmentTypesChart(typesTable(), { codebook, language }))
      const label = labelOf(codebook, 'harassment_types', 'personal_data_request', language)
      expect(svg).toContain(`>${label}</text>`)
      expect(svg).toContain(`>${CHART_MESSAGES[language].harassmentTypes}</text>`)
    }
  })

  it('draws every suppressed cell hatched and labelled, never as a number', async () => {
    const table = typesTable()
    const suppressed = table.cells.filter((cell) => cell.suppressed).length
    const svg = await renderSvg(harassmentTypesChart(table, { codebook, language: 'en' }))
    expect(suppressed).toBeGreaterThan(0)
    expect(occurrences(svg, HATCH)).toBe(suppressed)
    expect(occurrences(svg, '>suppressed</text>')).toBe(suppressed)
  })

  it('hatches suppressed cells in the heatmap, the year chart and the map', async () => {
    const channels = codebook.sections.channels.slice(0, 3).map((e) => e.code)
    const perpetrators = codebook.sections.perpetrators.slice(0, 3).map((e) => e.code)
    const cells = channels.flatMap((channel, i) =>
      perpetrators.map((perpetrator, j) =>
        i === j
          ? { channel, perpetrator, count: null, suppressed: true }
          : { channel, perpetrator, count: 10 + i + j, suppressed: false },
      ),
    )
    const heat = await renderSvg(
      channelPerpetratorChart(
        PublishedTableSchema.parse({ dimensions: ['channel', 'perpetrator'], k: 5, respondents: 90, cells }),
        { codebook, language: 'en' },
      ),
    )
    expect(occurrences(heat, HATCH)).toBe(3)
    expect(occurrences(heat, '>suppressed</text>')).toBe(3)

    const years = PublishedTableSchema.parse({
      dimensions: ['year'],
      k: 5,
      respondents: 50,
      cells: [
        { year: '2019', count: 20, suppressed: false },
        { year: '2017', count: null, suppressed: true },
        { year: '2018', count: 0, suppressed: false },
      ],
    })
    const yearSvg = await renderSvg(yearsChart(years, { codebook, language: 'tr' }))
    expect(occurrences(yearSvg, HATCH)).toBe(1)
    expect(occurrences(yearSvg, '>gizlendi</text>')).toBe(1)
    expect(yearSvg.indexOf('>2017</text>')).toBeLessThan(yearSvg.indexOf('>2019</text>'))

    const countries = PublishedTableSchema.parse({
      dimensions: ['residence_country'],
      k: 5,
      respondents: 50,
      cells: [
        { residence_country: 'TR', count: 30, suppressed: false },
        { residence_country: 'KZ', count: null, suppressed: true },
        { residence_country: 'DE', count: null, suppressed: true },
      ],
    })
    const map = await renderSvg(countriesMap(countries, { codebook, language: 'en' }))
    expect(occurrences(map, HATCH)).toBe(2)
    expect(map).toContain('aria-label="Kazakhstan"')
  })

  it.runIf(hasNoto)(
    'renders PNGs with real Chinese and Uyghur glyphs, not blank and not missing-glyph boxes',
    async () => {
      // With a font missing, both strings of a pair render as the same row of boxes.
      const pairs = [
        ['威胁亲属', '要求返回'],
        ['تەھدىت', 'قايتىش'],
      ] as const
      for (const [a, b] of pairs) {
        const [inkA, inkB] = await Promise.all(
          [a, b].map(async (text) =>
            inkOf(
              await renderPng(
                await renderSvg({
                  config: { font: 'Noto Sans, Noto Sans Arabic, Noto Sans CJK SC' },
                  width: 200,
                  height: 20,
                  title: text,
                  data: { values: [] },
                  mark: 'point',
                }),
              ),
            ),
          ),
        )
        expect(inkA?.dark).toBeGreaterThan(50)
        expect(inkB?.dark).toBeGreaterThan(50)
        expect(inkA?.pixels.equals(inkB?.pixels ?? Buffer.alloc(0))).toBe(false)
      }
    },
  )

  it('gives the same bytes for the same table (SVG and PNG)', async () => {
    const render = async () => {
      const svg = await renderSvg(
        countriesMap(
          PublishedTableSchema.parse({
            dimensions: ['residence_country'],
            k: 5,
            respondents: 9,
            cells: [{ residence_country: 'NL', count: 9, suppressed: false }],
          }),
          { codebook, language: 'zh' },
        ),
      )
      return { svg, png: Buffer.from(await renderPng(svg)) }
    }
    const [first, second] = [await render(), await render()]
    expect(second.svg === first.svg).toBe(true)
    expect(second.png.equals(first.png)).toBe(true)
  })
})
