import {
  continentOf,
  extendCodebook,
  isAmanatError,
  WorkspaceEventBody,
  type Codebook,
  type PartialDate,
  yearOf,
} from '@amanat/domain'
import { describe, expect, it } from 'vitest'
import { generateStudy, STUDY_COUNTRIES } from '../src/index.ts'
import { codesIn, realNamesIn, study, testCodebook } from './support.ts'

const codebook = testCodebook()
const records = study()

const allIncidents = records.flatMap((r) => r.incidents)
const allNarratives = records.flatMap((r) => r.testimony.narratives)

function dateWithin(date: PartialDate, from: string, to: string): boolean {
  if (date.precision === 'unknown') return true
  return date.value >= from.slice(0, date.value.length) && date.value <= to.slice(0, date.value.length)
}

describe('generateStudy: determinism', () => {
  it('gives identical JSON for the same seed', () => {
    expect(JSON.stringify(study())).toBe(JSON.stringify(records))
  })

  it('gives a different study for a different seed', () => {
    const other = study({ seed: 'amanat-test-2', respondents: 20 })
    const ours = records.slice(0, 20)
    expect(JSON.stringify(other)).not.toBe(JSON.stringify(ours))
    const ids = new Set(ours.map((r) => r.respondent.id))
    expect(other.some((r) => ids.has(r.respondent.id))).toBe(false)
  })

  it('makes a smaller study the prefix of a larger one with the same seed', () => {
    expect(study({ respondents: 57 })).toEqual(records.slice(0, 57))
  })

  it('generates a slice of the study from an offset, as workers would', () => {
    expect(study({ offset: 123, respondents: 40 })).toEqual(records.slice(123, 163))
  })

  it('streams: records come one at a time, and an empty study yields nothing', () => {
    const stream = generateStudy({ seed: 'amanat-test', codebook, respondents: 1_000_000 })
    const first = stream.next()
    expect(first.done).toBe(false)
    expect(first.value).toEqual(records[0])
    expect(stream.next().value).toEqual(records[1])
    expect([...generateStudy({ seed: 'amanat-test', codebook, respondents: 0 })]).toEqual([])
  })
})

