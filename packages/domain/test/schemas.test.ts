import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import type { z } from 'zod'
import { PROPERTY_RUNS, sized } from '../../../tools/test-support/profile.ts'
import {
  AnalystId,
  AnalystProfile,
  base32,
  Consent,
  CountryCode,
  Identifier,
  IdentifierId,
  Incident,
  isAmanatError,
  JSON_DEPTH_LIMIT,
  JsonValue,
  mayUse,
  newId,
  parseOrThrow,
  PartialDate,
  partialDateFromString,
  Place,
  Relative,
  RelativeId,
  Respondent,
  RespondentId,
  subjectOf,
  Testimony,
  TestimonyId,
  TestimonySource,
  WorkspaceEventBody,
  yearOf,
  type AmanatError,
} from '../src/index.ts'
import { aConsent, aRelative, aRespondent, anIncident, defaultCodebook, fixedId } from './support.ts'

const CROCKFORD = '0123456789abcdefghjkmnpqrstvwxyz'

/** The messages a failed parse gives, one per issue, with the field path in front. */
function failures(schema: z.ZodType, input: unknown): string[] {
  const result = schema.safeParse(input)
  if (result.success) throw new Error('expected the input to be refused')
  return result.error.issues.map((issue) => `${issue.path.map(String).join('.')}: ${issue.message}`)
}

function thrown(run: () => unknown): AmanatError {
  try {
    run()
  } catch (error) {
    if (isAmanatError(error)) return error
    throw error
  }
  throw new Error('expected an AmanatError, but nothing was thrown')
}

const anOnlineSource = () => ({ mode: 'online', questionnaireId: 'default', questionnaireVersion: '1.0.0' })

const aTestimony = (overrides: Record<string, unknown> = {}) =>
  Testimony.parse({
    id: fixedId(TestimonyId, 1),
    respondentId: fixedId(RespondentId, 1),
    source: anOnlineSource(),
    receivedOn: '2019-06-01',
    answers: { q1: 'yes', q2: ['wechat', 'phone_call'], q3: null, q4: { n: 2 } },
    narratives: [{ language: 'ug', text: 'ساختا گۇۋاھلىق' }],
    translation: { language: 'en', text: 'A synthetic testimony.' },
    attachments: [],
    ...overrides,
  })

const anIdentifier = (overrides: Record<string, unknown> = {}) => ({
  id: fixedId(IdentifierId, 1),
  respondentId: fixedId(RespondentId, 1),
  kind: 'phone',
  value: '+90 555 000 00 00',
  normalised: '+905550000000',
  incidentIds: [],
  ...overrides,
})

describe('Respondent', () => {
  it('accepts a complete respondent and one with every optional answer empty', () => {
    expect(aRespondent().ethnicity).toBe('uyghur')
    const sparse = aRespondent({
      residenceCountry: null,
      ethnicity: null,
      status: null,
      gender: null,
      ageBand: null,
      activist: null,
    })
    expect(sparse.residenceCountry).toBeNull()
  })

  it('refuses a wrong field with a message naming it', () => {
    expect(failures(Respondent, { ...aRespondent(), residenceCountry: 'XX' })).toEqual([
      'residenceCountry: expected an ISO 3166-1 alpha-2 country code such as TR or KZ, got "XX"',
    ])
    expect(failures(Respondent, { ...aRespondent(), ethnicity: 'Uyghur' })).toEqual([
      'ethnicity: expected a code in lowercase snake_case',
    ])
    expect(failures(Respondent, { ...aRespondent(), key: 'R 42' })[0]).toMatch(
      /^key: expected a respondent key/,
    )
    expect(failures(Respondent, { ...aRespondent(), disclosure: 'public' })[0]).toMatch(/^disclosure: /)
  })

  it('refuses fields it does not know, such as a name (names belong in the vault)', () => {
    expect(failures(Respondent, { ...aRespondent(), name: 'Synthetic Person' })[0]).toMatch(
      /Unrecognized key: "name"/,
    )
  })
})

