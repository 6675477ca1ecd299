import { CONSENT_USES } from '@amanat/domain'
import { api, query } from '../api.ts'
import { field, h, select, valueOf } from '../dom.ts'
import { t, tv } from '../i18n/i18n.ts'
import { page } from '../state.ts'
import { showError } from './notice.ts'
import { testimonyTable } from './testimony-table.ts'
import { codeOptions, countryOptions } from './vocab.ts'

/** One search hit as the server returns it. */
interface Hit {
  readonly respondentId: string
  readonly testimonyId: string
  readonly respondentKey: string
  /** An excerpt around the first match, with the matched words as offsets (never markup). */
  readonly snippet: { readonly text: string; readonly marks: readonly (readonly [number, number])[] } | null
}

/** The snippet as text nodes with `<mark>`s, isolated in its own direction. */
function snippet(hit: Hit): HTMLElement | null {
  if (hit.snippet === null) return null
  const { text, marks } = hit.snippet
  const parts: (Node | string)[] = []
  let at = 0
  for (const [start, end] of marks) {
    parts.push(text.slice(at, start), h('mark', {}, text.slice(start, end)))
    at = end
  }
  parts.push(text.slice(at))
  return h('p', { dir: 'auto', class: 'content' }, parts)
}

/**
 * Search: words in any language (Uyghur, Chinese, Turkish, English; the server normalises and
 * matches prefixes and Chinese substrings) combined with filters on incident type, country, year,
 * collection mode and consent. Without words it is the filtered list, paged like the inbox.
 */
export function searchScreen(view: HTMLElement): void {
  const words = h('input', {
    type: 'search',
    name: 'q',
    id: 'search-q',
    dir: 'auto',
    autocomplete: 'off',
    maxlength: 500,
  })
  const form = h(
    'form',
    { class: 'filters', role: 'search' },
    field(t('searchField'), words),
    field(t('fCode'), select('code', codeOptions('harassment_types'), null, t('any'))),
    field(t('fCountry'), select('country', countryOptions(), null, t('any'))),
    field(
      t('fYear'),
      h('input', { type: 'number', name: 'year', min: 1900, max: 2099, inputmode: 'numeric' }),
    ),
    field(
      t('fMode'),
      select(
        'mode',
        (['online', 'interview'] as const).map((m) => [m, tv('mode_', m)] as const),
        null,
        t('any'),
      ),
    ),
    field(
      t('fConsent'),
      select(
        'consent',
        CONSENT_USES.map((u) => [u, tv('use_', u)] as const),
        null,
        t('any'),
      ),
    ),
    h('button', { type: 'submit' }, t('searchGo')),
  )
  const results = h('div', { id: 'results', 'aria-live': 'polite' })
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const filters = {
      code: valueOf(form, 'code'),
      country: valueOf(form, 'country'),
      year: valueOf(form, 'year'),
      mode: valueOf(form, 'mode'),
      consent: valueOf(form, 'consent'),
    }
    const q = words.value.trim()
    if (q === '') {
      results.replaceChildren(
        testimonyTable((after) => `/api/testimonies${query({ ...filters, after, limit: 50 })}`),
      )
      return
    }
    api
      .get<{ hits: Hit[] }>(`/api/search${query({ q, ...filters })}`)
      .then(({ hits }) => {
        page.listed = hits.map((hit) => ({ respondentId: hit.respondentId, testimonyId: hit.testimonyId }))
        results.replaceChildren(
          h('p', {}, t('results', { n: hits.length })),
          h(
            'ol',
            { class: 'hits' },
            hits.map((hit) =>
              h(
                'li',
                {},
                h('a', { href: `#/t/${hit.respondentId}/${hit.testimonyId}` }, hit.respondentKey),
                snippet(hit),
              ),
            ),
          ),
        )
      })
      .catch(showError)
  })
  view.replaceChildren(h('h1', {}, t('searchTitle')), form, results)
  words.focus()
}
