import type { Questionnaire } from '@amanat/domain'
import { api } from '../api.ts'
import { checkbox, field, h, isChecked, select, valueOf } from '../dom.ts'
import { t, uiLanguage } from '../i18n/i18n.ts'
import { page } from '../state.ts'
import { showError } from './notice.ts'
import { questionnaireForm } from './questionnaire-form.ts'
import { countryOptions } from './vocab.ts'

/**
 * Interview mode: a researcher enters a face-to-face interview directly into the workspace, in the
 * same questionnaire respondents answer online (the same checks and mapping follow), plus what
 * only an interview has — who interviewed, when and where, and whether consent was given orally.
 * The new testimony then opens in the reader for coding.
 */
export function interviewScreen(view: HTMLElement): void {
  api
    .get<{ questionnaire: Questionnaire }>('/api/interviews/questionnaire')
    .then(({ questionnaire }) =>
      draw(
        view,
        questionnaire,
        questionnaire.languages.includes(uiLanguage()) ? uiLanguage() : (questionnaire.languages[0] ?? 'en'),
      ),
    )
    .catch(showError)
}

function draw(view: HTMLElement, questionnaire: Questionnaire, language: string): void {
  const today = new Date().toISOString().slice(0, 10)
  const languagePicker = select(
    'interviewLanguage',
    questionnaire.languages.map((l) => [l, l] as const),
    language,
  )
  languagePicker.addEventListener('change', () => draw(view, questionnaire, languagePicker.value))
  const questions = questionnaireForm(questionnaire, language)
  const form = h(
    'form',
    { class: 'interview' },
    h(
      'div',
      { class: 'grid' },
      field(t('fInterviewLanguage'), languagePicker),
      field(
        t('fInterviewer'),
        h('input', {
          type: 'text',
          name: 'interviewer',
          required: true,
          value: page.analyst?.label ?? '',
          dir: 'auto',
          autocomplete: 'off',
          maxlength: 100,
        }),
      ),
      field(
        t('fInterviewDate'),
        h('input', { type: 'date', name: 'date', required: true, value: today, max: today }),
      ),
      field(t('fInterviewCountry'), select('country', countryOptions(), null, t('none'))),
      field(
        t('fInterviewPlace'),
        h('input', { type: 'text', name: 'locality', dir: 'auto', autocomplete: 'off', maxlength: 200 }),
      ),
    ),
    checkbox('consentGivenOrally', 'yes', t('fConsentOral'), true),
    questions.element,
    h('button', { type: 'submit' }, t('saveInterview')),
  )
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const country = valueOf(form, 'country')
    const locality = valueOf(form, 'locality').trim()
    api
      .post<{ respondentId: string; testimonyId: string }>('/api/interviews', {
        language,
        answers: questions.answers(),
        interviewer: valueOf(form, 'interviewer'),
        date: valueOf(form, 'date'),
        place: { country: country === '' ? null : country, ...(locality === '' ? {} : { locality }) },
        consentGivenOrally: isChecked(form, 'consentGivenOrally'),
      })
      .then((created) => {
        location.hash = `#/t/${created.respondentId}/${created.testimonyId}`
      })
      .catch(showError)
  })
  view.replaceChildren(h('h1', {}, t('interviewTitle')), form)
}