describe('Consent and mayUse', () => {
  it('allows exactly the uses consented to', () => {
    const consent = aConsent({ uses: ['aggregate', 'quote'] })
    expect(mayUse(consent, 'aggregate')).toBe(true)
    expect(mayUse(consent, 'quote')).toBe(true)
    expect(mayUse(consent, 'anonymised_story')).toBe(false)
    expect(mayUse(consent, 'share_with_lawyer')).toBe(false)
  })

  it('lets withdrawal override every use', () => {
    const withdrawn = aConsent({
      uses: ['aggregate', 'anonymised_story', 'quote', 'share_with_lawyer'],
      withdrawn: true,
    })
    for (const use of withdrawn.uses) expect(mayUse(withdrawn, use)).toBe(false)
  })

  it('refuses a use listed twice, an unknown use and a day that is not a day', () => {
    expect(failures(Consent, { ...aConsent(), uses: ['quote', 'quote'] })).toEqual([
      'uses: a use is listed twice',
    ])
    expect(failures(Consent, { ...aConsent(), uses: ['publish_name'] })[0]).toMatch(/^uses\.0: /)
    expect(failures(Consent, { ...aConsent(), recordedOn: '2019-02-30' })).toEqual([
      'recordedOn: expected a day as YYYY-MM-DD',
    ])
  })
})

describe('PartialDate', () => {
  it('accepts each precision and refuses what the precision does not allow', () => {
    for (const date of [
      { precision: 'day', value: '2020-02-29' },
      { precision: 'month', value: '2019-03' },
      { precision: 'year', value: '1999' },
      { precision: 'unknown' },
    ]) {
      expect(PartialDate.parse(date)).toEqual(date)
    }
    expect(failures(PartialDate, { precision: 'day', value: '2019-02-29' })).toEqual([
      'value: no such day in the calendar',
    ])
    expect(failures(PartialDate, { precision: 'day', value: '2019-03' })[0]).toBe(
      'value: expected a day as YYYY-MM-DD',
    )
    expect(failures(PartialDate, { precision: 'month', value: '2019-13' })).toEqual([
      'value: expected a month as YYYY-MM',
    ])
    expect(failures(PartialDate, { precision: 'year', value: '1899' })).toEqual([
      'value: expected a year as YYYY',
    ])
    // Unknown means unknown: no value may sneak in with it.
    expect(failures(PartialDate, { precision: 'unknown', value: '2019' })[0]).toMatch(
      /Unrecognized key: "value"/,
    )
  })

  it('parses strings at the precision they have', () => {
    expect(partialDateFromString('2019')).toEqual({ precision: 'year', value: '2019' })
    expect(partialDateFromString(' 2019-03 ')).toEqual({ precision: 'month', value: '2019-03' })
    expect(partialDateFromString('2019-03-04')).toEqual({ precision: 'day', value: '2019-03-04' })
    expect(partialDateFromString('  ')).toEqual({ precision: 'unknown' })
  })

  it('refuses other strings with date.invalid, without repeating them', () => {
    for (const text of ['2019-13', '2019-02-30', 'March 2019', '207', '2019/03/04', '1850']) {
      const error = thrown(() => partialDateFromString(text))
      expect(error.code, text).toBe('date.invalid')
      expect(error.kind).toBe('input')
      expect(error.message).not.toContain(text.trim())
    }
  })

  it('gives the year of a known date, and null for an unknown one', () => {
    expect(yearOf({ precision: 'day', value: '2018-10-07' })).toBe(2018)
    expect(yearOf({ precision: 'year', value: '2017' })).toBe(2017)
    expect(yearOf({ precision: 'unknown' })).toBeNull()
  })

  it('round-trips every valid date through partialDateFromString (property)', () => {
    const day = fc
      .date({
        min: new Date('1900-01-01T00:00:00Z'),
        max: new Date('2099-12-31T00:00:00Z'),
        noInvalidDate: true,
      })
      .map((d) => d.toISOString().slice(0, 10))
    const precision = fc.constantFrom(['day', 10], ['month', 7], ['year', 4]) as fc.Arbitrary<
      [string, number]
    >
    fc.assert(
      fc.property(day, precision, (iso, [name, length]) => {
        const value = iso.slice(0, length)
        const parsed = partialDateFromString(value)
        expect(parsed).toEqual({ precision: name, value })
        expect(PartialDate.parse(parsed)).toEqual(parsed)
        expect(yearOf(parsed)).toBe(Number(iso.slice(0, 4)))
      }),
      { numRuns: PROPERTY_RUNS },
    )
  })

  it('refuses every string that is not a date, with date.invalid (property)', () => {
    const notDate = fc
      .string({ maxLength: 12 })
      .filter((s) => s.trim() !== '' && !/^\d{4}(-\d{2}(-\d{2})?)?$/.test(s.trim()))
    fc.assert(
      fc.property(notDate, (text) => {
        expect(thrown(() => partialDateFromString(text)).code).toBe('date.invalid')
      }),
      { numRuns: PROPERTY_RUNS },
    )
  })
})

