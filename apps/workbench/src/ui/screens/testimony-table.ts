import type { Page, TestimonySummary } from '../../service/types.ts'
import { api } from '../api.ts'
import { content, h, whileBusy } from '../dom.ts'
import { t, tv } from '../i18n/i18n.ts'
import { page } from '../state.ts'
import { showError } from './notice.ts'

/**
 * A list of testimonies, a page at a time (keyset: "More" asks for the rows after the last one
 * shown, so the millionth row costs what the first does). Used by the inbox and the filtered list.
 * The rows shown become the `j`/`k` order of the reader.
 */
export function testimonyTable(url: (after: string | null) => string): HTMLElement {
  const body = h('tbody')
  const more = h('button', { type: 'button', class: 'more' }, t('more'))
  const table = h(
    'table',
    { class: 'list' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', { scope: 'col' }, t('colRespondent')),
        h('th', { scope: 'col' }, t('colReceived')),
        h('th', { scope: 'col' }, t('colSource')),
        h('th', { scope: 'col' }, t('colStatus')),
        h('th', { scope: 'col' }, t('colIncidents')),
      ),
    ),
    body,
  )
  const empty = h('p', { class: 'muted', hidden: true }, t('empty'))
  page.listed = []
  let next: string | null = null
  const load = () => {
    whileBusy(more, () =>
      api
        .get<Page<TestimonySummary>>(url(next))
        .then((result) => {
          for (const row of result.items) {
            page.listed.push({ respondentId: row.respondentId, testimonyId: row.testimonyId })
            const link = h('a', { href: `#/t/${row.respondentId}/${row.testimonyId}` }, row.respondentKey)
            body.append(
              h(
                'tr',
                {},
                h('td', {}, link, row.pseudonym === null ? null : [' · ', content(row.pseudonym)]),
                h('td', {}, row.receivedOn),
                h('td', {}, tv('mode_', row.sourceMode)),
                h('td', {}, tv('status_', row.status)),
                h('td', { class: 'number' }, String(row.incidentCount)),
              ),
            )
          }
          next = result.next
          more.hidden = next === null
          empty.hidden = body.children.length > 0
        })
        .catch(showError),
    )
  }
  more.addEventListener('click', load)
  load()
  return h('div', {}, table, empty, more)
}
