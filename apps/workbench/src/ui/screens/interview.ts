import type { Answers, Questionnaire } from '@amanat/domain'
import { api } from '../api.ts'
import { checkbox, field, h, isChecked, select, valueOf, whileBusy } from '../dom.ts'
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

/** What the interview's own fields hold, kept when the form is drawn in another language. */
interface InterviewFields {
  readonly interviewer: string
  readonly date: string
  readonly country: string
  readonly locality: string
  readonly consentGivenOrally: boolean
}

/**
 * Draws the interview form in `language`. Switching the language draws it again with everything
 * entered so far (`kept`): an interviewer who changes language halfway loses nothing, and the
 * keyboard stays on the language picker.
 */
function draw(
  view: HTMLElement,
  questionnaire: Questionnaire,
  language: string,
  kept?: { readonly fields: InterviewFields; readonly answers: Answers },
): void {
  const today = new Date().toISOString().slice(0, 10)
  const fields: InterviewFields = kept?.fields ?? {
    interviewer: page.analyst?.label ?? '',
    date: today,
    country: '',
    locality: '',
    consentGivenOrally: true,
  }
  const languagePicker = select(
    'interviewLanguage',
    questionnaire.languages.map((l) => [l, l] as const),
    language,
  )
  languagePicker.id = 'interview-language'
  const questions = questionnaireForm(questionnaire, language, kept?.answers)
  const save = h('button', { type: 'submit' }, t('saveInterview'))
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
          value: fields.interviewer,
          dir: 'auto',
          autocomplete: 'off',
          maxlength: 100,
        }),
      ),
      field(
        t('fInterviewDate'),
        h('input', { type: 'date', name: 'date', required: true, value: fields.date, max: today }),
      ),
      field(
        t('fInterviewCountry'),
        select('country', countryOptions(), fields.country === '' ? null : fields.country, t('none')),
      ),
      field(
        t('fInterviewPlace'),
        h('input', {
          type: 'text',
          name: 'locality',
          dir: 'auto',
          autocomplete: 'off',
          maxlength: 200,
          value: fields.locality,
        }),
      ),
    ),
    checkbox('consentGivenOrally', 'yes', t('fConsentOral'), fields.consentGivenOrally),
    questions.element,
    save,
  )
  const entered = (): InterviewFields => ({
    interviewer: valueOf(form, 'interviewer'),
    date: valueOf(form, 'date'),
    country: valueOf(form, 'country'),
    locality: valueOf(form, 'locality'),
    consentGivenOrally: isChecked(form, 'consentGivenOrally'),
  })
  languagePicker.addEventListener('change', () => {
    draw(view, questionnaire, languagePicker.value, { fields: entered(), answers: questions.entered() })
    document.getElementById('interview-language')?.focus()
  })
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const { interviewer, date, country, locality, consentGivenOrally } = entered()
    const send = () =>
      api
        .post<{ respondentId: string; testimonyId: string }>('/api/interviews', {
          language,
          answers: questions.answers(),
          interviewer,
          date,
          place: {
            country: country === '' ? null : country,
            ...(locality.trim() === '' ? {} : { locality: locality.trim() }),
          },
          consentGivenOrally,
        })
        .then((created) => {
          location.hash = `#/t/${created.respondentId}/${created.testimonyId}`
        })
        .catch(showError)
    // One interview per press: a second press (or Enter) while it saves would record it twice.
    whileBusy(save, send)
  })
  view.replaceChildren(h('h1', {}, t('interviewTitle')), form)
}
