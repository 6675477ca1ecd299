import {
  IdentifierId,
  IncidentId,
  RelativeId,
  RespondentId,
  RespondentKey,
  TestimonyId,
  seededId,
  type Code,
  type Confidence,
  type ConsentUse,
  type CountryCode,
  type DatePrecision,
  type DisclosureWish,
  type Identifier,
  type Incident,
  type PartialDate,
  type Place,
  type Relative,
  type Respondent,
  type Testimony,
  type TestimonySource,
} from '@amanat/domain'
import type { AGE_BANDS, GENDERS } from '@amanat/domain'
import type { IncidentStory, StoryLength, StoryPlan } from './narrative/compose.ts'
import { tellStory } from './narrative/compose.ts'
import { PHRASEBOOKS, narrativeLanguagesFor } from './narrative/languages.ts'
import { KIN_BY_RELATION, type KinKey } from './narrative/phrasebook.ts'
import {
  fictionalEmail,
  fictionalOffice,
  fictionalPhone,
  fictionalWechatId,
  type ContactValue,
} from './fictional-contacts.ts'
import { Prng, WeightedTable } from './prng.ts'
import { INCIDENT_COUNT_WEIGHTS, RELATIVE_COUNT_WEIGHTS } from './profiles.ts'
import { RECEIVED_SPAN_DAYS, type StudyContext, type TestimonyImportedBody } from './study-context.ts'

type Gender = (typeof GENDERS)[number]
type AgeBand = (typeof AGE_BANDS)[number]

const INCIDENT_COUNTS = new WeightedTable(INCIDENT_COUNT_WEIGHTS)
const RELATIVE_COUNTS = new WeightedTable(RELATIVE_COUNT_WEIGHTS)
const MODES = new WeightedTable([
  ['online', 70],
  ['interview', 30],
] as const)
const ACTIVIST = new WeightedTable<boolean | null>([
  [true, 15],
  [false, 70],
  [null, 15],
])
/** About two thirds ask for anonymity or a pseudonym; activists more often speak under their name. */
const DISCLOSURE = new WeightedTable<DisclosureWish>([
  ['anonymous', 52],
  ['pseudonym', 19],
  ['named', 29],
])
const DISCLOSURE_OF_ACTIVISTS = new WeightedTable<DisclosureWish>([
  ['anonymous', 30],
  ['pseudonym', 15],
  ['named', 55],
])
const GENDER = new WeightedTable<Gender | null>([
  ['man', 52],
  ['woman', 44],
  ['other', 1],
  ['undisclosed', 2],
  [null, 1],
])
const AGE_BAND = new WeightedTable<AgeBand | null>([
  ['under_18', 1],
  ['18_29', 30],
  ['30_44', 40],
  ['45_59', 20],
  ['60_plus', 7],
  [null, 2],
])
const OCCUPATIONS = [
  'student',
  'teacher',
  'engineer',
  'shop owner',
  'driver',
  'cook',
  'homemaker',
  'interpreter',
  'factory worker',
  'nurse',
  'doctor',
  'researcher',
  'trader',
  'tailor',
  'software developer',
  'accountant',
  'retired',
  'unemployed',
  'construction worker',
  'journalist',
] as const

const AGGREGATE: readonly ConsentUse[] = ['aggregate']
const STORY: readonly ConsentUse[] = ['aggregate', 'anonymised_story']
const QUOTE: readonly ConsentUse[] = ['aggregate', 'anonymised_story', 'quote']
const LAWYER: readonly ConsentUse[] = ['aggregate', 'share_with_lawyer']
const ALL: readonly ConsentUse[] = ['aggregate', 'anonymised_story', 'quote', 'share_with_lawyer']
const CONSENT_BY_DISCLOSURE: Readonly<Record<DisclosureWish, WeightedTable<readonly ConsentUse[]>>> = {
  anonymous: new WeightedTable([
    [AGGREGATE, 40],
    [STORY, 40],
    [QUOTE, 12],
    [LAWYER, 8],
  ]),
  pseudonym: new WeightedTable([
    [AGGREGATE, 15],
    [STORY, 40],
    [QUOTE, 35],
    [ALL, 10],
  ]),
  named: new WeightedTable([
    [AGGREGATE, 10],
    [STORY, 20],
    [QUOTE, 45],
    [ALL, 25],
  ]),
}
const WITHDRAWN_SHARE = 0.02

