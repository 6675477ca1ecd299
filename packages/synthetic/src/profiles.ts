/**
 * The shape of the synthetic study, as weights keyed by the default codebook's codes. The seed
 * report gives the kinds of harassment and how they reach people (WeChat above all, calls from
 * consulates, relatives made to call, photographs at protests, state media); the numbers are
 * invented to give that shape. Codes missing from the codebook in use are dropped when the
 * tables are resolved (see codebook-tables.ts); codes these tables do not know are not used.
 */

/** Relative weights: a code and how often it is drawn compared with its neighbours. */
export type Weights = Readonly<Record<string, number>>

/** How often each kind of harassment is coded, before the activist adjustment. */
export const HARASSMENT_TYPE_WEIGHTS: Weights = {
  threat_to_relatives: 14,
  lost_contact_with_family: 13,
  relative_detained: 12,
  personal_data_request: 11,
  pressure_to_return: 9,
  communication_monitoring: 8,
  informant_recruitment: 7,
  pretext_contact: 6,
  surveillance: 5,
  document_denial: 5,
  lure_to_diplomatic_mission: 3,
  inducement_offer: 3,
  deportation_threat: 2,
  public_intimidation: 2,
  death_threat: 2,
  retaliation_for_activism: 2,
  smear_campaign: 1,
  deportation: 1,
}

/** Kinds of harassment aimed at people who speak out: activists meet them this many times as often. */
export const ACTIVIST_FACTOR = 4
export const ACTIVIST_TYPES: ReadonlySet<string> = new Set([
  'surveillance',
  'public_intimidation',
  'death_threat',
  'retaliation_for_activism',
  'smear_campaign',
])

/** Which channels and perpetrators make sense for one kind of harassment, and whom it targets. */
export interface TypeProfile {
  /** Share of incidents of this type aimed at a relative rather than the respondent. */
  readonly relativeShare: number
  readonly channels: Weights
  readonly perpetrators: Weights
  /** Share whose origin is the residence country (a consulate, a protest) rather than home. */
  readonly originAbroadShare: number
}

const UNIDENTIFIED = 'unidentified_believed_state_linked'

export const TYPE_PROFILES: Readonly<Record<string, TypeProfile>> = {
  threat_to_relatives: {
    relativeShare: 0.95,
    channels: {
      wechat: 40,
      via_relative: 25,
      phone_call: 15,
      whatsapp: 8,
      recorded_phone_message: 2,
      in_person: 2,
    },
    perpetrators: { home_police: 50, state_security: 30, intermediary: 15, [UNIDENTIFIED]: 5 },
    originAbroadShare: 0.02,
  },
  relative_detained: {
    relativeShare: 1,
    channels: { via_relative: 50, wechat: 20, social_media: 10, phone_call: 10 },
    perpetrators: { home_police: 60, state_security: 30, [UNIDENTIFIED]: 10 },
    originAbroadShare: 0,
  },
  lost_contact_with_family: {
    relativeShare: 1,
    channels: { wechat: 55, via_relative: 20, phone_call: 15, whatsapp: 5 },
    perpetrators: { [UNIDENTIFIED]: 40, home_police: 35, state_security: 10 },
    originAbroadShare: 0,
  },
  personal_data_request: {
    relativeShare: 0,
    channels: {
      wechat: 45,
      phone_call: 25,
      recorded_phone_message: 10,
      whatsapp: 8,
      via_relative: 8,
      email: 4,
    },
    perpetrators: {
      home_police: 40,
      embassy_consulate: 25,
      state_security: 20,
      intermediary: 10,
      [UNIDENTIFIED]: 5,
    },
    originAbroadShare: 0.1,
  },
  pressure_to_return: {
    relativeShare: 0.1,
    channels: { via_relative: 35, wechat: 30, phone_call: 20, whatsapp: 5, in_person: 5 },
    perpetrators: { home_police: 45, intermediary: 30, state_security: 15, embassy_consulate: 10 },
    originAbroadShare: 0.05,
  },
  communication_monitoring: {
    relativeShare: 0.3,
    channels: { wechat: 70, whatsapp: 10, other_messaging_app: 10, phone_call: 10 },
    perpetrators: { state_security: 50, home_police: 30, [UNIDENTIFIED]: 20 },
    originAbroadShare: 0,
  },
  informant_recruitment: {
    relativeShare: 0,
    channels: { wechat: 40, phone_call: 20, in_person: 15, via_relative: 15, whatsapp: 10 },
    perpetrators: { state_security: 50, home_police: 25, intermediary: 20, [UNIDENTIFIED]: 5 },
    originAbroadShare: 0.1,
  },
  inducement_offer: {
    relativeShare: 0,
    channels: { wechat: 40, whatsapp: 25, phone_call: 20, in_person: 15 },
    perpetrators: { state_security: 55, home_police: 25, intermediary: 20 },
    originAbroadShare: 0.05,
  },
  pretext_contact: {
    relativeShare: 0,
    channels: { recorded_phone_message: 40, phone_call: 35, post_or_courier: 20, email: 5 },
    perpetrators: { embassy_consulate: 55, [UNIDENTIFIED]: 45 },
    originAbroadShare: 0.9,
  },
  lure_to_diplomatic_mission: {
    relativeShare: 0,
    channels: { phone_call: 45, recorded_phone_message: 30, post_or_courier: 15, email: 10 },
    perpetrators: { embassy_consulate: 90, [UNIDENTIFIED]: 10 },
    originAbroadShare: 1,
  },
  document_denial: {
    relativeShare: 0,
    channels: { in_person: 60, phone_call: 20, email: 10, post_or_courier: 10 },
    perpetrators: { embassy_consulate: 95, home_police: 5 },
    originAbroadShare: 0.95,
  },
  surveillance: {
    relativeShare: 0,
    channels: { in_person: 70, social_media: 20, other_messaging_app: 10 },
    perpetrators: { [UNIDENTIFIED]: 80, state_security: 20 },
    originAbroadShare: 0.9,
  },
  public_intimidation: {
    relativeShare: 0,
    channels: { in_person: 80, social_media: 20 },
    perpetrators: { [UNIDENTIFIED]: 85, intermediary: 15 },
    originAbroadShare: 1,
  },
  death_threat: {
    relativeShare: 0,
    channels: { phone_call: 40, social_media: 25, in_person: 20, other_messaging_app: 15 },
    perpetrators: { [UNIDENTIFIED]: 85, state_security: 15 },
    originAbroadShare: 0.5,
  },
  retaliation_for_activism: {
    relativeShare: 0.6,
    channels: { via_relative: 40, wechat: 25, social_media: 20, state_media: 15 },
    perpetrators: { home_police: 50, state_security: 30, state_media: 20 },
    originAbroadShare: 0,
  },
  smear_campaign: {
    relativeShare: 0,
    channels: { state_media: 70, social_media: 30 },
    perpetrators: { state_media: 90, [UNIDENTIFIED]: 10 },
    originAbroadShare: 0,
  },
  deportation: {
    // The respondent is abroad and answering, so it is a relative (or friend) who was sent back.
    relativeShare: 1,
    channels: { via_relative: 60, social_media: 20, phone_call: 20 },
    perpetrators: { host_state_authority: 80, embassy_consulate: 20 },
    originAbroadShare: 1,
  },
  deportation_threat: {
    relativeShare: 0,
    channels: { in_person: 40, phone_call: 30, via_relative: 15, wechat: 15 },
    perpetrators: { host_state_authority: 70, embassy_consulate: 30 },
    originAbroadShare: 0.85,
  },
}

