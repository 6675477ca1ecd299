import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { PublishedTableSchema } from '@amanat/disclosure'
import { describe, expect, it } from 'vitest'
import { CODEBOOK, newWorkspace, ok, run } from '../transfer/support.ts'

/**
 * `amanat stats` on a small coded study imported through `amanat import`, checked against counts
 * worked out by hand below. R-07 withdrew consent and must never be counted.
 */
const HEADER =
  'respondent_key,collection_mode,residence_country,ethnicity,disclosure,status,occupation,incident_type,channel,perpetrator,target,year,received_country,origin_place,note,consent'
const STUDY = [
  'R-01,online,TR,uyghur,anonymous,refugee,,threat_to_relatives,wechat,home_police,relative,2019,TR,CN,,',
  'R-01,online,TR,uyghur,anonymous,refugee,,pressure_to_return,phone_call,state_security,self,2020,TR,CN,,',
  'R-02,online,TR,uyghur,anonymous,refugee,,threat_to_relatives,wechat,home_police,relative,2019,TR,CN,,',
  'R-03,interview,TR,kazakh,pseudonym,citizen,,threat_to_relatives,whatsapp,state_security,relative,2018,TR,CN,,',
  'R-04,interview,KZ,kazakh,pseudonym,citizen,,threat_to_relatives,wechat,home_police,relative,2019,KZ,CN,,',
  'R-04,interview,KZ,kazakh,pseudonym,citizen,,threat_to_relatives,wechat,home_police,self,2020,KZ,CN,,',
  'R-05,online,KZ,uyghur,anonymous,permanent_resident,,pressure_to_return,wechat,embassy_consulate,self,2020,KZ,CN,,',
  'R-06,online,US,uyghur,anonymous,refugee,,,,,,,,,,',
  'R-07,online,TR,uyghur,anonymous,refugee,,threat_to_relatives,wechat,home_police,relative,2019,TR,CN,,withdrawn',
]

async function studyWorkspace(): Promise<string> {
  const dir = await newWorkspace()
  const file = join(dir, '..', 'study.csv')
  writeFileSync(file, [HEADER, ...STUDY].join('\n'))
  await ok(['import', file, '--workspace', dir])
  return dir
}

async function statsJson(dir: string, ...args: string[]) {
  const result = await ok(['stats', '--workspace', dir, '--json', ...args])
  return PublishedTableSchema.parse(JSON.parse(result.stdout.join('\n')))
}

/** The cells of a table as `value(s) → count`, leaving out zeros unless asked. */
function countsOf(
  table: Awaited<ReturnType<typeof statsJson>>,
  withZeros = false,
): Record<string, number | null> {
  return Object.fromEntries(
    table.cells
      .filter((c) => withZeros || c.count !== 0)
      .map((c) => [table.dimensions.map((d) => c[d]).join('×'), c.count]),
  )
}

describe('amanat stats', () => {
  it('counts respondents by hand-checked figures, without and with suppression', async () => {
    const dir = await studyWorkspace()

    const internal = await statsJson(dir, '--internal', '--k', '3')
    expect(internal.respondents).toBe(6)
    // Every harassment type in codebook order, zeros included; R-04's two threats count once.
    expect(internal.cells.map((c) => c.incident_type)).toEqual(
      CODEBOOK.sections.harassment_types.map((e) => e.code),
    )
    expect(countsOf(internal)).toEqual({ threat_to_relatives: 4, pressure_to_return: 2 })

    const controlled = await statsJson(dir, '--k', '3')
    expect(controlled.respondents).toBe(6)
    // 2 < k is suppressed; as a yes/no table of its own it can be anything from 1 to 6.
    expect(countsOf(controlled)).toEqual({ threat_to_relatives: 4, pressure_to_return: null })

    // Countries: TR 3, KZ 2, US 1 add up to 6; hiding KZ and US alone would give KZ + US = 3, so TR goes too.
    expect(countsOf(await statsJson(dir, '--by', 'residence_country', '--internal', '--k', '3'))).toEqual({
      KZ: 2,
      TR: 3,
      US: 1,
    })
    const countries = await statsJson(dir, '--by', 'residence_country', '--k', '3')
    expect(countsOf(countries)).toEqual({ KZ: null, TR: null, US: null })
    expect(countries.respondents).toBe(6)
  })

  it('restricts to respondents matching every condition and pairs multi-valued dimensions on one incident', async () => {
    const dir = await studyWorkspace()
    const inTurkey = await statsJson(dir, '--where', 'residence_country=TR', '--internal')
    expect(inTurkey.respondents).toBe(3)
    expect(countsOf(inTurkey)).toEqual({ threat_to_relatives: 3, pressure_to_return: 1 })

    const pairs = await statsJson(dir, '--by', 'channel,perpetrator', '--internal')
    expect(countsOf(pairs)).toEqual({
      'wechat×home_police': 3,
      'wechat×embassy_consulate': 1,
      'whatsapp×state_security': 1,
      'phone_call×state_security': 1,
    })
    const threeConditions = await statsJson(
      dir,
      '--by',
      'year',
      '--where',
      'residence_country=TR,channel=wechat,ethnicity=uyghur',
      '--internal',
    )
    expect(threeConditions.respondents).toBe(2)
    expect(countsOf(threeConditions)).toEqual({ '2019': 2 })
  })

  it('records a release once, refuses --internal with --release, and prints CSV with the same columns', async () => {
    const dir = await studyWorkspace()
    const first = await ok(['stats', '--workspace', dir, '--release', 'types-2024', '--json'])
    expect(first.stderr.join('\n')).toContain('recorded release types-2024')
    const again = await ok(['stats', '--workspace', dir, '--release', 'types-2024', '--json'])
    expect(again.stderr.join('\n')).toContain('already in the ledger')
    expect(again.stdout).toEqual(first.stdout)

    const refused = await run(['stats', '--workspace', dir, '--release', 'x', '--internal'])
    expect(refused.code).toBe(2)
    expect(refused.stderr.join('\n')).toContain('stats.internal_release')

    const csv = await ok(['stats', '--workspace', dir, '--by', 'collection_mode', '--csv', '--k', '2'])
    expect(csv.stdout.join('\n').split('\n')).toEqual([
      'collection_mode,count,suppressed',
      'online,4,false',
      'interview,2,false',
    ])
  })
})
