import type { Question } from '@amanat/domain'
import { h, on } from '../dom.ts'
import type { FieldContext } from './context.ts'
import { fieldsetQuestion } from './shell.ts'

type YesNo = Extract<Question, { kind: 'yes_no' }>

/** Yes or no, as two radio buttons (the answer is a boolean). */
export function renderYesNo(question: YesNo, ctx: FieldContext): HTMLElement {
  const choices = [
    { value: true, label: ctx.t('yes'), suffix: 'yes' },
    { value: false, label: ctx.t('no'), suffix: 'no' },
  ].map(({ value, label, suffix }) => {
    const input = h('input', {
      type: 'radio',
      name: ctx.domId,
      id: `${ctx.domId}-${suffix}`,
      checked: ctx.value === value,
      'aria-invalid': ctx.error === null ? undefined : 'true',
    })
    on(input, 'change', () => {
      if (input.checked) ctx.set(value)
    })
    return h('label', { class: 'choice', for: input.id }, input, h('span', {}, label))
  })
  return fieldsetQuestion(ctx, question, ...choices)
}
