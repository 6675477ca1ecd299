import { showError } from './notice.ts'

/** Sends a change whose success redraws the screen it was made on. */
export type RedrawAfter = (change: Promise<unknown>) => void

/**
 * For a screen that is drawn again from the server after each change (the reader): while a
 * change is being saved, every control of `scope` is disabled, until the redraw replaces them.
 * Otherwise an edit made meanwhile anywhere on the screen (a disclosure chosen while the consent
 * saves, a note typed while an incident saves) would be reset by that redraw without a word, or
 * saved wrong. If the change fails, the controls come back as they were and the error is shown;
 * so they do if the change is saved but the screen cannot be drawn again (its error is shown).
 */
export function redrawAfter(scope: ParentNode, redraw: () => Promise<boolean>): RedrawAfter {
  return (change) => {
    const controls = [...scope.querySelectorAll('input, select, textarea, button')].filter(
      (node): node is HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | HTMLButtonElement =>
        'disabled' in node,
    )
    const before = controls.map((control) => control.disabled)
    for (const control of controls) control.disabled = true
    const release = () => {
      controls.forEach((control, at) => {
        control.disabled = before[at] ?? false
      })
    }
    change.then(
      // Saved, but not drawn again (the server could not be read): the old screen, usable again.
      () =>
        redraw().then((drawn) => {
          if (!drawn) release()
        }),
      (error: unknown) => {
        release()
        showError(error)
      },
    )
  }
}
