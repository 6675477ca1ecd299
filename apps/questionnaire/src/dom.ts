/**
 * A few lines of DOM building, instead of a UI framework: the page has six screens and nine kinds
 * of question, and every kilobyte counts over Tor on a cheap phone. Text always goes in as text
 * nodes (never as HTML), so nothing from the server or the respondent is ever parsed as markup.
 */

type Attribute = string | number | boolean | null | undefined
export type Child = Node | string | null | undefined | false

/**
 * Controls the browser must not remember. With `autocomplete="off"` the browser neither keeps what
 * was typed in its form history (the profile's "Web Data" file) nor saves the controls' state for
 * restoring the tab: without it, Chromium wrote the respondent's choices (the country, the kind of
 * harassment, the channel: every select) into the session files of the phone's profile as they
 * answered. Every control `h` makes is off unless it says otherwise.
 */
const FORGOTTEN = new Set<string>(['form', 'input', 'select', 'textarea'])

/**
 * Creates an element. Attributes with `true` are set empty, `false`/`null`/`undefined` are left
 * out; children that are strings become text nodes, falsy ones are skipped.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Readonly<Record<string, Attribute>> = {},
  ...children: readonly Child[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag)
  if (FORGOTTEN.has(tag) && !('autocomplete' in attributes)) element.setAttribute('autocomplete', 'off')
  for (const [name, value] of Object.entries(attributes)) {
    if (value === false || value === null || value === undefined) continue
    element.setAttribute(name, value === true ? '' : String(value))
  }
  append(element, children)
  return element
}

/** Appends children as {@link h} does. */
export function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue
    parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : child)
  }
}

/** Adds an event listener and returns the element (for chaining inside `h` calls). */
export function on<E extends HTMLElement, T extends keyof HTMLElementEventMap>(
  element: E,
  type: T,
  listener: (event: HTMLElementEventMap[T]) => void,
): E {
  element.addEventListener(type, listener)
  return element
}
