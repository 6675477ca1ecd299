import type { IdentifierKind } from '@amanat/domain'
import type { KinKey, Phrasebook } from './phrasebook.ts'

/** One incident as the narrative tells it. `variant` ∈ [0, 1) chooses among the sentences. */
export interface IncidentStory {
  readonly type: string
  readonly channel: string | null
  readonly perpetrator: string | null
  readonly target: 'self' | 'relative'
  readonly kin: KinKey | null
  /** Told only when the coded date has at least a year. */
  readonly year: number | null
  readonly variant: number
}

/** How long a narrative runs: one sentence, one paragraph, or several paragraphs. */
export type StoryLength = 'sentence' | 'paragraph' | 'long'

/**
 * Everything random about a narrative, drawn once, so that the same story can be told in the
 * respondent's language and again in an analyst's English translation.
 */
export interface StoryPlan {
  readonly length: StoryLength
  /** ∈ [0, 1): which opener and closer. */
  readonly opener: number
  readonly closer: number
  readonly incidents: readonly IncidentStory[]
  readonly relatives: readonly { readonly kin: KinKey; readonly status: string }[]
  readonly impacts: readonly string[]
  readonly mentions: readonly { readonly kind: IdentifierKind; readonly value: string }[]
}

function choose<T>(items: readonly T[], u: number): T | undefined {
  return items[Math.floor(u * items.length)]
}

function chooseOne<T>(items: readonly [T, ...T[]], u: number): T {
  return items[Math.floor(u * items.length)] ?? items[0]
}

/**
 * Collapses the gaps an empty slot leaves ("told me  that", " ، ") and trims. Only sentences
 * with an empty slot need it; the fixed sentences are written clean.
 */
function tidy(text: string): string {
  return text
    .replace(/\s+/g, ' ')
    .replace(/ ([,.;:،؛])/g, '$1')
    .trim()
}

function incidentSentence(book: Phrasebook, incident: IncidentStory): string {
  const sentences = book.incidents[incident.type]
  const list =
    incident.target === 'relative' && sentences?.relative !== undefined
      ? sentences.relative
      : (sentences?.self ?? book.anyIncident)
  const template = chooseOne(list, incident.variant)
  const who =
    incident.perpetrator === null ? book.someone : (book.perpetrators[incident.perpetrator] ?? book.someone)
  const via = incident.channel === null ? '' : (book.channels[incident.channel] ?? '')
  const kin = incident.kin === null ? book.kin.relative : book.kin[incident.kin]
  const filled = template({ who, via, kin })
  const sentence = via === '' ? tidy(filled) : filled
  return book.capitalise(incident.year === null ? sentence : book.inYear(incident.year, sentence))
}

/**
 * Tells `plan` in the phrasebook's language: one sentence, a paragraph, or up to four paragraphs
 * separated by blank lines. Pure: the same plan and phrasebook always give the same text.
 */
export function tellStory(plan: StoryPlan, book: Phrasebook): string {
  const say = (sentence: string) => book.capitalise(sentence)
  const told = plan.incidents.map((incident) => incidentSentence(book, incident))
  const happened = told.length > 0 ? told : book.noIncident.map(say)

  if (plan.length === 'sentence') return happened[0] ?? ''

  const opener = choose(book.openers, plan.opener)
  const closer = choose(book.closers, plan.closer)
  const impacts = plan.impacts.flatMap((impact) => {
    const sentence = book.impacts[impact]
    return sentence === undefined ? [] : [say(sentence)]
  })

  if (plan.length === 'paragraph') {
    const sentences = [...(opener === undefined ? [] : [say(opener)]), ...happened, ...impacts.slice(0, 1)]
    return sentences.join(book.sentenceGap)
  }

  const mentions = plan.mentions.flatMap(({ kind, value }) => {
    const mention = book.mentions[kind]
    return mention === undefined ? [] : [say(mention(value))]
  })
  const fates = plan.relatives.flatMap(({ kin, status }) => {
    const fate = book.relativeStatus[status]
    return fate === undefined ? [] : [say(fate(book.kin[kin]))]
  })
  const half = Math.ceil(happened.length / 2)
  const paragraphs = [
    [...(opener === undefined ? [] : [say(opener)]), ...happened.slice(0, half)],
    [...happened.slice(half), ...mentions],
    fates,
    [...impacts, ...(closer === undefined ? [] : [say(closer)])],
  ]
  return paragraphs
    .filter((sentences) => sentences.length > 0)
    .map((sentences) => sentences.join(book.sentenceGap))
    .join('\n\n')
}
