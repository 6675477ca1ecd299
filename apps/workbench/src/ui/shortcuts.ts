/**
 * Keyboard shortcuts for fast coding. The current screen declares what each key does; the keys
 * are listed on the help screen (`?`). While the cursor is in a text field, only Escape (close)
 * and Ctrl+Enter (save) act, so typing a narrative never triggers anything.
 */
export type ShortcutKey = 'n' | 's' | 'j' | 'k' | '/' | '?' | 'Escape' | 'digit'

export type Shortcuts = Partial<Record<Exclude<ShortcutKey, 'digit'>, () => void>> & {
  digit?: (n: number) => void
}

/** The keys in the order the help screen lists them, with their message keys. */
export const SHORTCUT_HELP = [
  ['n', 'sc_n'],
  ['1–9', 'sc_digits'],
  ['s', 'sc_s'],
  ['j', 'sc_j'],
  ['k', 'sc_k'],
  ['/', 'sc_slash'],
  ['?', 'sc_help'],
  ['Esc', 'sc_esc'],
] as const

let screen: Shortcuts = {}
let global: Shortcuts = {}

/** The current screen's shortcuts (replacing the previous screen's). */
export function setShortcuts(shortcuts: Shortcuts): void {
  screen = shortcuts
}

/** Shortcuts that work on every screen (search, help), unless the screen overrides them. */
export function setGlobalShortcuts(shortcuts: Shortcuts): void {
  global = shortcuts
}

function isTextEntry(target: EventTarget | null): boolean {
  if (target instanceof HTMLTextAreaElement) return true
  return (
    target instanceof HTMLInputElement && !['checkbox', 'radio', 'button', 'submit'].includes(target.type)
  )
}

function handle(event: KeyboardEvent): void {
  if (event.altKey || event.metaKey) return
  const both: Shortcuts = { ...global, ...screen }
  if (event.key === 'Escape') {
    both.Escape?.()
    return
  }
  if (event.ctrlKey) {
    if (event.key === 'Enter' && both.s !== undefined) {
      event.preventDefault()
      both.s()
    }
    return
  }
  if (isTextEntry(event.target)) return
  if (/^[1-9]$/.test(event.key) && both.digit !== undefined) {
    event.preventDefault()
    both.digit(Number(event.key))
    return
  }
  const key = event.key as ShortcutKey
  const action = key === 'digit' ? undefined : both[key]
  if (action !== undefined) {
    event.preventDefault()
    action()
  }
}

export function installShortcuts(): void {
  document.addEventListener('keydown', handle)
}