const INCIDENT_PRECISION = new WeightedTable<DatePrecision>([
  ['day', 20],
  ['month', 35],
  ['year', 35],
  ['unknown', 10],
])
const HELD_SINCE_PRECISION = new WeightedTable<DatePrecision>([
  ['month', 50],
  ['year', 35],
  ['day', 8],
  ['unknown', 7],
])
const LAST_CONTACT_PRECISION = new WeightedTable<DatePrecision>([
  ['month', 55],
  ['year', 25],
  ['day', 10],
  ['unknown', 10],
])
const CONFIDENCE = new WeightedTable<Confidence>([
  ['high', 45],
  ['medium', 40],
  ['low', 15],
])
const LENGTH_ONLINE = new WeightedTable<StoryLength>([
  ['sentence', 30],
  ['paragraph', 45],
  ['long', 25],
])
const LENGTH_INTERVIEW = new WeightedTable<StoryLength>([
  ['sentence', 5],
  ['paragraph', 45],
  ['long', 50],
])

const REGIONS = ['Northern', 'Southern', 'Eastern', 'Western', 'Central']
const INTERVIEW_PLACES = [
  'Community centre (synthetic)',
  'Café (synthetic)',
  "Organisation's office (synthetic)",
  "Respondent's home town (synthetic)",
]
const INCIDENT_NOTES = [
  'Date approximate; the respondent placed it by a family event.',
  'The respondent was not sure who sent the message.',
  'Heard from a relative abroad; not witnessed directly.',
  'The respondent kept screenshots.',
  'Several similar calls over some weeks; coded once.',
]
const RELATIVE_NOTES = [
  'Heard from a neighbour of the family.',
  'Last seen at home; no official notice received.',
  'The family was told not to ask.',
]

const HELD = new Set(['detained', 'imprisoned', 'disappeared'])
const FALLBACK_KIN: readonly KinKey[] = ['relative']

/** A relative while the record is being built: its status may still change. */
interface RelativeDraft {
  readonly id: RelativeId
  readonly relation: Code
  readonly kin: KinKey
  status: Code
  /** The earliest day a coded incident says they were detained: their status dates from then. */
  detainedDay: number | null
}

/**
 * A day in [from, to], skewed towards `to` (harassment grew in the later years of the window):
 * the later of two uniform draws, so three quarters fall in the later half. Integer arithmetic
 * only, because `Math.pow` may differ in the last bit between JavaScript engines.
 */
function skewedDay(rng: Prng, from: number, to: number): number {
  if (to <= from) return from
  return Math.max(rng.int(from, to), rng.int(from, to))
}

function syntheticLocality(rng: Prng): string {
  return `${rng.pick(REGIONS)} prefecture, county ${rng.int(1, 40)} (synthetic)`
}

function contactFor(
  rng: Prng,
  ctx: StudyContext,
  channel: string | null,
  perpetrator: string | null,
): ContactValue | null {
  if (perpetrator === 'embassy_consulate' && rng.chance(0.3)) return fictionalOffice(rng, 'diplomatic')
  if (perpetrator === 'host_state_authority' && rng.chance(0.3)) return fictionalOffice(rng, 'host')
  if (!rng.chance(0.35)) return null
  switch (channel) {
    case 'wechat':
      return rng.chance(0.35) ? ctx.contacts.pick(rng, 'wechat') : fictionalWechatId(rng)
    case 'whatsapp':
      return rng.chance(0.35) ? ctx.contacts.pick(rng, 'whatsapp') : fictionalPhone(rng, 'whatsapp')
    case 'phone_call':
    case 'recorded_phone_message':
      return rng.chance(0.35) ? ctx.contacts.pick(rng, 'phone') : fictionalPhone(rng, 'phone')
    case 'email':
      return rng.chance(0.35) ? ctx.contacts.pick(rng, 'email') : fictionalEmail(rng)
    case 'post_or_courier':
      return fictionalOffice(rng, 'courier')
    case null:
    default:
      return null
  }
}

