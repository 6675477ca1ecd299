/**
 * DOM building without a framework. Every string goes in as a text node, never as HTML, so
 * nothing from a testimony is ever parsed as markup. `content()` wraps text that came from a
 * person (answers, narratives, notes, pseudonyms) in a bidi-isolated element with `dir="auto"`:
 * a Uyghur sentence in an English page, or an English one in the Uyghur interface, then lays out
 * in its own direction without disturbing the text around it.
 */

type Attribute = string | number | boolean | null | undefined
export type Child = Node | string | null | undefined | false

/**
 * Controls the browser must not remember. With `autocomplete="off"` Chromium and Firefox neither
 * keep what was typed in their form history nor save the controls' state for restoring the tab:
 * without it, Chromium wrote a translation being drafted, a case story and an interview's account
 * into the analyst's profile (`Default/Sessions/`), outside the encrypted workspace. Every control
 * `h` makes is off unless it says otherwise.
 */
const FORGOTTEN = new Set<string>(['form', 'input', 'select', 'textarea'])

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, Attribute>> = {},
  ...children: readonly (Child | readonly Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  if (FORGOTTEN.has(tag) && !('autocomplete' in attributes)) element.setAttribute('autocomplete', 'off')
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue
    element.setAttribute(name, value === true ? '' : String(value))
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue
    element.append(typeof child === 'string' ? document.createTextNode(child) : child)
  }
  return element
}

/** Person-written text, isolated and in its own direction (`lang` when known). */
export function content(text: string, lang?: string, tag: 'bdi' | 'p' | 'div' = 'bdi'): HTMLElement {
  return h(tag, { dir: 'auto', lang, class: 'content' }, text)
}

/** A labelled form control: the label wraps the control, so it is always associated. */
export function field(label: string, control: HTMLElement, hint?: string): HTMLLabelElement {
  return h(
    'label',
    { class: 'field' },
    h('span', { class: 'field-label' }, label),
    control,
    hint === undefined ? null : h('small', {}, hint),
  )
}

/** A `<select>` of `[value, label]` options, with `selected` chosen; `blank` adds an empty first option. */
export function select(
  name: string,
  options: readonly (readonly [string, string])[],
  selected: string | null,
  blank?: string,
): HTMLSelectElement {
  const element = h('select', { name })
  if (blank !== undefined) element.append(h('option', { value: '' }, blank))
  for (const [value, label] of options)
    element.append(h('option', { value, selected: value === selected }, label))
  return element
}

/** A labelled checkbox; `name` and `value` are what {@link checkedValues} reads back. */
export function checkbox(name: string, value: string, label: string, checked: boolean): HTMLLabelElement {
  return h('label', { class: 'check' }, h('input', { type: 'checkbox', name, value, checked }), ' ', label)
}

/** A fieldset of checkboxes called `name`, one per `[value, label]`, ticked where `checked(value)`; `extra` goes after them. */
export function checkboxGroup(
  legend: string,
  name: string,
  options: readonly (readonly [string, string])[],
  checked: (value: string) => boolean,
  ...extra: readonly Child[]
): HTMLFieldSetElement {
  return h(
    'fieldset',
    {},
    h('legend', {}, legend),
    options.map(([value, label]) => checkbox(name, value, label, checked(value))),
    extra,
  )
}

/** The value of the form control `name` in `form` ('' when absent). */
export function valueOf(form: HTMLFormElement, name: string): string {
  const element = form.elements.namedItem(name)
  return element instanceof HTMLInputElement ||
    element instanceof HTMLSelectElement ||
    element instanceof HTMLTextAreaElement
    ? element.value
    : ''
}

/** The checked values of the checkboxes called `name` in `form`. */
export function checkedValues(form: HTMLFormElement, name: string): string[] {
  return [...form.querySelectorAll<HTMLInputElement>(`input[type=checkbox][name="${name}"]`)]
    .filter((c) => c.checked)
    .map((c) => c.value)
}

/** Whether the checkbox `name` in `form` is ticked. */
export function isChecked(form: HTMLFormElement, name: string): boolean {
  const element = form.elements.namedItem(name)
  return element instanceof HTMLInputElement && element.checked
}

/**
 * Puts the keyboard on a part of the screen by its first heading, which a screen reader then
 * reads out ("Incidents (4)", "Testimony S-…"); the part itself when it has none.
 */
export function focusHeading(part: HTMLElement): void {
  const heading = part.querySelector<HTMLElement>('h1, h2, h3, h4, legend') ?? part
  if (!heading.hasAttribute('tabindex')) heading.tabIndex = -1
  heading.focus()
}

/**
 * Runs `task` for a press of `button`, one at a time: while it runs the button says so
 * (`aria-disabled`, styled as disabled) and ignores presses, but keeps the keyboard, which a
 * disabled button would drop to the top of the page.
 */
export function whileBusy(button: HTMLButtonElement, task: () => Promise<unknown>): void {
  if (button.getAttribute('aria-disabled') === 'true') return
  button.setAttribute('aria-disabled', 'true')
  const release = () => {
    button.removeAttribute('aria-disabled')
  }
  task().then(release, release)
}
