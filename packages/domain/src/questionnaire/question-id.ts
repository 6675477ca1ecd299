import { z } from 'zod'

/**
 * A question's id: lowercase snake_case, unique across the whole questionnaire (group items
 * included). Answers are keyed by it, and it is kept verbatim in every testimony, so renaming a
 * question is a new questionnaire version.
 */
export const QuestionId = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,47}$/, {
    error: 'expected a question id in lowercase snake_case (such as home_country)',
  })
  .brand<'QuestionId'>()

/**
 * The same rule without the brand, for the keys of answer records: the page fills those from the
 * questionnaire it rendered, and a record keyed by a brand cannot be indexed by a plain string.
 */
export const QuestionKey = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/, {
  error: 'expected a question id in lowercase snake_case (such as home_country)',
})
export type QuestionId = z.infer<typeof QuestionId>