/**
 * Respondent number `index` (zero-based) of the study. Each respondent draws from its own
 * generator, seeded from the study seed and the index, so a respondent does not depend on how
 * many were generated before it (a smaller study is a prefix of a larger one).
 */
export function generateRecord(ctx: StudyContext, index: number): TestimonyImportedBody {
  const rng = Prng.fromSeed(`${ctx.seed}\u0000respondent\u0000${index}`)
  const { tables, days } = ctx
  const nextId = () => rng.bytes(16)

  const respondentId = seededId(RespondentId, nextId)
  const testimonyId = seededId(TestimonyId, nextId)
  const country: CountryCode = ctx.countryOrder[index] ?? rng.weighted(ctx.countries)
  const receivedDay = ctx.firstDay + rng.int(0, RECEIVED_SPAN_DAYS - 1)
  const receivedOn = days.iso(receivedDay)
  const mode = rng.weighted(MODES)
  const activist = rng.weighted(ACTIVIST)
  const disclosure = rng.weighted(activist === true ? DISCLOSURE_OF_ACTIVISTS : DISCLOSURE)
  const gender = rng.weighted(GENDER)
  const ageBand = rng.weighted(AGE_BAND)
  const occupation = rng.chance(0.2) ? null : rng.pick(OCCUPATIONS)
  const ethnicity = rng.chance(0.02) ? null : rng.weighted(tables.ethnicitiesFor(country))
  const status = rng.chance(0.03) ? null : rng.weighted(tables.statuses)

  // Interviews are entered a few days after they take place; consent is recorded then.
  const interviewDay = receivedDay - rng.int(0, 20)
  const consentGivenOrally = rng.chance(0.75)
  const source: TestimonySource =
    mode === 'online'
      ? { mode, questionnaireId: ctx.questionnaire.id, questionnaireVersion: ctx.questionnaire.version }
      : {
          mode,
          interviewer: `Interviewer ${rng.int(1, 12)} (synthetic)`,
          date: days.iso(interviewDay),
          place: { country, locality: rng.pick(INTERVIEW_PLACES) },
          consentGivenOrally,
        }

  const incidentCount = rng.weighted(INCIDENT_COUNTS)
  // What the harassment did to them; someone who reports nothing coded may still live in fear.
  const impacts: Code[] = []
  const impactCount = incidentCount === 0 ? rng.int(0, 1) : rng.int(1, 3)
  for (let i = 0; i < impactCount; i++) {
    const impact = rng.weighted(tables.impacts)
    if (!impacts.includes(impact)) impacts.push(impact)
  }

  const respondent: Respondent = {
    id: respondentId,
    key: RespondentKey.parse(`R-${String(index + 1).padStart(6, '0')}`),
    collectionMode: mode,
    residenceCountry: country,
    ethnicity,
    status,
    gender,
    ageBand,
    occupation,
    activist,
    impacts,
    disclosure,
    consent: {
      uses: [...rng.weighted(CONSENT_BY_DISCLOSURE[disclosure])],
      withdrawn: rng.chance(WITHDRAWN_SHARE),
      form: mode === 'online' ? 'online' : consentGivenOrally ? 'oral' : 'written',
      recordedOn: mode === 'online' ? receivedOn : days.iso(interviewDay),
    },
    pseudonym: disclosure === 'pseudonym' ? ctx.pseudonyms.pseudonymAt(index) : null,
  }

  // What happened: the kinds of harassment first, because they decide whether relatives are needed.
  const typeTable = activist === true ? tables.activistTypes : tables.types
  const planned: { type: Code; target: 'self' | 'relative' }[] = []
  for (let i = 0; i < incidentCount; i++) {
    const type = rng.weighted(typeTable)
    planned.push({ type, target: rng.chance(tables.profileOf(type).relativeShare) ? 'relative' : 'self' })
  }
  const needsRelative = planned.some((p) => p.target === 'relative')
  const relativeCount = Math.max(rng.weighted(RELATIVE_COUNTS), needsRelative ? 1 : 0)

  const relatives: RelativeDraft[] = []
  for (let i = 0; i < relativeCount; i++) {
    const relation = rng.weighted(tables.relations)
    let kin: KinKey = rng.pick(KIN_BY_RELATION[relation] ?? FALLBACK_KIN)
    if (relation === 'spouse' && gender === 'man') kin = 'wife'
    if (relation === 'spouse' && gender === 'woman') kin = 'husband'
    relatives.push({
      id: seededId(RelativeId, nextId),
      relation,
      kin,
      status: rng.weighted(tables.relativeStatuses),
      detainedDay: null,
    })
  }

  const identifiers = new Map<string, Identifier>()
  const incidents: Incident[] = []
  const stories: { story: IncidentStory; day: number }[] = []
  for (const { type, target } of planned) {
    const profile = tables.profileOf(type)
    const detention = type === 'relative_detained'
    let relative: RelativeDraft | null = null
    if (target === 'relative') {
      // A detention is told once per relative; any relative named is preferably one whose
      // status already fits the incident, and otherwise gets a status that does.
      const candidates = detention ? relatives.filter((r) => r.detainedDay === null) : relatives
      const pool = candidates.length > 0 ? candidates : relatives
      const implied = tables.impliedStatuses(type)
      const fitting = implied === null ? pool : pool.filter((r) => implied.values.includes(r.status))
      relative = fitting.length > 0 ? rng.pick(fitting) : rng.pick(pool)
      if (implied !== null && !implied.values.includes(relative.status))
        relative.status = rng.weighted(implied)
    }
    const channel = rng.chance(0.05) ? null : rng.weighted(profile.channels)
    const perpetrator = rng.chance(0.07) ? null : rng.weighted(profile.perpetrators)
    const originAbroad =
      perpetrator === 'embassy_consulate' ||
      perpetrator === 'host_state_authority' ||
      rng.chance(profile.originAbroadShare)
    const originatedIn: Place = originAbroad
      ? { country }
      : rng.chance(0.85)
        ? { country: ctx.home, locality: syntheticLocality(rng) }
        : { country: ctx.home }
    const receivedIn: Place = rng.chance(0.15)
      ? { country, locality: `City ${rng.int(1, 9)} (synthetic)` }
      : { country }
    // Detentions of relatives are dated from the mass detentions of 2017 on.
    const day = skewedDay(rng, detention ? ctx.detentionWindowStart : ctx.incidentWindowStart, receivedDay)
    if (detention && relative !== null) relative.detainedDay = Math.min(relative.detainedDay ?? day, day)
    const date: PartialDate = days.partial(day, rng.weighted(INCIDENT_PRECISION))
    const id = seededId(IncidentId, nextId)

    incidents.push({
      id,
      testimonyId,
      respondentId,
      type,
      channel,
      perpetrator,
      target,
      relativeId: relative?.id ?? null,
      receivedIn,
      originatedIn,
      date,
      confidence: rng.weighted(CONFIDENCE),
      note: rng.chance(0.2) ? rng.pick(INCIDENT_NOTES) : null,
      codebook: tables.ref,
    })
    stories.push({
      day,
      story: {
        type,
        channel,
        perpetrator,
        target,
        kin: relative?.kin ?? null,
        year: date.precision === 'unknown' ? null : Number(date.value.slice(0, 4)),
        variant: rng.next(),
      },
    })

    const contact = contactFor(rng, ctx, channel, perpetrator)
    if (contact !== null) {
      const key = `${contact.kind}\u0000${contact.value}`
      const known = identifiers.get(key)
      if (known === undefined) {
        identifiers.set(key, {
          id: seededId(IdentifierId, nextId),
          respondentId,
          kind: contact.kind,
          value: contact.value,
          normalised: contact.normalised,
          incidentIds: [id],
        })
      } else {
        known.incidentIds.push(id)
      }
    }
  }

  const relativeRecords: Relative[] = relatives.map((draft) => {
    const { since, lastContact } = relativeDates(rng, ctx, draft, receivedDay)
    return {
      id: draft.id,
      respondentId,
      relation: draft.relation,
      status: draft.status,
      since,
      lastContact,
      note: rng.chance(0.15) ? rng.pick(RELATIVE_NOTES) : null,
      codebook: tables.ref,
    }
  })

  const identifierList = [...identifiers.values()]
  const plan: StoryPlan = {
    length: rng.weighted(mode === 'online' ? LENGTH_ONLINE : LENGTH_INTERVIEW),
    opener: rng.next(),
    closer: rng.next(),
    // Told in the order it happened, whatever the order of coding.
    incidents: stories.sort((a, b) => a.day - b.day).map(({ story }) => story),
    relatives: relatives.map(({ kin, status }) => ({ kin, status })),
    impacts,
    mentions: identifierList.filter(() => rng.chance(0.3)).map(({ kind, value }) => ({ kind, value })),
  }
  const language = rng.weighted(narrativeLanguagesFor(country, ethnicity))
  const silent = mode === 'online' && rng.chance(0.03)
  const translated = language !== 'en' && rng.chance(mode === 'interview' ? 0.8 : 0.2)

  const testimony: Testimony = {
    id: testimonyId,
    respondentId,
    source,
    receivedOn,
    answers: {},
    narratives: silent ? [] : [{ language, text: tellStory(plan, PHRASEBOOKS[language]) }],
    translation: !silent && translated ? { language: 'en', text: tellStory(plan, PHRASEBOOKS.en) } : null,
    attachments: [],
  }

  return {
    kind: 'testimony.imported',
    respondent,
    testimony,
    incidents,
    relatives: relativeRecords,
    identifiers: identifierList,
  }
}

