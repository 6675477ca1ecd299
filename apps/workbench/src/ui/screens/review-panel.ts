import type { TestimonyView } from '../../service/types.ts'
import { api } from '../api.ts'
import { checkboxGroup, checkedValues, field, h } from '../dom.ts'
import { t, tv } from '../i18n/i18n.ts'
import { page } from '../state.ts'
import { draftOfFields } from './drafts.ts'
import { showError, showSaved } from './notice.ts'
import type { RedrawAfter } from './redraw.ts'
import { codeOptions } from './vocab.ts'

/**
 * Review: the coder marks a testimony coded; a second analyst marks it reviewed (the server
 * refuses a coder reviewing their own work). A second analyst may also record which incident
 * types they find, independently, for the agreement figures.
 */
export function reviewPanel(base: string, data: TestimonyView, after: RedrawAfter): HTMLElement {
  const { workflow } = data
  const note = h('input', { type: 'text', name: 'note', dir: 'auto', autocomplete: 'off', maxlength: 2000 })
  // A note being written survives the reader being drawn again (drafts.ts); it goes with its status.
  const draft = draftOfFields(`review-note:${base}`, { note })
  const setStatus = (status: string) => () => {
    after(
      api
        .post(`${base}/status`, {
          status,
          note: note.value === '' ? null : note.value,
          version: workflow.version,
        })
        .then(() => {
          draft.drop()
        }),
    )
  }
  const coded = h('button', { type: 'button', id: 'mark-coded' }, t('markCoded'))
  const reviewed = h('button', { type: 'button', id: 'mark-reviewed' }, t('markReviewed'))
  coded.addEventListener('click', setStatus('coded'))
  reviewed.addEventListener('click', setStatus('reviewed'))
  const isCoder = workflow.codedBy !== null && workflow.codedBy.id === page.analyst?.id
  reviewed.disabled = workflow.status !== 'coded' || isCoder

  const own = new Set<string>(data.incidents.map((i) => i.type))
  const independent = h(
    'form',
    { class: 'independent' },
    checkboxGroup(t('colType'), 'types', codeOptions('harassment_types'), (code) => isCoder && own.has(code)),
    h('button', { type: 'submit' }, t('save')),
  )
  independent.addEventListener('submit', (event) => {
    event.preventDefault()
    api
      .post(`${base}/independent`, { types: checkedValues(independent, 'types') })
      .then(showSaved)
      .catch(showError)
  })

  return h(
    'div',
    { class: 'review', id: 'review' },
    h('h3', {}, t('review')),
    h(
      'p',
      {},
      workflow.by === null
        ? tv('status_', workflow.status)
        : t('statusBy', { status: tv('status_', workflow.status), analyst: workflow.by.label }),
    ),
    h('p', { class: 'muted' }, t('reviewHelp')),
    field(t('reviewNote'), note),
    h('div', { class: 'actions' }, coded, reviewed),
    isCoder ? null : h('details', {}, h('summary', {}, t('agreementTitle')), independent),
  )
}
