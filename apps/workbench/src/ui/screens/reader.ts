import type { Incident, JsonValue } from '@amanat/domain'
import type { TestimonyView } from '../../service/types.ts'
import { api, ApiError } from '../api.ts'
import { checkboxGroup, checkedValues, content, focusHeading, h } from '../dom.ts'
import { t, tv } from '../i18n/i18n.ts'
import { setShortcuts, SHORTCUT_HELP } from '../shortcuts.ts'
import { page } from '../state.ts'
import { identifierForm, incidentForm, relativeForm, type OpenForm, type Read } from './coding-forms.ts'
import { consentPanel } from './consent-panel.ts'
import { historyPanel } from './history-panel.ts'
import { draftOfFields } from './drafts.ts'
import { applyCarried, formValues, type CarriedEdit } from './form-merge.ts'
import { clearNotice, showError, showProblem, showSaved } from './notice.ts'
import { redrawAfter, type RedrawAfter } from './redraw.ts'
import { reviewPanel } from './review-panel.ts'
import { storiesPanel } from './stories-panel.ts'
import { vaultPanel } from './vault-panel.ts'
import { codeLabel, codeOptions, countryLabel, keepCodebook } from './vocab.ts'

/**
 * The reader and coding screen for one testimony: on one side what the respondent said (answers,
 * their account in their own language, attachments shown from this server only, and the analyst's
 * translation), on the other the coding: incidents, relatives, identifiers, impacts, review,
 * consent and pseudonym, the identifying details kept in the vault (shown only when asked for),
 * case stories, and the record’s history. Keyboard: `n` new incident, `1`–`9` type,
 * `s` save, `Esc` close, `j`/`k` next and previous testimony of the last list.
 */
