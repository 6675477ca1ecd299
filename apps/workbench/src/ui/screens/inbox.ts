import { TESTIMONY_STATUSES } from '@amanat/domain'
import { api, query } from '../api.ts'
import { field, h, select, whileBusy } from '../dom.ts'
import { t, tv } from '../i18n/i18n.ts'
import { setShortcuts } from '../shortcuts.ts'
import { page } from '../state.ts'
import { showError } from './notice.ts'
import { testimonyTable } from './testimony-table.ts'

/** The inbox: testimonies by workflow status, new ones first by default, and pulling new ones in. */
export function inboxScreen(view: HTMLElement): void {
  const picker = select(
    'status',
    TESTIMONY_STATUSES.map((s) => [s, tv('status_', s)] as const),
    'new',
    t('any'),
  )
  const list = h('div')
  const showList = () =>
    list.replaceChildren(
      testimonyTable((after) => `/api/testimonies${query({ status: picker.value, after, limit: 50 })}`),
    )
  picker.addEventListener('change', showList)
  view.replaceChildren(
    h('h1', {}, t('inboxTitle')),
    pullBar(showList),
    h('div', { class: 'filters' }, field(t('colStatus'), picker)),
    list,
  )
  showList()
  setShortcuts({
    j: () => {
      const first = page.listed[0]
      if (first !== undefined) location.hash = `#/t/${first.respondentId}/${first.testimonyId}`
    },
  })
}

/** One button per intake server this workspace can pull from; the report of the last pull. */
function pullBar(pulled: () => void): HTMLElement {
  const bar = h('div', { class: 'actions', id: 'pull' })
  const report = h('div', { 'aria-live': 'polite', id: 'pull-report' })
  api
    .get<{ servers: string[] }>('/api/intake/servers')
    .then(({ servers }) => {
      bar.replaceChildren(
        ...servers.map((server) => {
          const button = h('button', { type: 'button', class: 'secondary' }, t('pullFrom', { server }))
          button.addEventListener('click', () => {
            whileBusy(button, () => {
              report.replaceChildren(h('p', { class: 'muted' }, t('pulling')))
              return api
                .post<{ lines: string[]; imported: number; alarm: boolean }>('/api/intake/pull', { server })
                .then((result) => {
                  if (result.imported > 0) pulled()
                  report.replaceChildren(
                    ...(result.alarm ? [h('p', { class: 'message', role: 'alert' }, t('pullAlarm'))] : []),
                    h('pre', { dir: 'ltr' }, result.lines.join('\n')),
                  )
                })
                .catch(showError)
            })
          })
          return button
        }),
      )
    })
    .catch(showError)
  return h('div', {}, bar, report)
}
