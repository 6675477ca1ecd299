import type { Question } from '@amanat/domain'
import { h, on } from '../dom.ts'
import { asciiDigits, type FieldContext } from './context.ts'
import { controlAttributes, labelledQuestion } from './shell.ts'

type NumberQuestion = Extract<Question, { kind: 'number' }>

/** The number typed, or null when the text is not one (digits of any script are accepted). */
export function parseNumber(input: string): number | null {
  const compact = asciiDigits(input).trim().replace(',', '.')
  if (!/^-?\d+(\.\d+)?$/.test(compact)) return null
  const value = Number(compact)
  return Number.isFinite(value) ? value : null
}

/**
 * A number, typed as text (`inputmode="decimal"` brings up the digit keyboard) because
 * `type="number"` silently drops what it cannot parse. What does not parse stays as a draft and
 * is reported when the respondent moves on.
 */
export function renderNumber(question: NumberQuestion, ctx: FieldContext): HTMLElement {
  const input = h('input', {
    ...controlAttributes(ctx, question),
    type: 'text',
    inputmode: question.integer ? 'numeric' : 'decimal',
    dir: 'ltr',
  })
  input.value = ctx.draft ?? (typeof ctx.value === 'number' ? String(ctx.value) : '')
  on(input, 'input', () => {
    const typed = input.value
    const value = parseNumber(typed)
    ctx.set(value ?? undefined)
    ctx.setDraft(typed.trim() === '' || value !== null ? undefined : typed)
  })
  return labelledQuestion(ctx, question, input)
}
