import type { Question } from '@amanat/domain'
import { h, on } from '../dom.ts'
import { text, type FieldContext } from './context.ts'
import { fieldsetQuestion } from './shell.ts'

type MultipleChoice = Extract<Question, { kind: 'multiple_choice' }>

/** Any number of options (within the question's min and max): checkboxes, answer in option order. */
export function renderMultipleChoice(question: MultipleChoice, ctx: FieldContext): HTMLElement {
  const chosen = new Set(Array.isArray(ctx.value) ? ctx.value.filter((v): v is string => typeof v === 'string') : [])
  const boxes = question.options.map((option, k) => {
    const input = h('input', {
      type: 'checkbox',
      id: `${ctx.domId}-${k}`,
      value: option.value,
      checked: chosen.has(option.value),
      'aria-invalid': ctx.error === null ? undefined : 'true',
    })
    on(input, 'change', () => {
      if (input.checked) chosen.add(option.value)
      else chosen.delete(option.value)
      const ordered = question.options.map((o) => o.value).filter((v) => chosen.has(v))
      ctx.set(ordered.length === 0 ? undefined : ordered)
    })
    return h('label', { class: 'choice', for: input.id }, input, h('span', {}, text(ctx, option.label)))
  })
  return fieldsetQuestion(ctx, question, ...boxes)
}
