import { countryCodes, countryName, type Question } from '@amanat/domain'
import { h, on } from '../dom.ts'
import type { FieldContext } from './context.ts'
import { controlAttributes, labelledQuestion } from './shell.ts'

type CountryQuestion = Extract<Question, { kind: 'country' }>

/**
 * A country, from a list named in the respondent's language by the browser's own locale data
 * (`Intl.DisplayNames` through `countryName`), so no table of names is shipped, sorted for that
 * language.
 */
export function renderCountry(question: CountryQuestion, ctx: FieldContext): HTMLElement {
  const collator = new Intl.Collator([ctx.language, 'en'])
  const entries = countryCodes()
    .map((code) => ({ code, name: countryName(code, ctx.language) }))
    .sort((a, b) => collator.compare(a.name, b.name))
  const select = h(
    'select',
    controlAttributes(ctx, question),
    h('option', { value: '' }, ctx.t('choose')),
    ...entries.map(({ code, name }) => h('option', { value: code, selected: code === ctx.value }, name)),
  )
  on(select, 'change', () => ctx.set(select.value === '' ? undefined : select.value))
  return labelledQuestion(ctx, question, select)
}
