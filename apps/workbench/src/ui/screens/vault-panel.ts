import type { VaultEntry } from '../../vault/vault-entry.ts'
import { CONTACT_KINDS, DOCUMENT_KINDS } from '../../vault/vault-entry.ts'
import { api, ApiError } from '../api.ts'
import { field, h, select, whileBusy } from '../dom.ts'
import { t, tv } from '../i18n/i18n.ts'
import { Draft } from './drafts.ts'
import { showError } from './notice.ts'
import type { RedrawAfter } from './redraw.ts'

/**
 * The respondent's identifying details (DESIGN.md, "Vault"): real names, contacts, address,
 * document numbers, relatives' names and the invite they were sent, kept under the vault's own
 * key, apart from the workspace, and checked against every case story. They stay off the screen
 * until asked for, and go again once saved or hidden: a coder at a shared desk or on a video call
 * sees the coding, not who the respondent is. What is typed and not saved yet survives the reader
 * being drawn again (a draft in the page's memory, dropped at the lock).
 */
export function vaultPanel(respondentBase: string, after: RedrawAfter): HTMLElement {
  const vaultBase = `${respondentBase}/vault`
  const heading = h('h3', {}, t('vaultTitle'))
  const body = h('div', { id: 'vault-body' })
  const reveal = h(
    'button',
    { type: 'button', 'aria-expanded': 'false', 'aria-controls': 'vault-body' },
    t('vaultShow'),
  )
  const draft = new Draft<VaultDraft>(`vault:${respondentBase}`)
  // Refused because a colleague changed the entry since it was shown: what was typed was made from
  // the older entry, so it is not kept; the reader is drawn again with the panel closed, and says why.
  const dropIfChanged = (error: unknown): never => {
    if (error instanceof ApiError && error.code === 'record.changed') draft.drop()
    throw error
  }

  const hide = () => {
    draft.drop()
    body.replaceChildren()
    reveal.hidden = false
    reveal.setAttribute('aria-expanded', 'false')
    reveal.focus()
  }
  const open = (shown: VaultDraft) => {
    reveal.hidden = true
    reveal.setAttribute('aria-expanded', 'true')
    body.replaceChildren(vaultForm(shown))
  }

  const vaultForm = (shown: VaultDraft): HTMLFormElement => {
    const names = textArea('names', shown.names)
    const relativeNames = textArea('relativeNames', shown.relativeNames)
    const address = textArea('address', shown.address)
    const invite = h('input', {
      type: 'text',
      name: 'invite',
      dir: 'ltr',
      autocomplete: 'off',
      spellcheck: 'false',
    })
    invite.value = shown.invite
    const contacts = new Rows(
      'contacts',
      CONTACT_KINDS,
      'vaultContactKind_',
      t('vaultContactValue'),
      shown.contacts,
    )
    const documents = new Rows(
      'documents',
      DOCUMENT_KINDS,
      'vaultDocumentKind_',
      t('vaultDocumentNumber'),
      shown.documents,
    )
    const save = h('button', { type: 'submit' }, t('vaultSave'))
    const close = h('button', { type: 'button', class: 'secondary' }, t('vaultHide'))
    const remove = h('button', { type: 'button', class: 'link danger' }, t('vaultRemove'))
    const form = h(
      'form',
      { id: 'vault-form' },
      field(t('vaultNames'), names, t('vaultOnePerLine')),
      contacts.fieldset(t('vaultContacts'), t('vaultAddContact')),
      field(t('vaultAddress'), address),
      documents.fieldset(t('vaultDocuments'), t('vaultAddDocument')),
      field(t('vaultRelativeNames'), relativeNames, t('vaultOnePerLine')),
      field(t('vaultInvite'), invite, t('vaultInviteHint')),
      h('div', { class: 'actions' }, save, close, shown.stored ? remove : null),
    )
    const current = (): VaultDraft => ({
      stored: shown.stored,
      version: shown.version,
      names: names.value,
      relativeNames: relativeNames.value,
      contacts: contacts.values(),
      address: address.value,
      documents: documents.values(),
      invite: invite.value,
    })
    form.addEventListener('input', () => {
      draft.keep(current())
    })
    form.addEventListener('submit', (event) => {
      event.preventDefault()
      const entry = current()
      // Saved, the details leave the screen: the reader is drawn again with this panel closed.
      after(
        api
          .post(vaultBase, {
            names: splitLines(entry.names),
            contacts: entry.contacts.filter((c) => c.value.trim() !== ''),
            address: entry.address.trim() === '' ? null : entry.address,
            documents: entry.documents
              .filter((d) => d.value.trim() !== '')
              .map((d) => ({ kind: d.kind, number: d.value })),
            relativeNames: splitLines(entry.relativeNames),
            invite: entry.invite.trim() === '' ? null : entry.invite,
            version: entry.version,
          })
          .then(() => {
            draft.drop()
          }, dropIfChanged),
        'vault',
      )
    })
    close.addEventListener('click', hide)
    remove.addEventListener('click', () => {
      if (!window.confirm(t('vaultRemoveConfirm'))) return
      const version = shown.version === null ? '' : `?version=${shown.version}`
      after(
        api.delete(`${vaultBase}${version}`).then(() => {
          draft.drop()
        }, dropIfChanged),
        'vault',
      )
    })
    return form
  }

  reveal.addEventListener('click', () => {
    // One request per press; the details are drawn once they are here.
    whileBusy(reveal, () =>
      api
        .get<{ entry: VaultEntry | null; version: string | null }>(vaultBase)
        .then(({ entry, version }) => {
          open(draftOf(entry, version))
          body.querySelector<HTMLElement>('textarea, input, select')?.focus()
        })
        .catch(showError),
    )
  })
  const kept = draft.value
  if (kept !== null) open(kept)

  return h(
    'div',
    { id: 'vault', class: 'vault' },
    heading,
    h('p', { class: 'muted' }, t('vaultHelp')),
    reveal,
    body,
  )
}

