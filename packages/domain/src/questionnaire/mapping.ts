import type { SectionName } from '../codebook/codebook.schema.ts'
import { AGE_BANDS, GENDERS } from '../model/respondent.ts'
import { CONSENT_USES, DISCLOSURE_WISHES, TARGETS } from '../model/vocabulary.ts'

/**
 * Where an answer goes in the domain model (docs/questionnaire-format.md, "Mappings"). The list
 * is closed: `mapSubmission` knows each target, and the definition check refuses a target whose
 * question kind, options or length could not fill the model's field. Every answer, mapped or
 * not, is also kept verbatim in `testimony.answers`.
 */
export const MAP_TARGETS = [
  'respondent.residenceCountry',
  'respondent.status',
  'respondent.ethnicity',
  'respondent.gender',
  'respondent.ageBand',
  'respondent.occupation',
  'respondent.activist',
  'respondent.disclosure',
  'respondent.consent.uses',
  'respondent.pseudonymWish',
  'respondent.impacts',
  'narrative',
  'incident.type',
  'incident.channel',
  'incident.perpetrator',
  'incident.target',
  'incident.date',
  'incident.receivedIn.country',
  'incident.receivedIn.locality',
  'incident.originatedIn.country',
  'incident.originatedIn.locality',
  'incident.note',
  'incident.identifier',
  'relative.relation',
  'relative.status',
  'relative.since',
  'relative.lastContact',
  'relative.note',
] as const
export type MapTarget = (typeof MAP_TARGETS)[number]

/** What a repeatable group stands for: each instance becomes one incident, or one relative. */
export const GROUP_TARGETS = ['incidents', 'relatives'] as const
export type GroupTarget = (typeof GROUP_TARGETS)[number]

/** The kinds a target accepts (group excluded: groups map to a {@link GroupTarget}). */
type MappableKind =
  'short_text' | 'long_text' | 'single_choice' | 'multiple_choice' | 'country' | 'date' | 'number' | 'yes_no'

/** What a target needs from the question mapped to it. */
export interface TargetSpec {
  /** Top level (`respondent`), or inside the group that maps to `incidents` or `relatives`. */
  readonly scope: 'respondent' | GroupTarget
  readonly kinds: readonly MappableKind[]
  /** The option values must be codes of this codebook section. */
  readonly section?: SectionName
  /** The option values must be among these values of the model (explicit options only). */
  readonly values?: readonly string[]
  /** The longest text the model's field holds; the question's `maxLength` may not exceed it. */
  readonly maxLength?: number
  /**
   * The model's field cannot be empty, so the question must be required and have no `showIf`:
   * a valid submission then always fills it, and the mapping stays total.
   */
  readonly mandatory?: boolean
  /** Several questions may map here (several free-text answers become several narratives), up to this many. */
  readonly repeatable?: number
  /** The most values the model's list holds; a multiple choice must not allow more. */
  readonly maxItems?: number
}

const respondent = 'respondent'

/** The contract of every target (docs/questionnaire-format.md has the same table in prose). */
export const TARGET_SPECS: Readonly<Record<MapTarget, TargetSpec>> = {
  'respondent.residenceCountry': { scope: respondent, kinds: ['country'] },
  'respondent.status': { scope: respondent, kinds: ['single_choice'], section: 'residence_statuses' },
  'respondent.ethnicity': { scope: respondent, kinds: ['single_choice'], section: 'ethnicities' },
  'respondent.gender': { scope: respondent, kinds: ['single_choice'], values: GENDERS },
  'respondent.ageBand': { scope: respondent, kinds: ['single_choice'], values: AGE_BANDS },
  'respondent.occupation': { scope: respondent, kinds: ['short_text'], maxLength: 200 },
  'respondent.activist': { scope: respondent, kinds: ['yes_no'] },
  'respondent.disclosure': { scope: respondent, kinds: ['single_choice'], values: DISCLOSURE_WISHES },
  'respondent.consent.uses': { scope: respondent, kinds: ['multiple_choice'], values: CONSENT_USES },
  'respondent.pseudonymWish': { scope: respondent, kinds: ['short_text'], maxLength: 60 },
  'respondent.impacts': { scope: respondent, kinds: ['multiple_choice'], section: 'impacts', maxItems: 50 },
  narrative: {
    scope: respondent,
    kinds: ['long_text', 'short_text'],
    maxLength: 2 * 1024 * 1024,
    repeatable: 50,
  },
  'incident.type': {
    scope: 'incidents',
    kinds: ['single_choice'],
    section: 'harassment_types',
    mandatory: true,
  },
  'incident.channel': { scope: 'incidents', kinds: ['single_choice'], section: 'channels' },
  'incident.perpetrator': { scope: 'incidents', kinds: ['single_choice'], section: 'perpetrators' },
  'incident.target': { scope: 'incidents', kinds: ['single_choice'], values: TARGETS, mandatory: true },
  'incident.date': { scope: 'incidents', kinds: ['date'] },
  'incident.receivedIn.country': { scope: 'incidents', kinds: ['country'] },
  'incident.receivedIn.locality': { scope: 'incidents', kinds: ['short_text'], maxLength: 200 },
  'incident.originatedIn.country': { scope: 'incidents', kinds: ['country'] },
  'incident.originatedIn.locality': { scope: 'incidents', kinds: ['short_text'], maxLength: 200 },
  'incident.note': { scope: 'incidents', kinds: ['short_text', 'long_text'], maxLength: 10_000 },
  'incident.identifier': { scope: 'incidents', kinds: ['short_text'], maxLength: 500 },
  'relative.relation': {
    scope: 'relatives',
    kinds: ['single_choice'],
    section: 'relations',
    mandatory: true,
  },
  'relative.status': {
    scope: 'relatives',
    kinds: ['single_choice'],
    section: 'relative_statuses',
    mandatory: true,
  },
  'relative.since': { scope: 'relatives', kinds: ['date'] },
  'relative.lastContact': { scope: 'relatives', kinds: ['date'] },
  'relative.note': { scope: 'relatives', kinds: ['short_text', 'long_text'], maxLength: 10_000 },
}

/** The targets a group of the given kind must map (each by a required, unconditional question). */
export function mandatoryTargets(scope: GroupTarget): MapTarget[] {
  return MAP_TARGETS.filter((t) => TARGET_SPECS[t].scope === scope && TARGET_SPECS[t].mandatory === true)
}
