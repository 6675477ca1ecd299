import { z } from 'zod'
import { QuestionId } from './question-id.ts'

/** The operators of a `showIf` condition. */
export const CONDITION_OPS = ['equals', 'includes', 'answered', 'all', 'any', 'not'] as const
export type ConditionOp = (typeof CONDITION_OPS)[number]

/**
 * When a question is shown. Conditions look only at questions asked earlier: at top-level
 * questions, and, for an item inside a repeatable group, also at earlier items of the same
 * instance of that group (the second relative's "since when" depends on the second relative's
 * status, not the first's).
 *
 * - `equals`: the answer is `value` (a single choice's option value, a yes/no's boolean, a
 *   number, a country code or a text).
 * - `includes`: a multiple choice's answer contains `value`.
 * - `answered`: the question has an answer (see `isAnswered`).
 * - `all`, `any`, `not`: combinations, nested at most {@link MAX_CONDITION_DEPTH} deep.
 */
export type Condition =
  | { readonly op: 'equals'; readonly question: QuestionId; readonly value: string | number | boolean }
  | { readonly op: 'includes'; readonly question: QuestionId; readonly value: string }
  | { readonly op: 'answered'; readonly question: QuestionId }
  | { readonly op: 'all'; readonly conditions: readonly Condition[] }
  | { readonly op: 'any'; readonly conditions: readonly Condition[] }
  | { readonly op: 'not'; readonly condition: Condition }

/** Conditions deeper than this are refused: they are unreadable and nobody needs them. */
export const MAX_CONDITION_DEPTH = 6

export const Condition: z.ZodType<Condition> = z.lazy(() =>
  z.discriminatedUnion('op', [
    z
      .object({
        op: z.literal('equals'),
        question: QuestionId,
        value: z.union([z.string().max(500), z.number().refine(Number.isFinite), z.boolean()]),
      })
      .strict(),
    z.object({ op: z.literal('includes'), question: QuestionId, value: z.string().max(500) }).strict(),
    z.object({ op: z.literal('answered'), question: QuestionId }).strict(),
    z.object({ op: z.literal('all'), conditions: z.array(Condition).min(1).max(20) }).strict(),
    z.object({ op: z.literal('any'), conditions: z.array(Condition).min(1).max(20) }).strict(),
    z.object({ op: z.literal('not'), condition: Condition }).strict(),
  ]),
)
