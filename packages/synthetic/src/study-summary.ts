import { continentOf, type CollectionMode, type DisclosureWish } from '@amanat/domain'
import type { TestimonyImportedBody } from './study-context.ts'

/** Counts that describe a study at a glance (what the demo prints). Counts respondents unless named otherwise. */
export interface StudySummary {
  readonly respondents: number
  /** Respondents by residence country; `unknown` for none. */
  readonly countries: Readonly<Record<string, number>>
  /** Respondents by continent of residence. */
  readonly continents: Readonly<Record<string, number>>
  readonly disclosure: Readonly<Record<DisclosureWish, number>>
  /** Share (0–1) of respondents who asked for anonymity or a pseudonym. */
  readonly anonymousOrPseudonymousShare: number
  readonly collectionModes: Readonly<Record<CollectionMode, number>>
  readonly withdrawn: number
  /** Number of incidents (not respondents). */
  readonly incidents: number
  readonly incidentsPerRespondent: number
  readonly relatives: number
  readonly identifiers: number
  /** Narratives by language (a respondent may give none). */
  readonly languages: Readonly<Record<string, number>>
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1
}

/** Counts a study in one pass; memory grows with the number of countries and languages only. */
export function summariseStudy(records: Iterable<TestimonyImportedBody>): StudySummary {
  let respondents = 0
  let incidents = 0
  let relatives = 0
  let identifiers = 0
  let withdrawn = 0
  const countries: Record<string, number> = {}
  const continents: Record<string, number> = {}
  const languages: Record<string, number> = {}
  const disclosure: Record<DisclosureWish, number> = { named: 0, pseudonym: 0, anonymous: 0 }
  const collectionModes: Record<CollectionMode, number> = { online: 0, interview: 0 }
  for (const record of records) {
    const { respondent } = record
    respondents++
    const country = respondent.residenceCountry
    bump(countries, country ?? 'unknown')
    bump(continents, country === null ? 'unknown' : (continentOf(country) ?? 'unknown'))
    disclosure[respondent.disclosure]++
    collectionModes[respondent.collectionMode]++
    if (respondent.consent.withdrawn) withdrawn++
    incidents += record.incidents.length
    relatives += record.relatives.length
    identifiers += record.identifiers.length
    for (const narrative of record.testimony.narratives) bump(languages, narrative.language)
  }
  return {
    respondents,
    countries,
    continents,
    disclosure,
    anonymousOrPseudonymousShare:
      respondents === 0 ? 0 : (disclosure.anonymous + disclosure.pseudonym) / respondents,
    collectionModes,
    withdrawn,
    incidents,
    incidentsPerRespondent: respondents === 0 ? 0 : incidents / respondents,
    relatives,
    identifiers,
    languages,
  }
}

const number = new Intl.NumberFormat('en-US')

function ranked(counts: Readonly<Record<string, number>>): string {
  return Object.entries(counts)
    .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
    .map(([key, count]) => `${key} ${number.format(count)}`)
    .join(', ')
}

/** A few plain lines describing a summary, for a terminal. */
export function describeStudy(summary: StudySummary): string {
  const share = (summary.anonymousOrPseudonymousShare * 100).toFixed(1)
  return [
    `${number.format(summary.respondents)} respondents in ${Object.keys(summary.countries).length} countries on ` +
      `${Object.keys(summary.continents).length} continents (${Object.keys(summary.continents).sort().join(', ')})`,
    `${share}% asked for anonymity or a pseudonym (${ranked(summary.disclosure)}); ` +
      `${number.format(summary.withdrawn)} withdrew consent`,
    `collected: ${ranked(summary.collectionModes)}`,
    `${number.format(summary.incidents)} incidents (${summary.incidentsPerRespondent.toFixed(2)} per respondent), ` +
      `${number.format(summary.relatives)} relatives, ${number.format(summary.identifiers)} identifiers`,
    `narratives: ${ranked(summary.languages)}`,
    `countries: ${ranked(summary.countries)}`,
  ].join('\n')
}
