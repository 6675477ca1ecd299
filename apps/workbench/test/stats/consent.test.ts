import { controlRelease } from '@amanat/disclosure'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PROPERTY_RUNS } from '../../../../tools/test-support/profile.ts'
import { CubeBuilder, type IncidentFacts, type RespondentFacts } from '../../src/stats/cube-builder.ts'
import { countTable, type StatsQuery } from '../../src/stats/cube.ts'
import { CODEBOOK } from '../transfer/support.ts'

/** Withdrawn respondents (or those who never consented to counting) change no published number. */

const person = fc.record({
  country: fc.constantFrom('TR', 'KZ', 'US', null),
  status: fc.constantFrom('refugee', 'citizen', null),
  consent: fc.constantFrom('counted', 'withdrawn', 'story-only'),
  incidents: fc.array(
    fc.record({
      type: fc.constantFrom('threat_to_relatives', 'pressure_to_return', 'surveillance'),
      channel: fc.constantFrom('wechat', 'phone_call', null),
      year: fc.constantFrom(2018, 2019, null),
    }),
    { maxLength: 3 },
  ),
})
type Person = typeof person extends fc.Arbitrary<infer P> ? P : never

const QUERIES: StatsQuery[] = [
  { by: ['incident_type'], where: [] },
  { by: ['residence_country'], where: [] },
  { by: ['incident_type', 'residence_country'], where: [] },
  { by: ['channel', 'year'], where: [{ dimension: 'status', value: 'refugee' }] },
]

function cubeOf(people: readonly Person[]) {
  const builder = new CubeBuilder(CODEBOOK)
  const rows = people.map((p, i): RespondentFacts => ({
    respondent_no: i + 1,
    residence_country: p.country,
    ethnicity: 'uyghur',
    status: p.status,
    collection_mode: 'online',
    disclosure: 'anonymous',
    consent_uses: JSON.stringify(p.consent === 'story-only' ? ['anonymised_story'] : ['aggregate']),
    consent_withdrawn: p.consent === 'withdrawn' ? 1 : 0,
    consent_form: 'online',
    consent_recorded_on: '2020-01-01',
  }))
  for (const row of rows) builder.addRespondent(row)
  people.forEach((p, i) => {
    for (const incident of p.incidents) {
      const facts: IncidentFacts = {
        respondent_no: i + 1,
        type: incident.type,
        channel: incident.channel,
        perpetrator: null,
        year: incident.year,
      }
      builder.addIncident(facts)
    }
  })
  return builder.build()
}

function published(people: readonly Person[]) {
  const cube = cubeOf(people)
  // Every value the queries name must exist in both cubes for the comparison; conditions on a value no one has are skipped.
  const queries = QUERIES.filter((q) => q.where.every((c) => cube.values[c.dimension].includes(c.value)))
  return {
    queries,
    release: controlRelease(
      queries.map((q) => countTable(cube, q)),
      { k: 3 },
    ),
  }
}

describe('consent in statistics', () => {
  it('withdrawn and non-consenting respondents change no published number', () => {
    fc.assert(
      fc.property(fc.array(person, { maxLength: 25 }), (people) => {
        const counted = people.filter((p) => p.consent === 'counted')
        const withAll = published(people)
        const withoutThem = published(counted)
        expect(withAll.queries).toEqual(withoutThem.queries)
        expect(withAll.release).toEqual(withoutThem.release)
      }),
      { numRuns: PROPERTY_RUNS },
    )
  })
})