/** When a relative's status began and when the respondent last heard from them, as precise as plausible. */
function relativeDates(
  rng: Prng,
  ctx: StudyContext,
  relative: RelativeDraft,
  receivedDay: number,
): { since: PartialDate; lastContact: PartialDate } {
  const { days } = ctx
  const { status } = relative
  if (HELD.has(status) || status === 'released' || status === 'deceased') {
    const sinceDay = relative.detainedDay ?? skewedDay(rng, ctx.detentionWindowStart, receivedDay)
    const lastDay = status === 'released' ? receivedDay - rng.int(0, 60) : sinceDay - rng.int(0, 90)
    return {
      since: days.partial(sinceDay, rng.weighted(HELD_SINCE_PRECISION)),
      lastContact: days.partial(lastDay, rng.weighted(LAST_CONTACT_PRECISION)),
    }
  }
  if (status === 'in_contact') {
    return {
      since: { precision: 'unknown' },
      lastContact: days.partial(receivedDay - rng.int(0, 45), rng.weighted(LAST_CONTACT_PRECISION)),
    }
  }
  return {
    since: { precision: 'unknown' },
    lastContact: rng.chance(0.6)
      ? days.partial(skewedDay(rng, ctx.incidentWindowStart, receivedDay), 'year')
      : { precision: 'unknown' },
  }
}
