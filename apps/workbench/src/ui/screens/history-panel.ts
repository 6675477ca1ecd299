import type { History } from '../../service/types.ts'
import { api } from '../api.ts'
import { content, h } from '../dom.ts'
import { t } from '../i18n/i18n.ts'
import { showError } from './notice.ts'

/** A respondent's history (every event about them, oldest first), loaded when opened. */
export function historyPanel(respondentBase: string): HTMLElement {
  const list = h('ol', { class: 'history' })
  const details = h('details', { id: 'history' }, h('summary', {}, t('history')), list)
  details.addEventListener('toggle', () => {
    if (!details.open) return
    api
      .get<History>(`${respondentBase}/history`)
      .then((history) => {
        list.replaceChildren(
          ...(history.erased ? [h('li', { class: 'muted' }, t('historyErased'))] : []),
          ...history.entries.map((entry) =>
            h(
              'li',
              {},
              h('time', { datetime: entry.recordedAt }, entry.recordedAt.slice(0, 16).replace('T', ' ')),
              ' · ',
              content(entry.author),
              ' · ',
              h('code', {}, entry.kind),
              ' · ',
              content(entry.summary),
            ),
          ),
        )
      })
      .catch(showError)
  })
  return details
}