describe('generateStudy: the default 400-respondent study', () => {
  it('has 400 respondents keyed R-000001 onwards', () => {
    expect(records).toHaveLength(400)
    expect(records.map((r) => r.respondent.key)).toEqual(
      Array.from({ length: 400 }, (_, i) => `R-${String(i + 1).padStart(6, '0')}`),
    )
  })

  it('spreads respondents over exactly the 22 study countries on exactly five continents, unevenly', () => {
    const counts = new Map<string, number>()
    for (const r of records)
      counts.set(
        r.respondent.residenceCountry ?? 'none',
        (counts.get(r.respondent.residenceCountry ?? 'none') ?? 0) + 1,
      )
    expect([...counts.keys()].sort()).toEqual(STUDY_COUNTRIES.map((c) => c.code).sort())
    const continents = new Set([...counts.keys()].map((code) => continentOf(code)))
    expect([...continents].sort()).toEqual(['africa', 'asia', 'europe', 'north_america', 'oceania'])
    const sorted = [...counts.values()].sort((a, b) => b - a)
    expect(sorted[0]).toBeGreaterThan(5 * (sorted.at(-1) ?? 0))
  })

  it('has the same 22 countries at another scale and seed', () => {
    const small = study({ seed: 'another seed', respondents: 22 })
    expect(new Set(small.map((r) => r.respondent.residenceCountry)).size).toBe(22)
  })

  it('has 60–72% of respondents asking for anonymity or a pseudonym', () => {
    const hidden = records.filter((r) => r.respondent.disclosure !== 'named').length / records.length
    expect(hidden).toBeGreaterThanOrEqual(0.6)
    expect(hidden).toBeLessThanOrEqual(0.72)
  })

  it('averages 2.5–3.5 incidents per respondent, 0 to 8 each, and 0 to 3 relatives', () => {
    const mean = allIncidents.length / records.length
    expect(mean).toBeGreaterThanOrEqual(2.5)
    expect(mean).toBeLessThanOrEqual(3.5)
    const counts = records.map((r) => r.incidents.length)
    expect(Math.min(...counts)).toBe(0)
    expect(Math.max(...counts)).toBeLessThanOrEqual(8)
    expect(Math.max(...records.map((r) => r.relatives.length))).toBeLessThanOrEqual(3)
  })

  it('mixes online questionnaires and interviews, with synthetic interviewers', () => {
    const interviews = records.filter((r) => r.testimony.source.mode === 'interview')
    expect(interviews.length).toBeGreaterThan(80)
    expect(interviews.length).toBeLessThan(200)
    for (const r of interviews) {
      const source = r.testimony.source
      if (source.mode !== 'interview') throw new Error('unreachable')
      expect(source.interviewer).toMatch(/\(synthetic\)$/)
      expect(source.date <= r.testimony.receivedOn).toBe(true)
      expect(source.place.country).toBe(r.respondent.residenceCountry)
      expect(r.respondent.collectionMode).toBe('interview')
    }
  })

  it('is mostly Uyghur, with Kazakhs, Uzbeks, Kyrgyz and others', () => {
    const ethnicities = records.map((r) => r.respondent.ethnicity)
    const uyghur = ethnicities.filter((e) => e === 'uyghur').length / records.length
    expect(uyghur).toBeGreaterThan(0.6)
    expect(uyghur).toBeLessThan(0.95)
    for (const group of ['kazakh', 'uzbek', 'kyrgyz']) expect(ethnicities).toContain(group)
  })

  it('records what the harassment did to most respondents, each impact once', () => {
    const withImpacts = records.filter((r) => r.respondent.impacts.length > 0)
    expect(withImpacts.length / records.length).toBeGreaterThan(0.8)
    for (const r of records) expect(new Set(r.respondent.impacts).size).toBe(r.respondent.impacts.length)
  })

  it('records consent per use, with a few withdrawals', () => {
    const withdrawn = records.filter((r) => r.respondent.consent.withdrawn).length
    expect(withdrawn).toBeGreaterThanOrEqual(1)
    expect(withdrawn).toBeLessThanOrEqual(20)
    const useSets = new Set(records.map((r) => r.respondent.consent.uses.join('+')))
    expect(useSets.size).toBeGreaterThanOrEqual(4)
    expect(useSets).toContain('aggregate')
  })

  it('gives pseudonyms exactly to those who asked for one, unique within the study', () => {
    for (const r of records)
      expect(r.respondent.pseudonym !== null).toBe(r.respondent.disclosure === 'pseudonym')
    const pseudonyms = records.flatMap((r) =>
      r.respondent.pseudonym === null ? [] : [r.respondent.pseudonym],
    )
    expect(pseudonyms.length).toBeGreaterThan(30)
    expect(new Set(pseudonyms).size).toBe(pseudonyms.length)
  })

  it('receives testimonies between September 2018 and September 2019, after every incident they tell', () => {
    for (const r of records) {
      expect(r.testimony.receivedOn >= '2018-09-01' && r.testimony.receivedOn <= '2019-09-30').toBe(true)
      for (const incident of r.incidents) {
        expect(dateWithin(incident.date, '2014-01-01', r.testimony.receivedOn)).toBe(true)
      }
    }
  })

  it('dates incidents with mixed precision across the years before the study', () => {
    const precisions = new Set(allIncidents.map((i) => i.date.precision))
    expect([...precisions].sort()).toEqual(['day', 'month', 'unknown', 'year'])
    const years = new Set(
      allIncidents.flatMap((i) => (i.date.precision === 'unknown' ? [] : [i.date.value.slice(0, 4)])),
    )
    for (const year of ['2014', '2016', '2018', '2019']) expect(years).toContain(year)
  })

  it('uses every kind of harassment, in the proportions of the seed study', () => {
    const byType = new Map<string, number>()
    for (const i of allIncidents) byType.set(i.type, (byType.get(i.type) ?? 0) + 1)
    expect(new Set(byType.keys())).toEqual(codesIn(codebook, 'harassment_types'))
    const share = (type: string) => (byType.get(type) ?? 0) / allIncidents.length
    expect(share('threat_to_relatives')).toBeGreaterThan(share('smear_campaign') * 4)
    expect(share('personal_data_request')).toBeGreaterThan(share('death_threat') * 2)
  })

  it('links incidents aimed at a relative to a relative of the same respondent, and others to none', () => {
    let aimedAtRelatives = 0
    for (const r of records) {
      const relatives = new Set(r.relatives.map((x) => x.id))
      for (const incident of r.incidents) {
        expect(incident.respondentId).toBe(r.respondent.id)
        expect(incident.testimonyId).toBe(r.testimony.id)
        if (incident.target === 'relative') {
          aimedAtRelatives++
          expect(incident.relativeId !== null && relatives.has(incident.relativeId)).toBe(true)
        } else {
          expect(incident.relativeId).toBeNull()
        }
      }
    }
    expect(aimedAtRelatives).toBeGreaterThan(allIncidents.length / 4)
  })

  it('gives relatives statuses and dates that fit what the incidents say about them', () => {
    let checked = 0
    for (const r of records) {
      for (const relative of r.relatives) {
        const about = r.incidents.filter((i) => i.relativeId === relative.id)
        const detentions = about.filter((i) => i.type === 'relative_detained')
        if (detentions.length > 0) {
          checked++
          expect(['detained', 'imprisoned', 'disappeared']).toContain(relative.status)
          // Held since the first detention told: never later than any dated detention, never before 2017.
          const since = yearOf(relative.since)
          for (const year of detentions.map((i) => yearOf(i.date))) {
            if (since !== null && year !== null) expect(since).toBeLessThanOrEqual(year)
          }
          if (since !== null) expect(since).toBeGreaterThanOrEqual(2017)
        }
        if (about.some((i) => i.type === 'lost_contact_with_family')) {
          checked++
          expect(['unknown', 'disappeared', 'detained', 'imprisoned']).toContain(relative.status)
        }
      }
    }
    expect(checked).toBeGreaterThan(100)
  })

  it('places incidents in two places: received in the residence country, mostly originating in China', () => {
    for (const r of records) {
      for (const incident of r.incidents)
        expect(incident.receivedIn.country).toBe(r.respondent.residenceCountry)
    }
    const fromChina = allIncidents.filter((i) => i.originatedIn.country === 'CN')
    expect(fromChina.length / allIncidents.length).toBeGreaterThan(0.6)
    for (const i of allIncidents) {
      if (i.originatedIn.locality !== undefined) expect(i.originatedIn.locality).toMatch(/\(synthetic\)$/)
    }
  })

  it('gives identifiers only from fictional ranges, each linked to incidents of its testimony', () => {
    const identifiers = records.flatMap((r) => r.identifiers.map((identifier) => ({ r, identifier })))
    expect(new Set(identifiers.map(({ identifier }) => identifier.kind))).toEqual(
      new Set(['phone', 'whatsapp', 'wechat', 'email', 'office', 'other']),
    )
    for (const { r, identifier } of identifiers) {
      const incidents = new Set(r.incidents.map((i) => i.id))
      expect(identifier.incidentIds.length).toBeGreaterThan(0)
      for (const id of identifier.incidentIds) expect(incidents.has(id)).toBe(true)
      switch (identifier.kind) {
        case 'phone':
        case 'whatsapp':
          expect(identifier.value).toMatch(/^(\+1 \d{3} 555 01\d{2}|\+44 7700 900\d{3})$/)
          expect(identifier.normalised).toBe(identifier.value.replaceAll(' ', ''))
          break
        case 'wechat':
          expect(identifier.value).toMatch(/^wxid_syn_[0-9a-z]{10}$/)
          break
        case 'email':
          expect(identifier.value).toMatch(/^[a-z]+\.[0-9a-z]{4}@example\.org$/)
          break
        case 'office':
        case 'other':
        case 'officer_name':
        case 'social_media_account':
          expect(identifier.value).toMatch(/\(synthetic\)$/)
      }
    }
  })

  it('shares some identifiers between testimonies, so that linking has something to find', () => {
    const holders = new Map<string, Set<string>>()
    for (const r of records) {
      for (const identifier of r.identifiers) {
        if (identifier.normalised === null) continue
        const set = holders.get(identifier.normalised) ?? new Set()
        set.add(r.respondent.id)
        holders.set(identifier.normalised, set)
      }
    }
    expect([...holders.values()].some((set) => set.size >= 3)).toBe(true)
  })

  it('gives every record, person and coding its own id', () => {
    const ids = records.flatMap((r) => [
      r.respondent.id,
      r.testimony.id,
      ...r.incidents.map((i) => i.id),
      ...r.relatives.map((x) => x.id),
      ...r.identifiers.map((x) => x.id),
    ])
    expect(new Set(ids).size).toBe(ids.length)
  })
})

