import { CONSENT_FORMS, CONSENT_USES, DISCLOSURE_WISHES, type Respondent } from '@amanat/domain'
import { api } from '../api.ts'
import {
  checkbox,
  checkboxGroup,
  checkedValues,
  content,
  field,
  h,
  isChecked,
  select,
  valueOf,
} from '../dom.ts'
import { t, tv } from '../i18n/i18n.ts'
import type { RedrawAfter } from './redraw.ts'

/**
 * Consent per use (withdrawal overrides every use and removes the respondent from future
 * outputs), how it was given, the disclosure wish, and the respondent's one stable pseudonym from
 * the registry.
 */
export function consentPanel(
  respondentBase: string,
  respondent: Respondent,
  version: number | undefined,
  after: RedrawAfter,
): HTMLElement {
  const { consent } = respondent
  const consentForm = h(
    'form',
    { id: 'consent' },
    checkboxGroup(
      t('consentTitle'),
      'uses',
      CONSENT_USES.map((use) => [use, tv('use_', use)] as const),
      (use) => consent.uses.some((u) => u === use),
      checkbox('withdrawn', 'yes', t('withdrawn'), consent.withdrawn),
      field(
        t('consentForm'),
        select(
          'form',
          CONSENT_FORMS.map((f) => [f, tv('form_', f)] as const),
          consent.form,
        ),
      ),
    ),
    h('button', { type: 'submit' }, t('saveConsent')),
  )
  consentForm.addEventListener('submit', (event) => {
    event.preventDefault()
    after(
      api.post(`${respondentBase}/consent`, {
        uses: checkedValues(consentForm, 'uses'),
        withdrawn: isChecked(consentForm, 'withdrawn'),
        form: valueOf(consentForm, 'form'),
        version,
      }),
    )
  })

  const disclosureForm = h(
    'form',
    { id: 'disclosure' },
    field(
      t('disclosure'),
      select(
        'disclosure',
        DISCLOSURE_WISHES.map((d) => [d, tv('disclosure_', d)] as const),
        respondent.disclosure,
      ),
    ),
    h('button', { type: 'submit' }, t('saveDisclosure')),
  )
  disclosureForm.addEventListener('submit', (event) => {
    event.preventDefault()
    after(
      api.post(`${respondentBase}/disclosure`, {
        disclosure: valueOf(disclosureForm, 'disclosure'),
        version,
      }),
    )
  })

  // The registry gives each respondent one pseudonym, drawn so it never reads like a real name.
  const assign = h('button', { type: 'button', id: 'assign-pseudonym' }, t('assignPseudonym'))
  assign.addEventListener('click', () => {
    after(api.post(`${respondentBase}/pseudonym`))
  })
  const pseudonym = h(
    'div',
    { id: 'pseudonym' },
    h('h3', {}, t('pseudonym')),
    respondent.pseudonym === null
      ? [h('p', { class: 'muted' }, t('noPseudonym')), assign]
      : content(respondent.pseudonym, undefined, 'p'),
  )
  return h('div', { class: 'consent' }, consentForm, disclosureForm, pseudonym)
}
