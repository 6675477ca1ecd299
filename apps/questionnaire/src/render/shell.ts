import { h, type Child } from '../dom.ts'
import type { Question } from '@amanat/domain'
import { text, type FieldContext } from './context.ts'

/**
 * The frame around a question: label (or legend), "(optional)", help text, the control and its
 * error message, wired together with ids so screen readers read them in order.
 */

export const helpId = (ctx: FieldContext) => `${ctx.domId}-help`
export const errorId = (ctx: FieldContext) => `${ctx.domId}-error`

/** The `aria-describedby` value for a control: its help and error texts, when present. */
export function describedBy(ctx: FieldContext, question: Pick<Question, 'help'>): string | undefined {
  const ids = [question.help === undefined ? null : helpId(ctx), ctx.error === null ? null : errorId(ctx)]
  const joined = ids.filter((id) => id !== null).join(' ')
  return joined === '' ? undefined : joined
}

function labelContent(ctx: FieldContext, question: Pick<Question, 'label' | 'required'>): Child[] {
  return [text(ctx, question.label), question.required ? null : h('span', { class: 'optional' }, ` ${ctx.t('optional')}`)]
}

function helpAndError(ctx: FieldContext, question: Pick<Question, 'help'>): [Child, Child] {
  const help = question.help === undefined ? null : h('p', { class: 'help', id: helpId(ctx) }, text(ctx, question.help))
  const error = ctx.error === null ? null : h('p', { class: 'error-text', id: errorId(ctx) }, ctx.error)
  return [help, error]
}

/** A question with one control, labelled by a <label for>. */
export function labelledQuestion(ctx: FieldContext, question: Question, control: HTMLElement, extra: Child = null): HTMLElement {
  const [help, error] = helpAndError(ctx, question)
  return h(
    'div',
    { class: 'question', 'data-field': ctx.domId },
    h('label', { for: `${ctx.domId}-input` }, ...labelContent(ctx, question)),
    help,
    error,
    control,
    extra,
  )
}

/** A question with several controls (radios, checkboxes, date parts), grouped by a fieldset. */
export function fieldsetQuestion(ctx: FieldContext, question: Question, ...controls: Child[]): HTMLElement {
  const [help, error] = helpAndError(ctx, question)
  return h(
    'fieldset',
    { class: 'question', 'data-field': ctx.domId, 'aria-describedby': describedBy(ctx, question) },
    h('legend', {}, ...labelContent(ctx, question)),
    help,
    error,
    ...controls,
  )
}

/** Common attributes of a question's main control. */
export function controlAttributes(ctx: FieldContext, question: Question): Record<string, string | boolean | undefined> {
  return {
    id: `${ctx.domId}-input`,
    'aria-describedby': describedBy(ctx, question),
    'aria-invalid': ctx.error === null ? undefined : 'true',
    'aria-required': question.required ? 'true' : undefined,
  }
}