describe('generateStudy: narratives', () => {
  const byLanguage = (language: string) => allNarratives.filter((n) => n.language === language)

  it('writes in Uyghur, Chinese, English and Turkish, mostly Uyghur', () => {
    const counts = ['ug', 'zh', 'en', 'tr'].map((language) => byLanguage(language).length)
    for (const count of counts) expect(count).toBeGreaterThan(10)
    expect(counts[0]).toBe(Math.max(...counts))
    expect(new Set(allNarratives.map((n) => n.language))).toEqual(new Set(['ug', 'zh', 'en', 'tr']))
  })

  it('writes each language in its own script', () => {
    for (const n of byLanguage('ug')) {
      expect(n.text).toMatch(/[\u0626-\u06d5]/)
      expect(n.text).not.toMatch(/[\u4e00-\u9fff]/)
    }
    for (const n of byLanguage('zh')) {
      expect(n.text).toMatch(/[\u4e00-\u9fff]/)
      expect(n.text).not.toMatch(/[\u0600-\u06ff]/)
    }
    for (const n of byLanguage('en')) expect(n.text).toMatch(/^[\x20-\x7e\n]+$/)
    expect(byLanguage('tr').some((n) => /[ğışçöüİ]/.test(n.text))).toBe(true)
    for (const n of byLanguage('tr')) expect(n.text).not.toMatch(/[\u0600-\u06ff\u4e00-\u9fff]/)
  })

  it('runs from a single sentence to several paragraphs', () => {
    const texts = allNarratives.map((n) => n.text)
    expect(texts.some((t) => !t.includes('\n') && t.length < 200)).toBe(true)
    expect(texts.some((t) => t.split('\n\n').length >= 3)).toBe(true)
    for (const t of texts) {
      expect(t.trim()).toBe(t)
      expect(t).not.toMatch(/ {2}|undefined|null|\$\{/)
    }
  })

  it('adds English translations to some narratives in other languages, and to none in English', () => {
    const translated = records.filter((r) => r.testimony.translation !== null)
    expect(translated.length).toBeGreaterThan(40)
    for (const r of translated) {
      expect(r.testimony.translation?.language).toBe('en')
      expect(r.testimony.narratives[0]?.language).not.toBe('en')
    }
  })

  it('contains no name of a real person anywhere in the output', () => {
    const json = JSON.stringify(records)
    expect(realNamesIn(json)).toEqual([])
    expect(realNamesIn(JSON.stringify(study({ seed: 'a second look', respondents: 400 })))).toEqual([])
  })
})

describe('generateStudy: validity', () => {
  it('produces records that parse with the domain schemas, unchanged', () => {
    for (const record of records) {
      const parsed = WorkspaceEventBody.parse(record)
      expect(parsed).toEqual(record)
    }
  })

  it('uses only non-deprecated codes of the codebook, and records its version', () => {
    const codes = {
      types: codesIn(codebook, 'harassment_types'),
      channels: codesIn(codebook, 'channels'),
      perpetrators: codesIn(codebook, 'perpetrators'),
      impacts: codesIn(codebook, 'impacts'),
      statuses: codesIn(codebook, 'residence_statuses'),
      ethnicities: codesIn(codebook, 'ethnicities'),
      relativeStatuses: codesIn(codebook, 'relative_statuses'),
      relations: codesIn(codebook, 'relations'),
    }
    const ref = `${codebook.id}@${codebook.version}`
    const check = (set: Set<string>, code: string | null) => {
      if (code !== null) expect(set.has(code), code).toBe(true)
    }
    for (const r of records) {
      check(codes.ethnicities, r.respondent.ethnicity)
      check(codes.statuses, r.respondent.status)
      for (const impact of r.respondent.impacts) check(codes.impacts, impact)
      for (const i of r.incidents) {
        check(codes.types, i.type)
        check(codes.channels, i.channel)
        check(codes.perpetrators, i.perpetrator)
        expect(i.codebook).toBe(ref)
      }
      for (const x of r.relatives) {
        check(codes.relations, x.relation)
        check(codes.relativeStatuses, x.status)
        expect(x.codebook).toBe(ref)
      }
    }
  })

  it('never uses a code the codebook deprecates', () => {
    const extension = [
      `extends: ${codebook.id}@${codebook.version}`,
      'id: synthetic-test-org',
      'version: 2.0.0',
      'deprecate:',
      '  harassment_types: [threat_to_relatives, relative_detained]',
      '  channels: [wechat]',
      '  relative_statuses: [detained]',
      '  ethnicities: [uyghur]',
    ].join('\n')
    const extended = extendCodebook(codebook, extension, 'test extension')
    const other = study({ codebook: extended, respondents: 200 })
    const json = JSON.stringify(other)
    for (const code of ['threat_to_relatives', 'relative_detained', '"wechat"', '"detained"', '"uyghur"']) {
      expect(json).not.toContain(code)
    }
    expect(other.every((r) => r.incidents.every((i) => i.codebook === 'synthetic-test-org@2.0.0'))).toBe(true)
    for (const record of other) WorkspaceEventBody.parse(record)
  })

  it('moves every date with firstDay', () => {
    const later = study({ firstDay: '2021-03-15', respondents: 100 })
    for (const r of later) {
      expect(r.testimony.receivedOn >= '2021-03-15' && r.testimony.receivedOn <= '2022-04-13').toBe(true)
      for (const incident of r.incidents)
        expect(dateWithin(incident.date, '2017-01-01', r.testimony.receivedOn)).toBe(true)
      WorkspaceEventBody.parse(r)
    }
  })
})

describe('generateStudy: refusals', () => {
  const refusal = (options: Partial<Parameters<typeof generateStudy>[0]>, code: string) => {
    try {
      generateStudy({ seed: 'amanat-test', codebook, ...options })
    } catch (error) {
      expect(isAmanatError(error, code), String(error)).toBe(true)
      return
    }
    throw new Error(`expected ${code}`)
  }

  it('refuses bad options when called, before anything is iterated', () => {
    refusal({ seed: '' }, 'synthetic.seed_empty')
    refusal({ respondents: -1 }, 'synthetic.respondents_invalid')
    refusal({ respondents: 2.5 }, 'synthetic.respondents_invalid')
    refusal({ offset: -3 }, 'synthetic.offset_invalid')
    refusal({ firstDay: '2019-02-30' }, 'synthetic.first_day_invalid')
    refusal({ firstDay: '1 September 2018' }, 'synthetic.first_day_invalid')
  })

  it('refuses a codebook with a section whose every code is deprecated', () => {
    const retired: Codebook = {
      ...codebook,
      sections: {
        ...codebook.sections,
        channels: codebook.sections.channels.map((e) => ({ ...e, deprecated: true })),
      },
    }
    refusal({ codebook: retired }, 'synthetic.codebook_section_empty')
  })
})
