import { h } from '../dom.ts'
import { t } from '../i18n/i18n.ts'

/**
 * Keeping an analyst's edit when its save is refused because a colleague changed the record
 * meanwhile (`record.changed`, docs/decisions/0025). The reader is drawn again as the record now
 * is, the form is opened on it again, and the edit is put back on top as a three-way merge of
 * the form's values: what the form showed when it was opened (`base`), what the analyst had made
 * of it (`yours`) and what it shows now (`theirs`). A field only the analyst changed takes the
 * analyst's value; a field only the colleague changed keeps theirs; a field both changed keeps
 * theirs, with the analyst's value shown beside it and a button to use it. Nothing is saved until
 * the analyst saves again, from the new version.
 */

/** A form's values by control name: a control's value, or the ticked values of a group. */
export type FormValues = ReadonlyMap<string, readonly string[]>

/** An edit refused as `record.changed`, carried across the redraw to the form opened again. */
export interface CarriedEdit {
  /** The list the record belongs to (`incidents`, `relatives`, `identifiers`). */
  readonly list: string
  readonly id: string
  readonly base: FormValues
  readonly yours: FormValues
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement

function controls(form: HTMLFormElement): Control[] {
  return [...form.elements].filter(
    (e): e is Control =>
      (e instanceof HTMLInputElement || e instanceof HTMLSelectElement || e instanceof HTMLTextAreaElement) &&
      e.name !== '',
  )
}

const ticked = (c: Control) => c instanceof HTMLInputElement && (c.type === 'checkbox' || c.type === 'radio')

export function formValues(form: HTMLFormElement): FormValues {
  const values = new Map<string, string[]>()
  for (const control of controls(form)) {
    const list = values.get(control.name) ?? []
    values.set(control.name, list)
    if (ticked(control)) {
      if ((control as HTMLInputElement).checked) list.push(control.value)
    } else if (control instanceof HTMLSelectElement && control.multiple) {
      list.push(...[...control.selectedOptions].map((o) => o.value))
    } else {
      list.push(control.value)
    }
  }
  return values
}

function setValues(form: HTMLFormElement, name: string, values: readonly string[]): void {
  const named = controls(form).filter((c) => c.name === name)
  for (const control of named) {
    if (ticked(control)) (control as HTMLInputElement).checked = values.includes(control.value)
    else if (control instanceof HTMLSelectElement && control.multiple)
      for (const option of control.options) option.selected = values.includes(option.value)
    else control.value = values[0] ?? ''
  }
  // Forms react to their own controls (an incident's relative follows its target).
  named[0]?.dispatchEvent(new Event('change', { bubbles: true }))
}

const same = (a: readonly string[] | undefined, b: readonly string[] | undefined) =>
  JSON.stringify([...(a ?? [])].sort()) === JSON.stringify([...(b ?? [])].sort())

/** How the analyst's values read in the form: option labels, ticked boxes' labels, or the text. */
function shown(form: HTMLFormElement, name: string, values: readonly string[]): string {
  if (values.every((v) => v === '')) return '—'
  return values
    .map((value) => {
      const control = controls(form).find((c) => c.name === name && (!ticked(c) || c.value === value))
      if (control instanceof HTMLSelectElement)
        return [...control.options].find((o) => o.value === value)?.textContent ?? value
      if (control !== undefined && ticked(control)) return control.labels?.[0]?.textContent?.trim() ?? value
      return value
    })
    .join(', ')
}

/**
 * Puts `carried` back into `form`, opened again on the record as it now is. Returns the names of
 * the fields where the colleague's value was kept over the analyst's (each shown with the
 * analyst's value and a "use mine" button).
 */
export function applyCarried(form: HTMLFormElement, carried: CarriedEdit): string[] {
  const theirs = formValues(form)
  const conflicts: string[] = []
  let applied = 0
  for (const [name, yours] of carried.yours) {
    const base = carried.base.get(name)
    if (same(yours, base) || !theirs.has(name)) continue
    const now = theirs.get(name)
    if (same(now, base)) {
      setValues(form, name, yours)
      applied++
    } else if (!same(now, yours)) {
      conflicts.push(name)
      noteBeside(form, name, yours, conflicts.length)
    }
  }
  if (applied + conflicts.length > 0) {
    const note = h(
      'p',
      { class: 'message merge-note', role: 'status' },
      t(conflicts.length === 0 ? 'mergeKept' : 'mergeKeptWithConflicts'),
    )
    form.querySelector('h3')?.after(note)
  }
  return conflicts
}

function noteBeside(form: HTMLFormElement, name: string, yours: readonly string[], n: number): void {
  const first = controls(form).find((c) => c.name === name)
  if (first === undefined) return
  const id = `merge-${String(n)}`
  const use = h('button', { type: 'button', class: 'secondary' }, t('mergeUseYours'))
  const note = h(
    'p',
    { class: 'merge-yours', id },
    `${t('mergeYours')} `,
    h('bdi', {}, shown(form, name, yours)),
    ' ',
    use,
  )
  use.addEventListener('click', () => {
    setValues(form, name, yours)
    note.remove()
    first.focus()
  })
  first.setAttribute('aria-describedby', id)
  ;(first.closest('label.field, fieldset') ?? first).after(note)
}
