/**
 * Closed vocabularies that belong to the data model itself (not to the organisation's codebook,
 * which may grow). Each is an `as const` array with its union type, so schemas, exhaustive
 * switches and UI lists all come from one place.
 */

/** How a testimony reached us. */
export const COLLECTION_MODES = ['online', 'interview'] as const
export type CollectionMode = (typeof COLLECTION_MODES)[number]

/** What the respondent wants published about who they are. */
export const DISCLOSURE_WISHES = ['named', 'pseudonym', 'anonymous'] as const
export type DisclosureWish = (typeof DISCLOSURE_WISHES)[number]

/**
 * The uses a respondent can consent to, each on its own. "Aggregate only" is `['aggregate']`.
 * Withdrawal is not a use: it is a state that overrides every use (see `Consent`).
 */
export const CONSENT_USES = ['aggregate', 'anonymised_story', 'quote', 'share_with_lawyer'] as const
export type ConsentUse = (typeof CONSENT_USES)[number]

/** How consent was given: ticked in the questionnaire, said aloud in an interview, or signed. */
export const CONSENT_FORMS = ['online', 'oral', 'written'] as const
export type ConsentForm = (typeof CONSENT_FORMS)[number]

/** Who an incident was aimed at. */
export const TARGETS = ['self', 'relative'] as const
export type Target = (typeof TARGETS)[number]

/** How sure the coder is that the incident happened as coded. */
export const CONFIDENCE_LEVELS = ['low', 'medium', 'high'] as const
export type Confidence = (typeof CONFIDENCE_LEVELS)[number]

/** Kinds of perpetrator or channel identifier (DESIGN.md, "Identifier"). */
export const IDENTIFIER_KINDS = [
  'phone',
  'wechat',
  'whatsapp',
  'email',
  'office',
  'officer_name',
  'social_media_account',
  'other',
] as const
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number]

/** Languages the project ships labels for; codebooks and questionnaires may add more. */
export const CORE_LANGUAGES = ['en', 'ug', 'zh', 'tr'] as const
export type CoreLanguage = (typeof CORE_LANGUAGES)[number]