export function readerScreen(
  view: HTMLElement,
  respondentId: string,
  testimonyId: string,
  carried: CarriedEdit | null = null,
): Promise<boolean> {
  const base = `/api/testimonies/${respondentId}/${testimonyId}`
  const respondentBase = `/api/respondents/${respondentId}`
  let open: OpenForm | null = null
  const formSlot = h('div', { class: 'form-slot' })

  const step = (delta: number) => {
    const index = page.listed.findIndex((r) => r.testimonyId === testimonyId)
    const target = page.listed[index + delta]
    if (target !== undefined) location.hash = `#/t/${target.respondentId}/${target.testimonyId}`
  }

  const show = (data: TestimonyView) => {
    // An edit refused because the record changed meanwhile goes with the redraw (form-merge.ts).
    let refused: CarriedEdit | null = null
    const reload = () => readerScreen(view, respondentId, testimonyId, refused)
    const after = redrawAfter(view, reload)
    // A coding form belongs to a list. Saved, it is gone and focus goes to that list's heading;
    // closed unsaved (Esc, Cancel), focus goes back to what opened it, or to that list when it was
    // opened with a shortcut.
    let opener: HTMLElement | null = null
    let list = ''
    const close = () => {
      if (open === null) return
      open = null
      formSlot.replaceChildren()
      const home = opener?.isConnected === true ? opener : null
      opener = null
      if (home !== null) return home.focus()
      const part = document.getElementById(list)
      if (part !== null) focusHeading(part)
    }
    const openForm = (
      into: string,
      make: (saved: RedrawAfter) => OpenForm,
      editing: string | null = null,
    ) => {
      const active = document.activeElement
      // Opened from inside the open form (a shortcut while typing): the first opener stays.
      if (!formSlot.contains(active))
        opener = active instanceof HTMLElement && active !== document.body ? active : null
      list = into
      const form = make((change) => {
        after(
          change.catch((error: unknown) => {
            if (editing !== null && error instanceof ApiError && error.code === 'record.changed')
              refused = { list: into, id: editing, base: opened, yours: formValues(form.element) }
            throw error
          }),
          into,
        )
      })
      const opened = formValues(form.element)
      open = form
      formSlot.replaceChildren(form.element)
      form.element.querySelector<HTMLElement>('select, input, textarea')?.focus()
      return form
    }
    // Each list's edit form for one of its records (null when it is no longer there).
    const editor =
      <T extends { readonly id: string }>(
        into: string,
        records: readonly T[],
        make: (record: Read<T>, saved: RedrawAfter) => OpenForm,
      ) =>
      (id: string): OpenForm | null => {
        const record = records.find((r) => r.id === id)
        return record === undefined ? null : openForm(into, (saved) => make(read(data, record), saved), id)
      }
    const editors: Readonly<Record<string, (id: string) => OpenForm | null>> = {
      incidents: editor('incidents', data.incidents, (r, saved) =>
        incidentForm(base, r, data.relatives, saved, close),
      ),
      relatives: editor('relatives', data.relatives, (r, saved) =>
        relativeForm(respondentBase, r, saved, close),
      ),
      identifiers: editor('identifiers', data.identifiers, (r, saved) =>
        identifierForm(respondentBase, r, data.incidents, saved, close),
      ),
    }
    const newIncident = () =>
      openForm('incidents', (saved) => incidentForm(base, null, data.relatives, saved, close))

    const { respondent, testimony } = data
    view.replaceChildren(
      h(
        'div',
        { class: 'reader-head' },
        h(
          'h1',
          {},
          `${t('testimony')} `,
          h('bdi', {}, respondent.key),
          respondent.pseudonym === null ? null : [' · ', content(respondent.pseudonym)],
        ),
        h(
          'p',
          { class: 'muted' },
          `${tv('mode_', testimony.source.mode)} · ${testimony.receivedOn} · ${countryLabel(respondent.residenceCountry)} · `,
          h('span', { class: 'badge', id: 'status' }, tv('status_', data.workflow.status)),
        ),
        stepButtons(step),
      ),
      h(
        'div',
        { class: 'reader' },
        h(
          'section',
          { class: 'source', 'aria-labelledby': 'source-title' },
          h('h2', { id: 'source-title', class: 'visually-hidden' }, t('testimony')),
          narratives(data),
          answers(testimony.answers),
          attachments(respondentBase, data),
          translationForm(base, data),
        ),
        h(
          'section',
          { class: 'coding', 'aria-labelledby': 'coding-title' },
          h(
            'h2',
            { id: 'coding-title' },
            t('codingTitle'),
            ' ',
            h('small', { class: 'muted' }, t('codebookVersion', { ref: data.codebookRef })),
          ),
          shortcutHint(),
          incidentList(
            data,
            respondentBase,
            newIncident,
            (incident) => void editors.incidents?.(incident.id),
            after,
          ),
          formSlot,
          relativeList(
            data,
            respondentBase,
            () => openForm('relatives', (saved) => relativeForm(respondentBase, null, saved, close)),
            (r) => void editors.relatives?.(r.id),
            after,
          ),
          identifierList(
            data,
            respondentBase,
            () =>
              openForm('identifiers', (saved) =>
                identifierForm(respondentBase, null, data.incidents, saved, close),
              ),
            (i) => void editors.identifiers?.(i.id),
            after,
          ),
          impactsForm(respondentBase, respondent.impacts, data.versions[respondent.id], after),
          reviewPanel(base, data, after),
          consentPanel(respondentBase, respondent, data.versions[respondent.id], after),
          vaultPanel(respondentBase, after),
          storiesPanel(respondentBase, respondent),
          historyPanel(respondentBase),
        ),
      ),
    )
    // The refused edit, opened again on the record as it now is (unless it was removed meanwhile).
    if (carried !== null) {
      const form = editors[carried.list]?.(carried.id) ?? null
      if (form !== null) applyCarried(form.element, carried)
    }
    setShortcuts({
      n: newIncident,
      s: () => open?.save(),
      digit: (n) => open?.pick?.(n),
      Escape: close,
      j: () => step(1),
      k: () => step(-1),
    })
  }

  clearNotice()
  // Resolves true once drawn, false when the testimony could not be read (the error is shown).
  return api
    .get<TestimonyView>(base)
    .then(async (data) => {
      await keepCodebook(data.codebookRef)
      show(data)
      return true
    })
    .catch((error: unknown) => {
      showError(error)
      return false
    })
}

/** A record shown in the reader, with the version it was read at (sent back with an edit). */
function read<T extends { readonly id: string }>(data: TestimonyView, record: T): Read<T> {
  return { ...record, version: data.versions[record.id] }
}

/** The removal of record `id` from `list`, naming the version read (refused if it changed since). */
function removalUrl(data: TestimonyView, list: string, id: string): string {
  const version = data.versions[id]
  return version === undefined ? `${list}/${id}` : `${list}/${id}?version=${String(version)}`
}

