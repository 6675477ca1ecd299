import { showError } from './notice.ts'

/** Sends a change whose success redraws the screen it was made on. */
export type RedrawAfter = (change: Promise<unknown>) => void

/**
 * For a screen that is drawn again from the server after each change (the reader): while a
 * change is being saved, every control of `scope` is disabled, until the redraw replaces them.
 * Otherwise an edit made meanwhile anywhere on the screen (a disclosure chosen while the consent
 * saves, a note typed while an incident saves) would be reset by that redraw without a word, or
 * saved wrong. If the change fails, the controls come back as they were and the error is shown.
 */
export function redrawAfter(scope: ParentNode, redraw: () => void): RedrawAfter {
  return (change) => {
    const controls = [...scope.querySelectorAll('input, select, textarea, button')].filter(
      (node): node is HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | HTMLButtonElement =>
        'disabled' in node,
    )
    const before = controls.map((control) => control.disabled)
    for (const control of controls) control.disabled = true
    change.then(redraw).catch((error: unknown) => {
      controls.forEach((control, at) => {
        control.disabled = before[at] ?? false
      })
      showError(error)
    })
  }
}
