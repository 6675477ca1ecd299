import type { Question } from '@amanat/domain'
import { h, on } from '../dom.ts'
import type { FieldContext } from './context.ts'
import { controlAttributes, labelledQuestion } from './shell.ts'

type LongText = Extract<Question, { kind: 'long_text' }>

/** A free-text account, possibly long (up to the question's `maxLength`). */
export function renderLongText(question: LongText, ctx: FieldContext): HTMLElement {
  const area = h('textarea', {
    ...controlAttributes(ctx, question),
    dir: 'auto',
    rows: 8,
    maxlength: question.maxLength,
  })
  area.value = typeof ctx.value === 'string' ? ctx.value : ''
  on(area, 'input', () => ctx.set(area.value === '' ? undefined : area.value))
  return labelledQuestion(ctx, question, area)
}
