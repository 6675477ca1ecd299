import { describe, expect, it } from 'vitest'
import { describeStudy, generateStudy, summariseStudy } from '../src/index.ts'
import { study, testCodebook } from './support.ts'

describe('summariseStudy', () => {
  const records = study({ respondents: 150 })
  const summary = summariseStudy(records)

  it('counts respondents, incidents, relatives and identifiers', () => {
    expect(summary.respondents).toBe(150)
    expect(summary.incidents).toBe(records.reduce((n, r) => n + r.incidents.length, 0))
    expect(summary.relatives).toBe(records.reduce((n, r) => n + r.relatives.length, 0))
    expect(summary.identifiers).toBe(records.reduce((n, r) => n + r.identifiers.length, 0))
    expect(summary.incidentsPerRespondent).toBeCloseTo(summary.incidents / 150, 10)
  })

  it('counts countries, continents, disclosure, modes and languages so that each adds up', () => {
    const total = (counts: Readonly<Record<string, number>>) =>
      Object.values(counts).reduce((a, b) => a + b, 0)
    expect(Object.keys(summary.countries)).toHaveLength(22)
    expect(Object.keys(summary.continents).sort()).toEqual([
      'africa',
      'asia',
      'europe',
      'north_america',
      'oceania',
    ])
    expect(total(summary.countries)).toBe(150)
    expect(total(summary.continents)).toBe(150)
    expect(total(summary.disclosure)).toBe(150)
    expect(total(summary.collectionModes)).toBe(150)
    expect(total(summary.languages)).toBe(records.reduce((n, r) => n + r.testimony.narratives.length, 0))
    expect(summary.countries.TR).toBe(records.filter((r) => r.respondent.residenceCountry === 'TR').length)
    const hidden = records.filter((r) => r.respondent.disclosure !== 'named').length
    expect(summary.anonymousOrPseudonymousShare).toBeCloseTo(hidden / 150, 10)
    expect(summary.withdrawn).toBe(records.filter((r) => r.respondent.consent.withdrawn).length)
  })

  it('reads a stream without holding it', () => {
    const streamed = summariseStudy(
      generateStudy({ seed: 'amanat-test', respondents: 150, codebook: testCodebook() }),
    )
    expect(streamed).toEqual(summary)
  })

  it('summarises nothing as zeros', () => {
    const empty = summariseStudy([])
    expect(empty.respondents).toBe(0)
    expect(empty.anonymousOrPseudonymousShare).toBe(0)
    expect(empty.incidentsPerRespondent).toBe(0)
  })
})

describe('describeStudy', () => {
  it('states the counts in plain lines', () => {
    const summary = summariseStudy(study({ respondents: 150 }))
    const text = describeStudy(summary)
    expect(text).toContain('150 respondents in 22 countries on 5 continents')
    expect(text).toContain(
      `${(summary.anonymousOrPseudonymousShare * 100).toFixed(1)}% asked for anonymity or a pseudonym`,
    )
    expect(text).toContain(`${summary.incidents.toLocaleString('en-US')} incidents`)
    expect(text).toMatch(/narratives: ug \d+/)
  })
})
