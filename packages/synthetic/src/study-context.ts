import { CountryCode, type WorkspaceEventBody } from '@amanat/domain'
import type { Codebook } from '@amanat/domain'
import { DayTable, startOfYearBefore } from './calendar.ts'
import { resolveCodebookTables, type CodebookTables } from './codebook-tables.ts'
import { HOME_COUNTRY, STUDY_COUNTRIES } from './countries.ts'
import { SharedContacts } from './fictional-contacts.ts'
import { Prng, WeightedTable } from './prng.ts'
import { PseudonymBook } from './pseudonyms.ts'

/** One record of a synthetic study: a whole account arriving at once. */
export type TestimonyImportedBody = Extract<WorkspaceEventBody, { kind: 'testimony.imported' }>

/** Testimonies arrive over thirteen months from the first day (September to September in the seed study). */
export const RECEIVED_SPAN_DAYS = 395

/** Incidents are dated from 1 January this many years before the first day's year. */
export const INCIDENT_YEARS_BEFORE = 4

/**
 * Everything a study shares between respondents, drawn once from the seed. Its size does not
 * depend on the number of respondents.
 */
export interface StudyContext {
  readonly seed: string
  readonly tables: CodebookTables
  readonly days: DayTable
  readonly firstDay: number
  readonly incidentWindowStart: number
  /** Relatives' detentions are dated from here: 1 January of the year before the first day's. */
  readonly detentionWindowStart: number
  readonly countries: WeightedTable<CountryCode>
  /** The first 22 respondents live one in each country, so every run of 22 or more has all 22. */
  readonly countryOrder: readonly CountryCode[]
  readonly home: CountryCode
  readonly pseudonyms: PseudonymBook
  readonly contacts: SharedContacts
  readonly questionnaire: { readonly id: string; readonly version: string }
}

/** Builds the shared part of a study. Throws as {@link resolveCodebookTables} does. */
export function createStudyContext(options: {
  seed: string
  codebook: Codebook
  firstDay: number
  questionnaire: { id: string; version: string }
}): StudyContext {
  const study = Prng.fromSeed(`${options.seed}\u0000study`)
  const countries = STUDY_COUNTRIES.map(({ code, weight }) => [CountryCode.parse(code), weight] as const)
  const countryOrder = countries.map(([code]) => code)
  for (let i = countryOrder.length - 1; i > 0; i--) {
    const j = study.int(0, i)
    ;[countryOrder[i], countryOrder[j]] = [countryOrder[j] as CountryCode, countryOrder[i] as CountryCode]
  }
  const incidentWindowStart = startOfYearBefore(options.firstDay, INCIDENT_YEARS_BEFORE)
  return {
    seed: options.seed,
    tables: resolveCodebookTables(options.codebook),
    days: new DayTable(incidentWindowStart - 366),
    firstDay: options.firstDay,
    incidentWindowStart,
    detentionWindowStart: startOfYearBefore(options.firstDay, 1),
    countries: new WeightedTable(countries),
    countryOrder,
    home: CountryCode.parse(HOME_COUNTRY),
    pseudonyms: new PseudonymBook(study),
    contacts: new SharedContacts(study),
    questionnaire: options.questionnaire,
  }
}