describe('Place and CountryCode', () => {
  it('accepts assigned upper-case codes, an unknown country and a locality', () => {
    expect(CountryCode.parse('TR')).toBe('TR')
    expect(CountryCode.parse('KZ')).toBe('KZ')
    expect(Place.parse({ country: null })).toEqual({ country: null })
    expect(Place.parse({ country: 'NL', locality: 'Amsterdam' })).toEqual({
      country: 'NL',
      locality: 'Amsterdam',
    })
  })

  it('refuses lower case, unassigned codes, an empty locality and unknown fields', () => {
    expect(CountryCode.safeParse('tr').success).toBe(false)
    expect(CountryCode.safeParse('XX').success).toBe(false)
    expect(CountryCode.safeParse('TUR').success).toBe(false)
    expect(failures(Place, { country: 'TR', locality: ' ' })[0]).toMatch(/^locality: /)
    expect(failures(Place, { country: 'TR', city: 'Istanbul' })[0]).toMatch(/Unrecognized key: "city"/)
  })

  it('does not repeat a value that is not shaped like a code (a misplaced name)', () => {
    const [message] = failures(CountryCode, 'Synthetic Person')
    expect(message).toBe(': expected an ISO 3166-1 alpha-2 country code such as TR or KZ')
  })
})

describe('Incident', () => {
  it('accepts an incident aimed at the respondent, or at a relative, known or not', () => {
    expect(anIncident().target).toBe('self')
    const relativeId = fixedId(RelativeId, 1)
    expect(anIncident({ target: 'relative', relativeId }).relativeId).toBe(relativeId)
    expect(anIncident({ target: 'relative', relativeId: null }).relativeId).toBeNull()
  })

  it('refuses a relative on an incident that targets the respondent', () => {
    const input = { ...anIncident(), relativeId: fixedId(RelativeId, 1) }
    expect(failures(Incident, input)).toEqual([
      'relativeId: an incident that targets the respondent cannot name a relative',
    ])
  })

  it('refuses a missing codebook reference and a malformed one', () => {
    const { codebook: _dropped, ...withoutRef } = anIncident()
    expect(failures(Incident, withoutRef)[0]).toMatch(/^codebook: /)
    expect(failures(Incident, { ...anIncident(), codebook: 'amanat-default' })).toEqual([
      'codebook: expected a codebook reference such as amanat-default@1.0.0',
    ])
  })
})

describe('Relative', () => {
  it('accepts a relative and refuses a name field', () => {
    expect(aRelative().status).toBe('detained')
    expect(failures(Relative, { ...aRelative(), name: 'Synthetic Person' })[0]).toMatch(
      /Unrecognized key: "name"/,
    )
  })
})