/** The coding keys at a glance, linking to the full list. */
function shortcutHint(): HTMLElement {
  const keys = SHORTCUT_HELP.filter(([key]) => key !== '/' && key !== '?').map(([key, message]) =>
    h('span', {}, h('kbd', {}, key), ` ${t(message)}`),
  )
  return h(
    'p',
    { class: 'muted shortcut-hint' },
    keys.flatMap((k, i) => (i === 0 ? [k] : [' · ', k])),
    ' · ',
    h('a', { href: '#/help', 'aria-keyshortcuts': '?' }, t('navHelp')),
  )
}

function stepButtons(step: (delta: number) => void): HTMLElement {
  const previous = h(
    'button',
    { type: 'button', class: 'secondary', 'aria-keyshortcuts': 'k' },
    t('previous'),
  )
  const next = h('button', { type: 'button', class: 'secondary', 'aria-keyshortcuts': 'j' }, t('next'))
  previous.addEventListener('click', () => step(-1))
  next.addEventListener('click', () => step(1))
  return h('div', { class: 'actions' }, previous, next)
}

function narratives(data: TestimonyView): HTMLElement {
  return h(
    'div',
    {},
    h('h3', {}, t('readerNarratives')),
    data.testimony.narratives.length === 0
      ? h('p', { class: 'muted' }, t('empty'))
      : data.testimony.narratives.map((n) => content(n.text, n.language, 'p')),
  )
}

/** An answer as text: lists joined, objects (date answers, repeated groups) as compact JSON. */
function answerText(value: JsonValue): string {
  if (value === null) return '—'
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value)
  if (Array.isArray(value) && value.every((v) => typeof v === 'string' || typeof v === 'number'))
    return value.join(', ')
  return JSON.stringify(value)
}

function answers(values: Readonly<Record<string, JsonValue>>): HTMLElement {
  const entries = Object.entries(values)
  return h(
    'div',
    {},
    h('h3', {}, t('readerAnswers')),
    entries.length === 0
      ? h('p', { class: 'muted' }, t('empty'))
      : h(
          'dl',
          { class: 'answers' },
          entries.flatMap(([question, value]) => [
            h('dt', {}, question),
            h('dd', {}, content(answerText(value))),
          ]),
        ),
  )
}

function attachments(respondentBase: string, data: TestimonyView): HTMLElement | null {
  if (data.attachments.length === 0) return null
  return h(
    'div',
    {},
    h('h3', {}, t('readerAttachments')),
    h(
      'ul',
      { class: 'attachments' },
      data.attachments.map((a) => {
        const url = `${respondentBase}/attachments/${a.id}`
        const name = a.originalName ?? a.mediaType
        if (!a.available) return h('li', {}, content(name), ` (${t('notAvailable')})`)
        return h(
          'li',
          {},
          a.inline
            ? h('img', { src: url, alt: name, loading: 'lazy' })
            : h('a', { href: url, download: '', 'aria-describedby': 'downloads-in-clear' }, content(name)),
        )
      }),
    ),
    // A download leaves the encrypted workspace: the browser saves it as it is.
    data.attachments.some((a) => a.available && !a.inline)
      ? h('p', { id: 'downloads-in-clear', class: 'muted' }, t('downloadsInClear'))
      : null,
  )
}

function translationForm(base: string, data: TestimonyView): HTMLElement {
  const current = data.testimony.translation
  const language = h('input', {
    type: 'text',
    name: 'language',
    value: current?.language ?? 'en',
    maxlength: 35,
    size: 6,
    autocomplete: 'off',
  })
  const text = h(
    'textarea',
    { name: 'text', rows: 6, dir: 'auto', lang: current?.language ?? 'en' },
    current?.text ?? '',
  )
  const form = h(
    'form',
    { class: 'translation' },
    h('h3', {}, t('readerTranslation')),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('translationLanguage')), language),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, t('readerTranslation')), text),
    h('button', { type: 'submit' }, t('saveTranslation')),
  )
  // A translation being written survives the reader being drawn again (drafts.ts).
  const draft = draftOfFields(`translation:${base}`, { language, text })
  // The testimony's version it is written from; each save answers with the next one.
  let version = data.versions[data.testimony.id]
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    const translation =
      text.value.trim() === '' ? null : { language: language.value.trim(), text: text.value }
    api
      .post<{ version: number }>(`${base}/translation`, { translation, version })
      .then((saved) => {
        version = saved.version
        draft.drop()
        showSaved()
      })
      .catch((error: unknown) => {
        // Someone changed the testimony meanwhile (another translation, a re-import): nothing was
        // saved, and what was typed stays in the form.
        if (error instanceof ApiError && error.code === 'record.changed') showProblem(t('translationChanged'))
        else showError(error)
      })
  })
  return form
}

