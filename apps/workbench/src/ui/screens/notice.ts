import { ApiError } from '../api.ts'
import { h } from '../dom.ts'
import { t } from '../i18n/i18n.ts'

/**
 * One live region for the outcome of an action ("Saved.", or why it was not done), announced to
 * screen readers and shown at the top of the page.
 */
function region(): HTMLElement {
  let element = document.getElementById('notice')
  if (element === null) {
    element = h('p', { id: 'notice', role: 'status', 'aria-live': 'polite' })
    document.body.prepend(element)
  }
  return element
}

export function showSaved(): void {
  const element = region()
  element.className = 'ok'
  element.textContent = t('saved')
}

export function showError(error: unknown): void {
  // A locked workbench is handled by the unlock screen, not reported as a failure.
  if (error instanceof ApiError && error.status === 423) return
  showProblem(t('error', { message: error instanceof Error ? error.message : String(error) }))
}

/** Says, as an error, why something was not done, in words already in the interface's language. */
export function showProblem(text: string): void {
  const element = region()
  element.className = 'error'
  element.textContent = text
}

export function clearNotice(): void {
  const element = document.getElementById('notice')
  if (element !== null) element.textContent = ''
}