describe('Testimony', () => {
  it('accepts an online and an interview source', () => {
    expect(aTestimony().source.mode).toBe('online')
    const interview = {
      mode: 'interview',
      interviewer: 'AB',
      date: '2019-04-02',
      place: { country: 'NL' },
      consentGivenOrally: true,
    }
    expect(aTestimony({ source: interview }).source).toEqual(interview)
  })

  it('refuses an unknown mode, a missing field of the mode, and a field of the other mode', () => {
    expect(failures(TestimonySource, { ...anOnlineSource(), mode: 'phone' })[0]).toMatch(/^mode: /)
    expect(
      failures(TestimonySource, {
        mode: 'interview',
        interviewer: 'AB',
        place: { country: null },
        consentGivenOrally: true,
      }),
    ).toEqual(['date: expected a day as YYYY-MM-DD'])
    expect(failures(TestimonySource, { ...anOnlineSource(), interviewer: 'AB' })[0]).toMatch(
      /Unrecognized key: "interviewer"/,
    )
  })

  it('refuses a received day finer than a day, and attachments without a SHA-256', () => {
    expect(failures(Testimony, { ...aTestimony(), receivedOn: '2019-06-01T10:00:00Z' })).toEqual([
      'receivedOn: expected a day as YYYY-MM-DD',
    ])
    const attachment = {
      id: 'x',
      mediaType: 'image/jpeg',
      byteLength: 10,
      sha256: 'abc',
      originalName: null,
      metadataKept: false,
    }
    const messages = failures(Testimony, { ...aTestimony(), attachments: [attachment] })
    expect(messages).toContain('attachments.0.sha256: expected a SHA-256 in hex')
    expect(messages).toContain('attachments.0.id: expected a 26-character random id')
  })
})

