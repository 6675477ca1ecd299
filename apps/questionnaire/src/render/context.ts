import { textIn, type MultilingualText, type ScalarAnswer } from '@amanat/domain'
import type { MessageKey } from '../i18n/messages.ts'
import type { FileRefusal, PickedFile } from '../attachments.ts'
import type { HeldFile } from '../state.ts'

/** A chrome message in the page's current language. */
export type Translate = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string

/** What a file control may do with the page's held files. */
export interface FileHandler {
  /** The held file with this upload id, if any. */
  get(upload: string): HeldFile | undefined
  /** Reads, checks and cleans a picked file; adds it to the answer on success. */
  add(picked: PickedFile): Promise<HeldFile | FileRefusal>
  /** Drops a held file and removes it from the answer. */
  remove(upload: string): void
}

/**
 * What every question renderer is given: where its answer lives and how to change it, the
 * languages, and the message to show under it, if any. Renderers keep no state of their own, so a
 * page can be rebuilt (after a language switch) from the memory alone.
 */
export interface FieldContext {
  /** The content language the respondent chose. */
  readonly language: string
  /** The questionnaire's default language (texts fall back to it). */
  readonly fallback: string
  /** A DOM id unique on the page, for this question (and instance). */
  readonly domId: string
  readonly value: ScalarAnswer | undefined
  /** Stores a new answer (undefined: no answer). Does not re-render. */
  readonly set: (value: ScalarAnswer | undefined) => void
  /** What the respondent typed where it is not yet an answer (a half-written number or date). */
  readonly draft: string | undefined
  readonly setDraft: (text: string | undefined) => void
  /** The message to show under the question, or null. */
  readonly error: string | null
  readonly t: Translate
  readonly files: FileHandler
  /** Asks the page to rebuild this question (after a file was added or removed). */
  readonly refresh: () => void
}

/** A questionnaire text in the chosen language. */
export function text(ctx: Pick<FieldContext, 'language' | 'fallback'>, value: MultilingualText | undefined): string {
  return value === undefined ? '' : textIn(value, ctx.language, ctx.fallback)
}

/**
 * Digits as the respondent may type them (Arabic-Indic, Extended Arabic-Indic as on Uyghur and
 * Persian keyboards, full-width from a Chinese input method) turned into ASCII digits.
 */
export function asciiDigits(input: string): string {
  return input.replace(/[\u0660-\u0669\u06f0-\u06f9\uff10-\uff19]/g, (c) => {
    const code = c.charCodeAt(0)
    const zero = code >= 0xff10 ? 0xff10 : code >= 0x06f0 ? 0x06f0 : 0x0660
    return String(code - zero)
  }).replace(/[\u066b\uff0e]/g, '.').replace(/\uff0d/g, '-')
}
