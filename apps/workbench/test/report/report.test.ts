import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { continentOf } from '@amanat/domain'
import { describe, expect, it } from 'vitest'
import { openWorkspace } from '../../src/workspace/workspace.ts'
import { ReportData } from '../../src/report/report-data.ts'
import { amanat, PASSPHRASES, TEST_PASSPHRASE, tempDir } from '../support.ts'
import { addStory, digestOf, reportWorkspace } from './support.ts'

const STORY =
  'In 2019 a caller who said he was from the police asked for the names of others in the community. The respondent refused and stopped answering unknown numbers.'

async function ledgerSize(dir: string): Promise<number> {
  const workspace = await openWorkspace(dir, TEST_PASSPHRASE)
  try {
    const rows = await workspace.store.db.selectFrom('releases').select('sha256').execute()
    return rows.length
  } finally {
    await workspace.close()
  }
}

describe('amanat report', () => {
  it('builds the whole site, and rebuilds it byte for byte without a new ledger entry', async () => {
    const ws = await reportWorkspace()
    await addStory(ws, 'Calls from home', STORY)
    const out = join(tempDir(), 'report')
    const first = await amanat(['report', '--workspace', ws.dir, '--out', out, '--json'], PASSPHRASES)
    expect(first.stderr.join('\n')).not.toMatch(/amanat: [a-z_]+\.[a-z_]+:/)
    expect(first.code).toBe(0)
    const built = JSON.parse(first.stdout[0] ?? '{}') as {
      files: string[]
      recorded: boolean
      stories: number
    }
    expect(built.recorded).toBe(true)
    expect(built.stories).toBe(1)
    for (const file of [
      'index.html',
      'report.css',
      'data.json',
      'data.schema.json',
      'tables.xlsx',
      'disclosure-log.json',
      'tables/harassment_types.csv',
      'charts/harassment-types.svg',
      'charts/residence-countries.png',
    ]) {
      expect(existsSync(join(out, file)), file).toBe(true)
    }
    const data = ReportData.parse(JSON.parse(readFileSync(join(out, 'data.json'), 'utf8')))
    expect(data.stories.map((s) => s.pseudonym)).toEqual([ws.storyteller.pseudonym])
    // A story names its teller's country only when the report publishes that country's count.
    const [story] = data.stories
    const countries = data.tables.find((t) => t.name === 'residence_countries')
    const tellerCell = countries?.cells.find((c) => c.residence_country === ws.storyteller.country)
    if (tellerCell?.count === null) {
      // Then the continent, but only when the continent's count is published too (the study is
      // random per run: a teller in Oceania can have both suppressed).
      const continent = continentOf(ws.storyteller.country ?? '')
      const continentCell = data.tables.find((t) => t.name === 'continents')?.cells.find((c) => c.continent === continent)
      expect(story?.residenceCountry).toBeNull()
      expect(story?.residenceContinent).toBe(continentCell?.count === null ? null : continent)
    } else {
      expect(story?.residenceCountry).toBe(ws.storyteller.country)
      expect(tellerCell?.count).toBeGreaterThanOrEqual(data.k)
    }
    for (const table of data.tables)
      for (const cell of table.cells)
        expect(cell.count === null || cell.count === 0 || cell.count >= data.k).toBe(true)
    const html = readFileSync(join(out, 'index.html'), 'utf8')
    expect(html).toContain(ws.storyteller.pseudonym)
    expect(html).not.toContain(ws.storyteller.key)
    expect(html).toContain(`${String(data.methodology.countries)} countries`)

    const before = digestOf(out)
    const ledger = await ledgerSize(ws.dir)
    const second = await amanat(['report', '--workspace', ws.dir, '--out', out, '--json'], PASSPHRASES)
    expect(second.code).toBe(0)
    expect((JSON.parse(second.stdout[0] ?? '{}') as { recorded: boolean }).recorded).toBe(false)
    expect(digestOf(out)).toEqual(before)
    expect(await ledgerSize(ws.dir)).toBe(ledger)
  })

  it('refuses to build while a marked story holds an identifier, and writes nothing', async () => {
    const ws = await reportWorkspace(40)
    await addStory(ws, 'Calls from home', `${STORY} Ask ${ws.storyteller.key}.`)
    const out = join(tempDir(), 'report')
    const run = await amanat(['report', '--workspace', ws.dir, '--out', out], PASSPHRASES)
    expect(run.code).toBe(1)
    expect(run.stderr.join('\n')).toContain('amanat: story.blocked:')
    expect(existsSync(out)).toBe(false)
    expect(await ledgerSize(ws.dir)).toBe(0)
  })

  it('writes a Uyghur report right to left, with Uyghur labels', async () => {
    const ws = await reportWorkspace(60)
    const out = join(tempDir(), 'report-ug')
    const run = await amanat(['report', '--workspace', ws.dir, '--out', out, '--lang', 'ug'], PASSPHRASES)
    expect(run.code).toBe(0)
    const html = readFileSync(join(out, 'index.html'), 'utf8')
    expect(html).toContain('<html lang="ug" dir="rtl">')
    expect(readFileSync(join(out, 'charts/harassment-types.svg'), 'utf8')).toContain('پاراكەندىچىلىك')
  })

  it('refuses an --out folder that holds something other than a report', async () => {
    const ws = await reportWorkspace(20)
    const run = await amanat(['report', '--workspace', ws.dir, '--out', ws.dir], PASSPHRASES)
    expect(run.code).toBe(1)
    expect(run.stderr.join('\n')).toContain('amanat: report.out_not_empty:')
  })
})