describe('JsonValue', () => {
  const nested = (depth: number): unknown => {
    let value: unknown = 'leaf'
    for (let i = 0; i < depth; i++) value = i % 2 === 0 ? [value] : { k: value }
    return value
  }

  it('accepts answers as questionnaires give them, up to the depth limit', () => {
    const answers = { q1: 'yes', q2: ['wechat', 2, true, null], q3: [{ name: 'x', status: ['held'] }] }
    expect(JsonValue.parse(answers)).toEqual(answers)
    expect(JsonValue.safeParse(nested(JSON_DEPTH_LIMIT)).success).toBe(true)
    expect(JsonValue.safeParse(Object.assign(Object.create(null) as object, { a: 1 })).success).toBe(true)
  })

  it('refuses a value nested too deep with a message, never a stack overflow, however deep', () => {
    for (const depth of [JSON_DEPTH_LIMIT + 1, 10_000, 1_000_000]) {
      const result = Testimony.safeParse({ ...aTestimony(), answers: { deep: nested(depth) } })
      expect(result.success).toBe(false)
      expect(result.error?.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`)).toEqual([
        `answers.deep: expected a JSON value (text, a finite number, true, false, null, lists and objects) nested at most ${String(JSON_DEPTH_LIMIT)} levels`,
      ])
    }
  })

  it('refuses what JSON cannot hold: undefined, functions, non-finite numbers, dates, maps, class instances', () => {
    const bad: [string, unknown][] = [
      ['undefined', undefined],
      ['a function', () => 1],
      ['NaN', Number.NaN],
      ['Infinity', Infinity],
      ['a date', new Date(0)],
      ['a map', new Map()],
      ['a class instance', new (class A {})()],
      ['a bigint', 1n],
      ['a symbol', Symbol('s')],
    ]
    for (const [what, value] of bad)
      expect(JsonValue.safeParse({ inside: [value] }).success, what).toBe(false)
  })

  it('accepts exactly what JSON.parse gives back for values within the limit (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
        expect(JsonValue.safeParse(JSON.parse(JSON.stringify(value)) as unknown).success).toBe(true)
      }),
      { numRuns: PROPERTY_RUNS },
    )
  })
})

describe('Identifier', () => {
  it('accepts an identifier with and without a normalised form', () => {
    expect(Identifier.parse(anIdentifier()).kind).toBe('phone')
    expect(
      Identifier.parse(anIdentifier({ kind: 'office', value: 'A consulate', normalised: null })).normalised,
    ).toBeNull()
  })

  it('refuses an unknown kind and an empty value', () => {
    expect(failures(Identifier, anIdentifier({ kind: 'fax' }))[0]).toMatch(/^kind: /)
    expect(failures(Identifier, anIdentifier({ value: '   ' }))[0]).toMatch(/^value: /)
  })
})

describe('AnalystProfile', () => {
  it('accepts a label and refuses an empty or overlong one', () => {
    const id = newId(AnalystId)
    expect(AnalystProfile.parse({ id, label: 'Analyst A' }).label).toBe('Analyst A')
    expect(failures(AnalystProfile, { id, label: '  ' })[0]).toMatch(/^label: /)
    expect(failures(AnalystProfile, { id, label: 'x'.repeat(61) })[0]).toMatch(/^label: /)
    expect(failures(AnalystProfile, { id: 'analyst-1', label: 'A' })).toEqual([
      'id: expected a 26-character random id',
    ])
  })
})

describe('WorkspaceEventBody and subjectOf', () => {
  const respondent = aRespondent()
  const incident = anIncident()
  const relative = aRelative({ respondentId: fixedId(RespondentId, 2) })

  it('derives the subject from the body: the respondent it is about, or null', () => {
    const cases: [unknown, string | null][] = [
      [{ kind: 'workspace.created', name: 'Demo' }, null],
      [{ kind: 'analyst.added', analyst: { id: fixedId(AnalystId, 1), label: 'A' } }, null],
      [{ kind: 'codebook.adopted', codebook: defaultCodebook() }, null],
      [{ kind: 'respondent.recorded', respondent }, respondent.id],
      [
        { kind: 'testimony.recorded', testimony: aTestimony({ respondentId: fixedId(RespondentId, 3) }) },
        fixedId(RespondentId, 3),
      ],
      [
        {
          kind: 'testimony.imported',
          respondent,
          testimony: aTestimony(),
          incidents: [incident],
          relatives: [],
          identifiers: [],
        },
        respondent.id,
      ],
      [{ kind: 'incident.recorded', incident }, incident.respondentId],
      [{ kind: 'relative.recorded', relative }, fixedId(RespondentId, 2)],
      [{ kind: 'identifier.recorded', identifier: anIdentifier() }, fixedId(RespondentId, 1)],
      [
        { kind: 'incident.removed', respondentId: incident.respondentId, incidentId: incident.id },
        incident.respondentId,
      ],
      [
        { kind: 'invites.revoked', server: 'https://intake.example.org', tokenHashes: ['a'.repeat(64)] },
        null,
      ],
    ]
    for (const [input, subject] of cases) {
      const body = WorkspaceEventBody.parse(input)
      expect(subjectOf(body), body.kind).toBe(subject)
    }
  })

  it('refuses an unknown kind and a body whose record is invalid', () => {
    expect(
      WorkspaceEventBody.safeParse({ kind: 'respondent.deleted', respondentId: respondent.id }).success,
    ).toBe(false)
    const messages = failures(WorkspaceEventBody, {
      kind: 'respondent.recorded',
      respondent: { ...respondent, gender: 'x' },
    })
    expect(messages[0]).toMatch(/^respondent\.gender: /)
  })
})

describe('parseOrThrow', () => {
  it('returns the parsed value', () => {
    expect(parseOrThrow(Respondent, aRespondent(), 'respondent')).toEqual(aRespondent())
  })

  it('throws input.invalid naming every wrong field', () => {
    const error = thrown(() =>
      parseOrThrow(
        Respondent,
        { ...aRespondent(), residenceCountry: 'XX', gender: 'x', extra: 1 },
        'respondent',
      ),
    )
    expect(error.kind).toBe('input')
    expect(error.code).toBe('input.invalid')
    expect(error.message).toMatch(/^The respondent is not valid: /)
    for (const field of ['residenceCountry', 'gender', 'extra']) expect(error.message).toContain(field)
    expect(error.details.what).toBe('respondent')
    expect(error.details.problems).toHaveLength(3)
  })

  it('names nested fields with their path', () => {
    const error = thrown(() =>
      parseOrThrow(Incident, { ...anIncident(), receivedIn: { country: 'XX' } }, 'incident'),
    )
    expect(error.message).toContain('receivedIn.country: ')
  })
})

describe('ids', () => {
  it('makes 26-character ids of the Crockford alphabet, with no duplicates over many draws', () => {
    const draws = sized(5_000, 200_000)
    const seen = new Set<string>()
    for (let i = 0; i < draws; i++) {
      const id = newId(RespondentId)
      expect(id).toMatch(/^[0-9abcdefghjkmnpqrstvwxyz]{26}$/)
      seen.add(id)
    }
    expect(seen.size).toBe(draws)
  })

  it('uses every character of the alphabet in the first 25 positions', () => {
    // 125 of the 128 bits are spread evenly over the first 25 characters; a bias or a stuck bit
    // would leave some characters unused in 400 draws (10,000 characters).
    const counts = new Map<string, number>()
    for (let i = 0; i < 400; i++) {
      for (const ch of newId(RespondentId).slice(0, 25)) counts.set(ch, (counts.get(ch) ?? 0) + 1)
    }
    expect([...counts.keys()].sort().join('')).toBe(CROCKFORD)
  })

  it('encodes the RFC 4648 test vectors, in the Crockford lowercase alphabet', () => {
    // RFC 4648 §10: "f" = MY, "fo" = MZXQ, ... re-expressed index by index (M=12 -> c, Y=24 -> r).
    const vectors: [string, string][] = [
      ['', ''],
      ['f', 'cr'],
      ['fo', 'csqg'],
      ['foo', 'csqpy'],
      ['foob', 'csqpyrg'],
      ['fooba', 'csqpyrk1'],
      ['foobar', 'csqpyrk1e8'],
    ]
    for (const [plain, encoded] of vectors)
      expect(base32(new TextEncoder().encode(plain)), plain).toBe(encoded)
  })

  it('encodes 128-bit edge values to 26 characters', () => {
    expect(base32(new Uint8Array(16))).toBe('0'.repeat(26))
    // 125 one-bits, then the last three one-bits padded with two zeros: 11100 = 28 = w.
    expect(base32(new Uint8Array(16).fill(0xff))).toBe(`${'z'.repeat(25)}w`)
  })

  it('has the length 8n/5 rounded up and only alphabet characters (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = base32(bytes)
        expect(text).toHaveLength(Math.ceil((bytes.length * 8) / 5))
        expect([...text].every((ch) => CROCKFORD.includes(ch))).toBe(true)
      }),
      { numRuns: PROPERTY_RUNS },
    )
  })

  it('decodes back to the same bytes with an independent decoder, so it is injective (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        expect(decodeBase32(base32(bytes), bytes.length)).toEqual(bytes)
      }),
      { numRuns: PROPERTY_RUNS },
    )
  })

  it('gives different texts for different inputs of the same length (property)', () => {
    const pair = fc
      .integer({ min: 1, max: 32 })
      .chain((n) =>
        fc.tuple(
          fc.uint8Array({ minLength: n, maxLength: n }),
          fc.uint8Array({ minLength: n, maxLength: n }),
        ),
      )
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const same = a.every((byte, i) => byte === b[i])
        expect(base32(a) === base32(b)).toBe(same)
      }),
      { numRuns: PROPERTY_RUNS },
    )
  })
})

/** A reference decoder written from the definition (5 bits per character, big-endian), not from base32(). */
function decodeBase32(text: string, byteLength: number): Uint8Array {
  const bits = [...text].flatMap((ch) => {
    const value = CROCKFORD.indexOf(ch)
    if (value < 0) throw new Error(`not a base32 character: ${ch}`)
    return [4, 3, 2, 1, 0].map((shift) => (value >> shift) & 1)
  })
  const out = new Uint8Array(byteLength)
  for (let i = 0; i < byteLength * 8; i++) out[i >> 3] = ((out[i >> 3] ?? 0) << 1) | (bits[i] ?? 0)
  // The padding bits after the last byte must be zero.
  expect(bits.slice(byteLength * 8).every((bit) => bit === 0)).toBe(true)
  return out
}
