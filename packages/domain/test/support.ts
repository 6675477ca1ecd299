import { readFileSync } from 'node:fs'
import type { z } from 'zod'
import {
  Consent,
  Incident,
  IncidentId,
  parseCodebook,
  Relative,
  RelativeId,
  Respondent,
  RespondentId,
  TestimonyId,
  type Codebook,
} from '../src/index.ts'

/**
 * Test helpers other packages' tests import by relative path
 * (`../../domain/test/support.ts`). Tests run in Node, so reading the file here is fine; the
 * domain package itself stays browser-safe and only ever sees the text.
 */

const DEFAULT_CODEBOOK_URL = new URL('../codebook/default.yaml', import.meta.url)

/** The text of packages/domain/codebook/default.yaml. */
export function defaultCodebookText(): string {
  return readFileSync(DEFAULT_CODEBOOK_URL, 'utf8')
}

let cached: Codebook | undefined

/** The default codebook, parsed and validated once per test file (it is frozen, so sharing is safe). */
export function defaultCodebook(): Codebook {
  cached ??= parseCodebook(defaultCodebookText(), 'default.yaml')
  return cached
}

/** A fixed, valid id of any brand, for fixtures: `fixedId(RespondentId, 1)`. */
export function fixedId<S extends z.ZodType<string>>(schema: S, n: number): z.infer<S> {
  return schema.parse(`r${String(n).padStart(25, '0')}`)
}

/** A valid consent: aggregate use, not withdrawn. */
export function aConsent(overrides: Partial<Consent> = {}): Consent {
  return Consent.parse({
    uses: ['aggregate'],
    withdrawn: false,
    form: 'online',
    recordedOn: '2019-05-01',
    ...overrides,
  })
}

/** A valid respondent with default-codebook codes. Synthetic: no real person. */
export function aRespondent(overrides: Record<string, unknown> = {}): Respondent {
  return Respondent.parse({
    id: fixedId(RespondentId, 1),
    key: 'R-0001',
    collectionMode: 'online',
    residenceCountry: 'TR',
    ethnicity: 'uyghur',
    status: 'refugee',
    gender: 'woman',
    ageBand: '30_44',
    occupation: null,
    activist: false,
    disclosure: 'anonymous',
    consent: aConsent(),
    pseudonym: null,
    ...overrides,
  })
}

/** A valid incident with default-codebook codes, aimed at the respondent. */
export function anIncident(overrides: Record<string, unknown> = {}): Incident {
  return Incident.parse({
    id: fixedId(IncidentId, 1),
    testimonyId: fixedId(TestimonyId, 1),
    respondentId: fixedId(RespondentId, 1),
    type: 'pressure_to_return',
    channel: 'wechat',
    perpetrator: 'home_police',
    target: 'self',
    relativeId: null,
    receivedIn: { country: 'TR' },
    originatedIn: { country: 'CN', locality: 'a county police station' },
    date: { precision: 'month', value: '2018-11' },
    confidence: 'high',
    note: null,
    codebook: 'amanat-default@1.0.0',
    ...overrides,
  })
}

/** A valid relative with default-codebook codes. */
export function aRelative(overrides: Record<string, unknown> = {}): Relative {
  return Relative.parse({
    id: fixedId(RelativeId, 1),
    respondentId: fixedId(RespondentId, 1),
    relation: 'sibling',
    status: 'detained',
    since: { precision: 'year', value: '2017' },
    lastContact: { precision: 'unknown' },
    note: null,
    codebook: 'amanat-default@1.0.0',
    ...overrides,
  })
}
