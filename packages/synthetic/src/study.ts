import { AmanatError, type Codebook } from '@amanat/domain'
import { dayNumberOf } from './calendar.ts'
import { createStudyContext, type TestimonyImportedBody } from './study-context.ts'
import { generateRecord } from './synthetic-record.ts'

/** What to generate. Only `seed` and `codebook` are required. */
export interface GenerateStudyOptions {
  /** Any string; the same seed always gives the same study. */
  readonly seed: string
  /** How many respondents. Default 400, the size of the seed study. */
  readonly respondents?: number
  /**
   * Respondents are numbered from here (zero-based; default 0), so that workers can each
   * generate a slice of one study: `{ offset: 500, respondents: 500 }` gives R-000501…R-001000,
   * exactly as a single run of 1,000 would.
   */
  readonly offset?: number
  /** The codebook whose codes the incidents, relatives and respondents use (non-deprecated only). */
  readonly codebook: Codebook
  /** The first day testimonies are received, `YYYY-MM-DD`. Default 2018-09-01; they span 13 months. */
  readonly firstDay?: string
  /** The questionnaire online testimonies name as their source. Default `synthetic` version `1.0.0`. */
  readonly questionnaire?: { readonly id: string; readonly version: string }
}

export const DEFAULT_RESPONDENTS = 400
export const DEFAULT_FIRST_DAY = '2018-09-01'

function countOption(value: number | undefined, fallback: number, name: string): number {
  const count = value ?? fallback
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new AmanatError(
      'usage',
      `synthetic.${name}_invalid`,
      `The number of ${name} must be a whole number, 0 or more.`,
    )
  }
  return count
}

/**
 * A synthetic study shaped like the seed study (22 countries on five continents, about two
 * thirds anonymous or pseudonymous, about three incidents per respondent, narratives mostly in
 * Uyghur), as a stream of `testimony.imported` bodies, one per respondent, in key order.
 *
 * Deterministic: the same options give the same records, byte for byte, on every platform.
 * Prefix-stable: respondent n is the same in every study with the same seed, whatever its size.
 * Streaming: memory does not grow with `respondents`. Every record parses with the domain
 * schemas and uses only non-deprecated codes of `codebook`. Nothing in it is about a real person.
 *
 * Throws (when called, not when iterated) a `usage` {@link AmanatError} for an empty seed, a bad
 * count or offset (`synthetic.respondents_invalid`, `synthetic.offset_invalid`) or a first day that
 * is not a calendar day (`synthetic.first_day_invalid`), and an `input` one when a codebook
 * section has no code in use (`synthetic.codebook_section_empty`).
 */
export function generateStudy(
  options: GenerateStudyOptions,
): Generator<TestimonyImportedBody, void, undefined> {
  if (options.seed === '') {
    throw new AmanatError(
      'usage',
      'synthetic.seed_empty',
      'A synthetic study needs a seed: any non-empty text.',
    )
  }
  const respondents = countOption(options.respondents, DEFAULT_RESPONDENTS, 'respondents')
  const offset = countOption(options.offset, 0, 'offset')
  const firstDay = dayNumberOf(options.firstDay ?? DEFAULT_FIRST_DAY)
  if (firstDay === null) {
    throw new AmanatError(
      'usage',
      'synthetic.first_day_invalid',
      'The first day must be a calendar day written YYYY-MM-DD.',
    )
  }
  const context = createStudyContext({
    seed: options.seed,
    codebook: options.codebook,
    firstDay,
    questionnaire: options.questionnaire ?? { id: 'synthetic', version: '1.0.0' },
  })
  return (function* records() {
    for (let index = offset; index < offset + respondents; index++) yield generateRecord(context, index)
  })()
}
