import type { Question } from '@amanat/domain'
import { h, on } from '../dom.ts'
import { text, type FieldContext } from './context.ts'
import { controlAttributes, fieldsetQuestion, labelledQuestion } from './shell.ts'

type SingleChoice = Extract<Question, { kind: 'single_choice' }>

/** Up to this many options are shown as radio buttons; more go in a drop-down list. */
export const RADIO_LIMIT = 10

/** One option out of several: radio buttons, or a list when there are many. */
export function renderSingleChoice(question: SingleChoice, ctx: FieldContext): HTMLElement {
  if (question.options.length > RADIO_LIMIT) {
    const select = h(
      'select',
      controlAttributes(ctx, question),
      h('option', { value: '' }, ctx.t('choose')),
      ...question.options.map((o) => h('option', { value: o.value, selected: o.value === ctx.value }, text(ctx, o.label))),
    )
    on(select, 'change', () => ctx.set(select.value === '' ? undefined : select.value))
    return labelledQuestion(ctx, question, select)
  }
  const radios = question.options.map((option, k) => {
    const input = h('input', {
      type: 'radio',
      name: ctx.domId,
      id: `${ctx.domId}-${k}`,
      value: option.value,
      checked: option.value === ctx.value,
      'aria-invalid': ctx.error === null ? undefined : 'true',
    })
    on(input, 'change', () => {
      if (input.checked) ctx.set(option.value)
    })
    return h('label', { class: 'choice', for: input.id }, input, h('span', {}, text(ctx, option.label)))
  })
  return fieldsetQuestion(ctx, question, ...radios)
}
