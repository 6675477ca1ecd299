import {
  CONFIDENCE_LEVELS,
  IDENTIFIER_KINDS,
  TARGETS,
  type Identifier,
  type Incident,
  type PartialDate,
  type Relative,
} from '@amanat/domain'
import { api } from '../api.ts'
import { checkboxGroup, checkedValues, field, h, select, valueOf } from '../dom.ts'
import { t, tv } from '../i18n/i18n.ts'
import type { RedrawAfter } from './redraw.ts'
import { codeLabel, codeOptions, countryOptions } from './vocab.ts'

/**
 * The coding forms: incident, relative, identifier. Each is a plain form posting to the service
 * through the API; the server checks the record (schemas, codebook) and answers with the reason
 * when it refuses. A form hands its save to `after`, which holds the screen until the reader is
 * drawn again (redraw.ts).
 */

/**
 * A record as the reader read it, with its version (the reader's `versions`): an edit sends both
 * back, so the server refuses it if someone changed the record since (service/coding.ts, EditOf).
 */
export type Read<T extends { readonly id: string }> = T & { readonly version: number | undefined }

/** What a form's request says about the record it edits: nothing for a new one. */
export function editOf(record: Read<{ readonly id: string }> | null): { id?: string; version?: number } {
  if (record === null) return {}
  return record.version === undefined ? { id: record.id } : { id: record.id, version: record.version }
}

export interface OpenForm {
  readonly element: HTMLFormElement
  /** Submits the form (the `s` shortcut). */
  save(): void
  /** Picks the n-th offered incident type (the digit shortcuts; incident form only). */
  pick?(n: number): void
}

function dateText(date: PartialDate): string {
  return date.precision === 'unknown' ? '' : date.value
}

/** '' → unknown; otherwise what the analyst typed, in the shape the schema checks. */
function partialDate(text: string): PartialDate | { precision: string; value: string } {
  const value = text.trim()
  if (value === '') return { precision: 'unknown' }
  const precision = /^\d{4}$/.test(value) ? 'year' : /^\d{4}-\d{2}$/.test(value) ? 'month' : 'day'
  return { precision, value }
}

function place(form: HTMLFormElement, prefix: string): { country: string | null; locality?: string } {
  const country = valueOf(form, `${prefix}Country`)
  const locality = valueOf(form, `${prefix}Locality`).trim()
  return { country: country === '' ? null : country, ...(locality === '' ? {} : { locality }) }
}

function text(
  name: string,
  value: string,
  extra: Readonly<Record<string, string | number>> = {},
): HTMLInputElement {
  return h('input', { type: 'text', name, value, dir: 'auto', autocomplete: 'off', ...extra })
}

function formShell(title: string, fields: readonly HTMLElement[], onCancel: () => void): HTMLFormElement {
  const cancel = h('button', { type: 'button', class: 'secondary' }, t('cancel'))
  cancel.addEventListener('click', onCancel)
  return h(
    'form',
    { class: 'coding-form', 'aria-label': title },
    h('h3', {}, title),
    h('div', { class: 'grid' }, fields),
    h('div', { class: 'actions' }, h('button', { type: 'submit' }, t('save')), cancel),
  )
}

function submitWith(form: HTMLFormElement, send: () => Promise<unknown>, after: RedrawAfter): () => void {
  const save = () => {
    // Saving already (its key pressed twice): the form is disabled until the redraw.
    if (form.querySelector<HTMLButtonElement>('button[type=submit]')?.disabled === true) return
    after(send())
  }
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    save()
  })
  return save
}