/** The vault form as it was left, or as the entry reads: text as typed, rows as listed. */
interface VaultDraft {
  /** Whether the vault holds an entry (it can then be removed). */
  readonly stored: boolean
  /** The version of the entry shown (null: none), sent back with a change (refused if it changed since). */
  readonly version: string | null
  readonly names: string
  readonly relativeNames: string
  readonly contacts: readonly Row[]
  readonly address: string
  readonly documents: readonly Row[]
  readonly invite: string
}

interface Row {
  readonly kind: string
  readonly value: string
}

function draftOf(entry: VaultEntry | null, version: string | null): VaultDraft {
  return {
    stored: entry !== null,
    version,
    names: entry?.names.join('\n') ?? '',
    relativeNames: entry?.relativeNames.join('\n') ?? '',
    contacts: entry?.contacts ?? [],
    address: entry?.address ?? '',
    documents: entry?.documents.map((d) => ({ kind: d.kind, value: d.number })) ?? [],
    // The hash the entry holds is sent back as it is, which keeps the link; emptied, it goes.
    invite: entry?.inviteTokenHash ?? '',
  }
}

function textArea(name: string, value: string): HTMLTextAreaElement {
  const area = h('textarea', { name, rows: 2, dir: 'auto' })
  area.value = value
  return area
}

function splitLines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '')
}

/**
 * Repeatable rows of a kind and a value (contacts, documents), one empty row to type into at
 * the end, and a button that adds another and puts the keyboard on it.
 */
class Rows {
  readonly #name: string
  readonly #kinds: readonly string[]
  readonly #labelPrefix: string
  readonly #valueLabel: string
  readonly #list = h('div', { class: 'vault-rows' })

  constructor(
    name: string,
    kinds: readonly string[],
    labelPrefix: string,
    valueLabel: string,
    rows: readonly Row[],
  ) {
    this.#name = name
    this.#kinds = kinds
    this.#labelPrefix = labelPrefix
    this.#valueLabel = valueLabel
    for (const row of [...rows, { kind: kinds[0] ?? '', value: '' }]) this.#add(row)
  }

  fieldset(legend: string, addLabel: string): HTMLFieldSetElement {
    const add = h('button', { type: 'button', class: 'link' }, addLabel)
    add.addEventListener('click', () => {
      this.#add({ kind: this.#kinds[0] ?? '', value: '' })
        .querySelector('select')
        ?.focus()
    })
    return h('fieldset', { id: `vault-${this.#name}` }, h('legend', {}, legend), this.#list, add)
  }

  values(): Row[] {
    return [...this.#list.children].map((row) => ({
      kind: row.querySelector('select')?.value ?? '',
      value: row.querySelector('input')?.value ?? '',
    }))
  }

  #add(row: Row): HTMLElement {
    const kind = select(
      `${this.#name}-kind`,
      this.#kinds.map((k) => [k, tv(this.#labelPrefix, k)] as const),
      row.kind,
    )
    const value = h('input', { type: 'text', name: `${this.#name}-value`, dir: 'auto', autocomplete: 'off' })
    value.value = row.value
    const line = h('div', { class: 'grid' }, field(t('vaultKind'), kind), field(this.#valueLabel, value))
    this.#list.append(line)
    return line
  }
}
