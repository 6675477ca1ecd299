import { continentOf } from '@amanat/domain'
import type { WorkspaceStore } from '@amanat/database'

/** What a workspace holds, in the terms a researcher uses (the demo and `amanat status` print it). */
export interface WorkspaceOverview {
  readonly respondents: number
  readonly testimonies: number
  readonly incidents: number
  readonly relatives: number
  readonly identifiers: number
  readonly events: number
  readonly countries: number
  readonly continents: number
  /** Respondents asking for anonymity or a pseudonym, as a share of all respondents (0..1). */
  readonly anonymousOrPseudonymousShare: number
  readonly collectionModes: Readonly<Record<string, number>>
}

export async function overviewOf(store: WorkspaceStore): Promise<WorkspaceOverview> {
  const counts = await store.counts()
  const countries = await store.db
    .selectFrom('respondents')
    .select('residence_country')
    .where('residence_country', 'is not', null)
    .distinct()
    .execute()
  const disclosure = await store.db
    .selectFrom('respondents')
    .select(['disclosure', (eb) => eb.fn.countAll<string | number>().as('n')])
    .groupBy('disclosure')
    .execute()
  const modes = await store.db
    .selectFrom('respondents')
    .select(['collection_mode', (eb) => eb.fn.countAll<string | number>().as('n')])
    .groupBy('collection_mode')
    .execute()
  const respondents = counts.respondents ?? 0
  const hidden = disclosure.filter((d) => d.disclosure !== 'named').reduce((sum, d) => sum + Number(d.n), 0)
  const codes = countries.map((c) => c.residence_country).filter((c): c is string => c !== null)
  return {
    respondents,
    testimonies: counts.testimonies ?? 0,
    incidents: counts.incidents ?? 0,
    relatives: counts.relatives ?? 0,
    identifiers: counts.identifiers ?? 0,
    events: counts.events ?? 0,
    countries: codes.length,
    continents: new Set(codes.map((c) => continentOf(c))).size,
    anonymousOrPseudonymousShare: respondents === 0 ? 0 : hidden / respondents,
    collectionModes: Object.fromEntries(modes.map((m) => [m.collection_mode, Number(m.n)])),
  }
}

/** The overview as a few plain lines. */
export function describeOverview(o: WorkspaceOverview): string[] {
  const modes = Object.entries(o.collectionModes)
    .map(([mode, n]) => `${String(n)} ${mode}`)
    .join(', ')
  return [
    `respondents: ${String(o.respondents)} in ${String(o.countries)} countries on ${String(o.continents)} continents (${modes})`,
    `asking for anonymity or a pseudonym: ${String(Math.round(o.anonymousOrPseudonymousShare * 100))}%`,
    `testimonies: ${String(o.testimonies)}, incidents: ${String(o.incidents)}, relatives: ${String(o.relatives)}, identifiers: ${String(o.identifiers)}`,
    `events in the log: ${String(o.events)}`,
  ]
}
