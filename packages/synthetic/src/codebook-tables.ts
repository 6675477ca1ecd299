import { AmanatError, CodebookRef, type Code, type Codebook, type SectionName } from '@amanat/domain'
import { WeightedTable } from './prng.ts'
import {
  ACTIVIST_FACTOR,
  ACTIVIST_TYPES,
  ETHNICITY_WEIGHTS,
  ETHNICITY_WEIGHTS_BY_COUNTRY,
  FALLBACK_PROFILE,
  HARASSMENT_TYPE_WEIGHTS,
  IMPACT_WEIGHTS,
  RELATION_WEIGHTS,
  RELATIVE_STATUS_WEIGHTS,
  RESIDENCE_STATUS_WEIGHTS,
  STATUSES_IMPLIED_BY_TYPE,
  TYPE_PROFILES,
  type TypeProfile,
  type Weights,
} from './profiles.ts'

/** A kind of harassment with the channels and perpetrators the codebook offers for it. */
export interface ResolvedTypeProfile {
  readonly relativeShare: number
  readonly channels: WeightedTable<Code>
  readonly perpetrators: WeightedTable<Code>
  readonly originAbroadShare: number
}

/**
 * The study's weights resolved against one codebook: only its non-deprecated codes, prepared
 * once so that drawing is cheap. Everything the generator codes comes from these tables.
 */
export interface CodebookTables {
  readonly ref: CodebookRef
  readonly types: WeightedTable<Code>
  readonly activistTypes: WeightedTable<Code>
  profileOf(type: Code): ResolvedTypeProfile
  ethnicitiesFor(country: string): WeightedTable<Code>
  readonly statuses: WeightedTable<Code>
  readonly relations: WeightedTable<Code>
  readonly relativeStatuses: WeightedTable<Code>
  /**
   * The relative statuses an incident of `type` implies for the relative it names, or null when
   * it implies none (or the codebook has none of them).
   */
  impliedStatuses(type: Code): WeightedTable<Code> | null
  readonly impacts: WeightedTable<Code>
}

function activeCodes(codebook: Codebook, section: SectionName): Code[] {
  const codes = codebook.sections[section]
    .filter((entry) => entry.deprecated !== true)
    .map((entry) => entry.code)
  if (codes.length === 0) {
    throw new AmanatError(
      'input',
      'synthetic.codebook_section_empty',
      `The codebook has no codes in use in ${section}, so a synthetic study cannot be coded with it.`,
      { section },
    )
  }
  return codes
}

/** The known weights of the codes available, or null when none of them is available. */
function knownTable(available: readonly Code[], weights: Weights): WeightedTable<Code> | null {
  const entries = available.flatMap((code) => {
    const weight = weights[code] ?? 0
    return weight > 0 ? [[code, weight] as const] : []
  })
  return entries.length === 0 ? null : new WeightedTable(entries)
}

/** The known weights, or every available code alike when the codebook shares none of ours. */
function tableOf(available: readonly Code[], weights: Weights): WeightedTable<Code> {
  return knownTable(available, weights) ?? new WeightedTable(available.map((code) => [code, 1] as const))
}

/**
 * Resolves the study's weights against `codebook`. Throws an `input` {@link AmanatError}
 * (`synthetic.codebook_section_empty`) when a section has no code that is not deprecated.
 */
export function resolveCodebookTables(codebook: Codebook): CodebookTables {
  const ref = CodebookRef.parse(`${codebook.id}@${codebook.version}`)
  const types = activeCodes(codebook, 'harassment_types')
  const channels = activeCodes(codebook, 'channels')
  const perpetrators = activeCodes(codebook, 'perpetrators')
  const ethnicities = activeCodes(codebook, 'ethnicities')
  const relativeStatusCodes = activeCodes(codebook, 'relative_statuses')

  const activistWeights: Record<string, number> = {}
  for (const [code, weight] of Object.entries(HARASSMENT_TYPE_WEIGHTS)) {
    activistWeights[code] = ACTIVIST_TYPES.has(code) ? weight * ACTIVIST_FACTOR : weight
  }

  const resolveProfile = (profile: TypeProfile): ResolvedTypeProfile => ({
    relativeShare: profile.relativeShare,
    channels: knownTable(channels, profile.channels) ?? tableOf(channels, FALLBACK_PROFILE.channels),
    perpetrators:
      knownTable(perpetrators, profile.perpetrators) ?? tableOf(perpetrators, FALLBACK_PROFILE.perpetrators),
    originAbroadShare: profile.originAbroadShare,
  })
  const fallbackProfile = resolveProfile(FALLBACK_PROFILE)
  const profiles = new Map<string, ResolvedTypeProfile>()
  for (const type of types) {
    const profile = TYPE_PROFILES[type]
    profiles.set(type, profile === undefined ? fallbackProfile : resolveProfile(profile))
  }

  const implied = new Map<string, WeightedTable<Code> | null>()
  for (const [type, weights] of Object.entries(STATUSES_IMPLIED_BY_TYPE)) {
    implied.set(type, knownTable(relativeStatusCodes, weights))
  }

  const defaultEthnicities = tableOf(ethnicities, ETHNICITY_WEIGHTS)
  const ethnicitiesByCountry = new Map<string, WeightedTable<Code>>()
  for (const [country, weights] of Object.entries(ETHNICITY_WEIGHTS_BY_COUNTRY)) {
    ethnicitiesByCountry.set(country, tableOf(ethnicities, weights))
  }

  return {
    ref,
    types: tableOf(types, HARASSMENT_TYPE_WEIGHTS),
    activistTypes: tableOf(types, activistWeights),
    profileOf: (type) => profiles.get(type) ?? fallbackProfile,
    ethnicitiesFor: (country) => ethnicitiesByCountry.get(country) ?? defaultEthnicities,
    statuses: tableOf(activeCodes(codebook, 'residence_statuses'), RESIDENCE_STATUS_WEIGHTS),
    relations: tableOf(activeCodes(codebook, 'relations'), RELATION_WEIGHTS),
    relativeStatuses: tableOf(relativeStatusCodes, RELATIVE_STATUS_WEIGHTS),
    impliedStatuses: (type) => implied.get(type) ?? null,
    impacts: tableOf(activeCodes(codebook, 'impacts'), IMPACT_WEIGHTS),
  }
}
