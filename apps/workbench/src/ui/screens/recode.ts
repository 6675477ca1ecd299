import type { RecodeReport } from '../../service/types.ts'
import { api } from '../api.ts'
import { field, focusHeading, h, valueOf, whileBusy } from '../dom.ts'
import { t } from '../i18n/i18n.ts'
import { showError } from './notice.ts'
import { keepCodebook } from './vocab.ts'

/**
 * Recoding to a new codebook version: the new codebook and a mapping `old: new`, one per line.
 * The server recodes what the mapping covers and lists the testimonies that need a human look.
 */
export function recodeScreen(view: HTMLElement): void {
  const report = h('div', { 'aria-live': 'polite', id: 'recode-report' })
  const go = h('button', { type: 'submit' }, t('recodeGo'))
  const form = h(
    'form',
    { class: 'recode' },
    field(
      t('recodeCodebook'),
      h('textarea', { name: 'codebook', rows: 12, required: true, spellcheck: false, dir: 'ltr' }),
    ),
    field(
      t('recodeMapping'),
      h('textarea', {
        name: 'mapping',
        rows: 6,
        spellcheck: false,
        dir: 'ltr',
        placeholder: 'old_code: new_code',
      }),
    ),
    go,
  )
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const mapping: Record<string, string> = {}
    for (const line of valueOf(form, 'mapping').split('\n')) {
      const [from, to] = line.split(':').map((part) => part.trim())
      if (from !== undefined && from !== '' && to !== undefined && to !== '') mapping[from] = to
    }
    // One recode per press; the result (and the keyboard) goes to the report below the form.
    whileBusy(go, () =>
      api
        .post<RecodeReport>('/api/recode', { codebook: valueOf(form, 'codebook'), mapping })
        .then(async (result) => {
          // The forms offer the new version's codes from now on.
          await keepCodebook(result.codebookRef)
          report.replaceChildren(
            h('h2', {}, t('recodeDone', { n: result.recoded, ref: result.codebookRef })),
            h(
              'ul',
              {},
              result.needsAttention.map((item) =>
                h(
                  'li',
                  {},
                  h('a', { href: `#/t/${item.respondentId}/${item.testimonyId}` }, item.testimonyId),
                  ` — ${item.reasons.join('; ')}`,
                ),
              ),
            ),
          )
          focusHeading(report)
        })
        .catch(showError),
    )
  })
  view.replaceChildren(h('h1', {}, t('recodeTitle')), h('p', {}, t('recodeHelp')), form, report)
}
