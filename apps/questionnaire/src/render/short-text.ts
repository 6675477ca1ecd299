import type { Question } from '@amanat/domain'
import { h, on } from '../dom.ts'
import type { FieldContext } from './context.ts'
import { controlAttributes, labelledQuestion } from './shell.ts'

type ShortText = Extract<Question, { kind: 'short_text' }>

/** A one-line text answer. `dir="auto"` so Uyghur typed into an English page still runs right to left. */
export function renderShortText(question: ShortText, ctx: FieldContext): HTMLElement {
  const input = h('input', {
    ...controlAttributes(ctx, question),
    type: 'text',
    dir: 'auto',
    maxlength: question.maxLength,
  })
  input.value = typeof ctx.value === 'string' ? ctx.value : ''
  on(input, 'input', () => ctx.set(input.value === '' ? undefined : input.value))
  return labelledQuestion(ctx, question, input)
}
