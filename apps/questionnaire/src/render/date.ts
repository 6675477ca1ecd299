import { PartialDate, type DatePrecision, type Question } from '@amanat/domain'
import { h, on } from '../dom.ts'
import { asciiDigits, type FieldContext } from './context.ts'
import { errorId, fieldsetQuestion, helpId } from './shell.ts'

type DateQuestion = Extract<Question, { kind: 'date' }>

const EXAMPLES: Readonly<Record<Exclude<DatePrecision, 'unknown'>, string>> = {
  day: '2019-03-14',
  month: '2019-03',
  year: '2019',
}

/** The forms a question accepts, for the hint and the error message: `2019-03-14, 2019-03, 2019`. */
export function dateExamples(precisions: readonly DatePrecision[]): string {
  return precisions.flatMap((p) => (p === 'unknown' ? [] : [EXAMPLES[p]])).join(', ')
}

/**
 * The partial date typed (`2019`, `2019-03`, `2019-03-14`, digits of any script, `/` or `.`
 * between the parts), or null when it is not one. Its precision is how much was typed.
 */
export function parseTypedDate(input: string): PartialDate | null {
  const compact = asciiDigits(input).trim().replace(/[/.]/g, '-')
  const precision = /^\d{4}$/.test(compact) ? 'year' : /^\d{4}-\d{2}$/.test(compact) ? 'month' : 'day'
  const parsed = PartialDate.safeParse({ precision, value: compact })
  return parsed.success ? parsed.data : null
}

/**
 * A date with the precision the respondent knows: they type as much as they know (a year, a month
 * or a day) and may say they do not know it at all, when the question allows that. The precision
 * is never invented.
 */
export function renderDate(question: DateQuestion, ctx: FieldContext): HTMLElement {
  const value = ctx.value !== undefined ? PartialDate.safeParse(ctx.value) : null
  const current = value?.success === true ? value.data : null
  const examples = dateExamples(question.precisions)
  const hintId = `${ctx.domId}-format`
  const input = h('input', {
    type: 'text',
    id: `${ctx.domId}-input`,
    inputmode: 'numeric',
    dir: 'ltr',
    'aria-describedby': [hintId, question.help === undefined ? null : helpId(ctx), ctx.error === null ? null : errorId(ctx)]
      .filter((id) => id !== null)
      .join(' '),
    'aria-invalid': ctx.error === null ? undefined : 'true',
  })
  input.value = ctx.draft ?? (current !== null && current.precision !== 'unknown' ? current.value : '')
  const allowsUnknown = question.precisions.includes('unknown')
  const unknown = h('input', { type: 'checkbox', id: `${ctx.domId}-unknown`, checked: current?.precision === 'unknown' })
  const update = () => {
    input.disabled = unknown.checked
    if (unknown.checked) {
      ctx.set({ precision: 'unknown' })
      ctx.setDraft(undefined)
      return
    }
    const typed = input.value
    const parsed = parseTypedDate(typed)
    ctx.set(parsed ?? undefined)
    ctx.setDraft(typed.trim() === '' || parsed !== null ? undefined : typed)
  }
  on(input, 'input', update)
  on(unknown, 'change', update)
  input.disabled = unknown.checked
  return fieldsetQuestion(
    ctx,
    question,
    h('label', { for: input.id, class: 'help', id: hintId }, ctx.t('dateFormat', { examples })),
    input,
    allowsUnknown ? h('label', { class: 'choice', for: unknown.id }, unknown, h('span', {}, ctx.t('precisionUnknown'))) : null,
  )
}
