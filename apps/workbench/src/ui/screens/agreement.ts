import type { TypeAgreement } from '../../service/types.ts'
import { api } from '../api.ts'
import { h } from '../dom.ts'
import { t } from '../i18n/i18n.ts'
import { showError } from './notice.ts'
import { codeLabel } from './vocab.ts'

/** Inter-coder agreement: Cohen's kappa per incident type over double-coded testimonies. */
export function agreementScreen(view: HTMLElement): void {
  const body = h('tbody')
  view.replaceChildren(
    h('h1', {}, t('agreementTitle')),
    h('p', {}, t('agreementHelp')),
    h(
      'table',
      { class: 'list' },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          [t('colType'), t('colN'), t('colObserved'), t('colExpected'), t('colKappa')].map((c) =>
            h('th', { scope: 'col' }, c),
          ),
        ),
      ),
      body,
    ),
  )
  const fixed = (x: number | null) => (x === null ? '—' : x.toFixed(2))
  api
    .get<{ types: TypeAgreement[] }>('/api/agreement')
    .then(({ types }) => {
      body.replaceChildren(
        ...types.map((row) =>
          h(
            'tr',
            {},
            h('td', {}, codeLabel('harassment_types', row.type)),
            h('td', { class: 'number' }, String(row.n)),
            h('td', { class: 'number' }, fixed(row.observed)),
            h('td', { class: 'number' }, fixed(row.expected)),
            h('td', { class: 'number' }, fixed(row.kappa)),
          ),
        ),
      )
      if (types.length === 0) body.append(h('tr', {}, h('td', { colspan: 5, class: 'muted' }, t('empty'))))
    })
    .catch(showError)
}