/** For a type the profiles do not know (a code the organisation added): plausible defaults. */
export const FALLBACK_PROFILE: TypeProfile = {
  relativeShare: 0.3,
  channels: { wechat: 40, phone_call: 25, via_relative: 20, in_person: 15 },
  perpetrators: { home_police: 40, state_security: 30, [UNIDENTIFIED]: 30 },
  originAbroadShare: 0.1,
}

/** Ethnicity, mostly Uyghur; Central Asian hubs hold more of their own titular groups. */
export const ETHNICITY_WEIGHTS: Weights = {
  uyghur: 82,
  kazakh: 8,
  uzbek: 3,
  kyrgyz: 3,
  tatar: 1,
  hui: 1,
  tajik: 1,
  other: 1,
}
export const ETHNICITY_WEIGHTS_BY_COUNTRY: Readonly<Record<string, Weights>> = {
  KZ: { ...ETHNICITY_WEIGHTS, uyghur: 60, kazakh: 35 },
  KG: { ...ETHNICITY_WEIGHTS, uyghur: 65, kyrgyz: 25, kazakh: 6 },
  UZ: { ...ETHNICITY_WEIGHTS, uyghur: 65, uzbek: 25 },
}

export const RESIDENCE_STATUS_WEIGHTS: Weights = {
  citizen: 25,
  permanent_resident: 18,
  temporary_resident: 14,
  refugee: 14,
  asylum_seeker: 12,
  student: 12,
  undocumented: 3,
  other: 2,
}

export const RELATION_WEIGHTS: Weights = {
  sibling: 32,
  parent: 30,
  extended_family: 12,
  spouse: 8,
  child: 7,
  grandparent: 6,
  other: 5,
}

export const RELATIVE_STATUS_WEIGHTS: Weights = {
  detained: 28,
  unknown: 20,
  disappeared: 14,
  in_contact: 14,
  imprisoned: 10,
  released: 8,
  deceased: 6,
}

/**
 * What an incident says about the relative it names: after a `relative_detained` incident the
 * relative is held; after `lost_contact_with_family` they are not "in contact". A relative whose
 * drawn status contradicts an incident gets one of these instead. Every held status is also a
 * lost-contact status, so a relative named by both kinds of incident keeps a status fitting both.
 */
export const STATUSES_IMPLIED_BY_TYPE: Readonly<Record<string, Weights>> = {
  relative_detained: { detained: 55, imprisoned: 25, disappeared: 20 },
  lost_contact_with_family: { unknown: 40, disappeared: 30, detained: 20, imprisoned: 10 },
}

export const IMPACT_WEIGHTS: Weights = {
  fear: 30,
  self_censorship: 18,
  mistrust_in_community: 14,
  depression: 12,
  lost_contact: 10,
  stopped_using_app: 8,
  relocation: 4,
  sought_police_protection: 4,
}

/** How many incidents a respondent reports: 0–8, mean 3.13. */
export const INCIDENT_COUNT_WEIGHTS: readonly (readonly [number, number])[] = [
  [0, 8],
  [1, 14],
  [2, 19],
  [3, 20],
  [4, 15],
  [5, 11],
  [6, 7],
  [7, 4],
  [8, 2],
]

/** How many relatives a respondent tells us about: 0–3. */
export const RELATIVE_COUNT_WEIGHTS: readonly (readonly [number, number])[] = [
  [0, 22],
  [1, 35],
  [2, 28],
  [3, 15],
]