function listSection<T>(
  title: string,
  addLabel: string,
  items: readonly T[],
  describe: (item: T) => (Node | string)[],
  onAdd: () => void,
  onEdit: (item: T) => void,
  removeUrl: (item: T) => string,
  after: RedrawAfter,
  id: string,
  shortcut?: string,
): HTMLElement {
  const add = h(
    'button',
    { type: 'button', class: 'add', ...(shortcut === undefined ? {} : { 'aria-keyshortcuts': shortcut }) },
    addLabel,
  )
  add.addEventListener('click', onAdd)
  return h(
    'div',
    { class: 'coded-list', id },
    h('h3', {}, title, ` (${String(items.length)})`),
    h(
      'ul',
      {},
      items.map((item) => {
        const edit = h('button', { type: 'button', class: 'link' }, t('edit'))
        const remove = h('button', { type: 'button', class: 'link danger' }, t('remove'))
        edit.addEventListener('click', () => onEdit(item))
        // The item is gone once removed: focus goes to the list's heading, not to the next
        // item's remove button, where a second press would remove that one too.
        remove.addEventListener('click', () => {
          after(api.delete(removeUrl(item)), id)
        })
        return h('li', {}, h('span', {}, describe(item)), ' ', edit, ' ', remove)
      }),
    ),
    add,
  )
}

function incidentList(
  data: TestimonyView,
  respondentBase: string,
  onAdd: () => void,
  onEdit: (i: Incident) => void,
  after: RedrawAfter,
): HTMLElement {
  return listSection(
    t('incidents'),
    t('newIncident'),
    data.incidents,
    (i) => [
      h('strong', {}, codeLabel('harassment_types', i.type)),
      ` · ${codeLabel('channels', i.channel)} · ${codeLabel('perpetrators', i.perpetrator)} · ${countryLabel(i.receivedIn.country)} ← ${countryLabel(i.originatedIn.country)} · ${i.date.precision === 'unknown' ? '?' : i.date.value}`,
    ],
    onAdd,
    onEdit,
    (i) => removalUrl(data, `${respondentBase}/incidents`, i.id),
    after,
    'incidents',
    'n',
  )
}

function relativeList(
  data: TestimonyView,
  respondentBase: string,
  onAdd: () => void,
  onEdit: (r: TestimonyView['relatives'][number]) => void,
  after: RedrawAfter,
): HTMLElement {
  return listSection(
    t('relatives'),
    t('newRelative'),
    data.relatives,
    (r) => [
      h('strong', {}, codeLabel('relations', r.relation)),
      ` · ${codeLabel('relative_statuses', r.status)}${r.since.precision === 'unknown' ? '' : ` · ${r.since.value}`}`,
    ],
    onAdd,
    onEdit,
    (r) => removalUrl(data, `${respondentBase}/relatives`, r.id),
    after,
    'relatives',
  )
}

function identifierList(
  data: TestimonyView,
  respondentBase: string,
  onAdd: () => void,
  onEdit: (i: TestimonyView['identifiers'][number]) => void,
  after: RedrawAfter,
): HTMLElement {
  return listSection(
    t('identifiers'),
    t('newIdentifier'),
    data.identifiers,
    (i) => [
      `${tv('idkind_', i.kind)}: `,
      content(i.value),
      i.normalised !== null && i.normalised !== i.value ? ` (${i.normalised})` : '',
    ],
    onAdd,
    onEdit,
    (i) => removalUrl(data, `${respondentBase}/identifiers`, i.id),
    after,
    'identifiers',
  )
}

function impactsForm(
  respondentBase: string,
  current: readonly string[],
  version: number | undefined,
  after: RedrawAfter,
): HTMLElement {
  const chosen = new Set(current)
  const form = h(
    'form',
    { class: 'impacts', id: 'impacts' },
    checkboxGroup(t('impacts'), 'impacts', codeOptions('impacts'), (code) => chosen.has(code)),
    h('button', { type: 'submit' }, t('saveImpacts')),
  )
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    // Drawn again once saved, like the consent beside it: both re-record the respondent, and each
    // must send the version the other's save made.
    after(api.post(`${respondentBase}/impacts`, { impacts: checkedValues(form, 'impacts'), version }))
  })
  return form
}
