import type { IdentifierKind } from '@amanat/domain'

/** The languages synthetic testimonies are written in: Uyghur (Arabic script), Chinese, English, Turkish. */
export const NARRATIVE_LANGUAGES = ['ug', 'zh', 'en', 'tr'] as const
export type NarrativeLanguage = (typeof NARRATIVE_LANGUAGES)[number]

/** Ways of naming a relative, finer than the codebook's `relations` (Uyghur and Turkish mark age). */
export const KIN_KEYS = [
  'older_brother',
  'younger_brother',
  'older_sister',
  'younger_sister',
  'mother',
  'father',
  'son',
  'daughter',
  'wife',
  'husband',
  'grandmother',
  'grandfather',
  'uncle',
  'aunt',
  'cousin',
  'relative',
] as const
export type KinKey = (typeof KIN_KEYS)[number]

/** The kin words a relation code may be told with; a relation we do not know is "a relative". */
export const KIN_BY_RELATION: Readonly<Record<string, readonly KinKey[]>> = {
  parent: ['mother', 'father'],
  sibling: ['older_brother', 'younger_brother', 'older_sister', 'younger_sister'],
  child: ['son', 'daughter'],
  spouse: ['wife', 'husband'],
  grandparent: ['grandmother', 'grandfather'],
  extended_family: ['uncle', 'aunt', 'cousin'],
  other: ['relative'],
}

/**
 * "My mother" in the three cases the sentences need. Uyghur's accusative (-نى) and genitive
 * (-نىڭ) do not change with vowel harmony, so they are written out; Turkish's do, so they are
 * given per word. Sentences are written so that no harmonising case (dative, locative) falls on
 * a kin word.
 */
export interface Kin {
  readonly nom: string
  readonly acc: string
  readonly gen: string
}

/** What a sentence about one incident is filled with. */
export interface Slots {
  /** Who did it ("a man who said he was from the police at home"), or the language's "someone". */
  readonly who: string
  /** How it reached the respondent ("on WeChat"), or an empty string. */
  readonly via: string
  /** The relative it was aimed at, or the language's "a relative of mine". */
  readonly kin: Kin
}

/** One sentence about an incident, in one language. */
export type Template = (slots: Slots) => string

/** One or more sentences to choose from. */
export type Sentences = readonly [Template, ...Template[]]

/** The sentences for one kind of harassment: aimed at the respondent, and aimed at a relative. */
export interface IncidentSentences {
  readonly self: Sentences
  readonly relative?: Sentences
}

/**
 * Everything needed to tell a synthetic testimony in one language. Every entry is written by
 * hand; nothing names a person: people are "my brother", "a man who said he was from the police".
 */
export interface Phrasebook {
  readonly language: NarrativeLanguage
  /** Between sentences: a space, or nothing in Chinese. */
  readonly sentenceGap: string
  readonly kin: Readonly<Record<KinKey, Kin>>
  /** Perpetrator phrases by perpetrator code. */
  readonly perpetrators: Readonly<Record<string, string>>
  readonly someone: string
  /** Channel phrases by channel code. */
  readonly channels: Readonly<Record<string, string>>
  /** Sentences by harassment type code. */
  readonly incidents: Readonly<Record<string, IncidentSentences>>
  /** For a harassment type this phrasebook has no sentences for. */
  readonly anyIncident: Sentences
  /** Puts the year in front of a sentence ("In 2018, …"). */
  inYear(year: number, sentence: string): string
  /** Capitalises the first letter of a finished sentence, where the script has case. */
  capitalise(sentence: string): string
  readonly openers: readonly string[]
  readonly noIncident: readonly string[]
  /** One sentence per impact code. */
  readonly impacts: Readonly<Record<string, string>>
  /** What became of a relative, by relative status code. */
  readonly relativeStatus: Readonly<Record<string, (kin: Kin) => string>>
  /** A sentence that repeats an identifier the respondent gave (a number, an account). */
  readonly mentions: Readonly<Partial<Record<IdentifierKind, (value: string) => string>>>
  readonly closers: readonly string[]
}

/** A kin word with no case endings (English, Chinese). */
export function plainKin(word: string): Kin {
  return { nom: word, acc: word, gen: word }
}