export function incidentForm(
  base: string,
  incident: Read<Incident> | null,
  relatives: readonly Relative[],
  after: RedrawAfter,
  cancel: () => void,
): OpenForm {
  const types = codeOptions('harassment_types')
  const type = select('type', types, incident?.type ?? null)
  type.required = true
  const target = select(
    'target',
    TARGETS.map((v) => [v, tv('target_', v)] as const),
    incident?.target ?? 'self',
  )
  const relative = select(
    'relativeId',
    relatives.map(
      (r) =>
        [
          r.id,
          `${codeLabel('relations', r.relation)} · ${codeLabel('relative_statuses', r.status)}`,
        ] as const,
    ),
    incident?.relativeId ?? null,
    t('none'),
  )
  const syncRelative = () => {
    relative.disabled = target.value !== 'relative'
  }
  target.addEventListener('change', syncRelative)
  syncRelative()
  const form = formShell(
    incident === null ? t('newIncident') : `${t('edit')}: ${codeLabel('harassment_types', incident.type)}`,
    [
      field(
        t('fType'),
        type,
        types
          .slice(0, 9)
          .map(([, label], i) => `${String(i + 1)} ${label}`)
          .join(' · '),
      ),
      field(t('fChannel'), select('channel', codeOptions('channels'), incident?.channel ?? null, t('none'))),
      field(
        t('fPerpetrator'),
        select('perpetrator', codeOptions('perpetrators'), incident?.perpetrator ?? null, t('none')),
      ),
      field(t('fTarget'), target),
      field(t('fRelative'), relative),
      field(
        t('fReceivedCountry'),
        select('receivedCountry', countryOptions(), incident?.receivedIn.country ?? null, t('none')),
      ),
      field(t('fReceivedLocality'), text('receivedLocality', incident?.receivedIn.locality ?? '')),
      field(
        t('fOriginCountry'),
        select('originCountry', countryOptions(), incident?.originatedIn.country ?? null, t('none')),
      ),
      field(t('fOriginLocality'), text('originLocality', incident?.originatedIn.locality ?? '')),
      field(
        t('fDate'),
        text('date', incident === null ? '' : dateText(incident.date), {
          inputmode: 'numeric',
          placeholder: 'YYYY-MM-DD',
        }),
      ),
      field(
        t('fConfidence'),
        select(
          'confidence',
          CONFIDENCE_LEVELS.map((v) => [v, tv('confidence_', v)] as const),
          incident?.confidence ?? 'medium',
        ),
      ),
      field(t('fNote'), h('textarea', { name: 'note', rows: 2, dir: 'auto' }, incident?.note ?? '')),
    ],
    cancel,
  )
  const save = submitWith(
    form,
    () => {
      const nullable = (name: string) => (valueOf(form, name) === '' ? null : valueOf(form, name))
      const note = valueOf(form, 'note').trim()
      return api.post(`${base}/incidents`, {
        ...editOf(incident),
        type: valueOf(form, 'type'),
        channel: nullable('channel'),
        perpetrator: nullable('perpetrator'),
        target: valueOf(form, 'target'),
        relativeId: valueOf(form, 'target') === 'relative' ? nullable('relativeId') : null,
        receivedIn: place(form, 'received'),
        originatedIn: place(form, 'origin'),
        date: partialDate(valueOf(form, 'date')),
        confidence: valueOf(form, 'confidence'),
        note: note === '' ? null : note,
      })
    },
    after,
  )
  return {
    element: form,
    save,
    pick: (n) => {
      const option = types[n - 1]
      if (option !== undefined) type.value = option[0]
    },
  }
}

export function relativeForm(
  respondentBase: string,
  relative: Read<Relative> | null,
  after: RedrawAfter,
  cancel: () => void,
): OpenForm {
  const form = formShell(
    relative === null ? t('newRelative') : `${t('edit')}: ${codeLabel('relations', relative.relation)}`,
    [
      field(
        t('fRelation'),
        Object.assign(select('relation', codeOptions('relations'), relative?.relation ?? null), {
          required: true,
        }),
      ),
      field(
        t('fRelStatus'),
        Object.assign(select('status', codeOptions('relative_statuses'), relative?.status ?? null), {
          required: true,
        }),
      ),
      field(
        t('fSince'),
        text('since', relative === null ? '' : dateText(relative.since), { placeholder: 'YYYY-MM' }),
      ),
      field(
        t('fLastContact'),
        text('lastContact', relative === null ? '' : dateText(relative.lastContact), {
          placeholder: 'YYYY-MM',
        }),
      ),
      field(t('fNote'), h('textarea', { name: 'note', rows: 2, dir: 'auto' }, relative?.note ?? '')),
    ],
    cancel,
  )
  const save = submitWith(
    form,
    () => {
      const note = valueOf(form, 'note').trim()
      return api.post(`${respondentBase}/relatives`, {
        ...editOf(relative),
        relation: valueOf(form, 'relation'),
        status: valueOf(form, 'status'),
        since: partialDate(valueOf(form, 'since')),
        lastContact: partialDate(valueOf(form, 'lastContact')),
        note: note === '' ? null : note,
      })
    },
    after,
  )
  return { element: form, save }
}

export function identifierForm(
  respondentBase: string,
  identifier: Read<Identifier> | null,
  incidents: readonly Incident[],
  after: RedrawAfter,
  cancel: () => void,
): OpenForm {
  const linked = new Set<string>(identifier?.incidentIds ?? [])
  const form = formShell(
    identifier === null ? t('newIdentifier') : `${t('edit')}: ${identifier.value}`,
    [
      field(
        t('fIdKind'),
        select(
          'kind',
          IDENTIFIER_KINDS.map((k) => [k, tv('idkind_', k)] as const),
          identifier?.kind ?? 'phone',
        ),
      ),
      field(t('fIdValue'), Object.assign(text('value', identifier?.value ?? ''), { required: true })),
      checkboxGroup(
        t('fIdIncidents'),
        'incidentIds',
        incidents.map((incident) => [incident.id, codeLabel('harassment_types', incident.type)] as const),
        (id) => linked.has(id),
      ),
    ],
    cancel,
  )
  const save = submitWith(
    form,
    () =>
      api.post(`${respondentBase}/identifiers`, {
        ...editOf(identifier),
        kind: valueOf(form, 'kind'),
        value: valueOf(form, 'value'),
        incidentIds: checkedValues(form, 'incidentIds'),
      }),
    after,
  )
  return { element: form, save }
}
