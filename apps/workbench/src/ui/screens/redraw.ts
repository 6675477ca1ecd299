import { ApiError } from '../api.ts'
import { focusHeading } from '../dom.ts'
import { t } from '../i18n/i18n.ts'
import { showError, showProblem, showSaved } from './notice.ts'

/**
 * Sends a change whose success redraws the screen it was made on. `home` names (by id) the part
 * of the screen where focus goes once it is drawn again, when the control that was used will not
 * be there or should not be used twice: the list an incident was saved into or removed from.
 */
export type RedrawAfter = (change: Promise<unknown>, home?: string) => void

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement | HTMLButtonElement

const CONTROLS = 'input, select, textarea, button'

function controlsOf(scope: ParentNode): Control[] {
  return [...scope.querySelectorAll(CONTROLS)].filter((node): node is Control => 'disabled' in node)
}

/**
 * Where the keyboard was, said so that it survives the screen being drawn again: the focused
 * control's own id, or the nearest part of the screen with an id and the control's place among
 * that part's controls (the third checkbox of the consent form).
 */
interface FocusMark {
  readonly element: HTMLElement
  readonly id: string | null
  readonly part: string | null
  readonly index: number
}

function markFocus(scope: HTMLElement): FocusMark | null {
  const active = document.activeElement
  if (!(active instanceof HTMLElement) || active === scope || !scope.contains(active)) return null
  const part = active.parentElement?.closest<HTMLElement>('[id]') ?? null
  const inScope = part !== null && part !== scope && scope.contains(part)
  return {
    element: active,
    id: active.id === '' ? null : active.id,
    part: inScope ? part.id : null,
    index: inScope ? controlsOf(part).indexOf(active as Control) : -1,
  }
}

function focusable(element: Element | null): element is HTMLElement {
  return element instanceof HTMLElement && element.isConnected && !('disabled' in element && element.disabled === true)
}

/**
 * After the redraw: the same control if it is still there and usable; otherwise the control at
 * the same place in the same part; otherwise that part's heading. With `home`, that part's heading.
 */
function restoreFocus(mark: FocusMark | null, home: string | undefined): void {
  if (home !== undefined) {
    const part = document.getElementById(home)
    if (part !== null) focusHeading(part)
    return
  }
  if (mark === null) return
  const same = mark.id === null ? null : document.getElementById(mark.id)
  if (focusable(same)) return same.focus()
  const part = mark.part === null ? null : document.getElementById(mark.part)
  if (part === null) return
  const atPlace = controlsOf(part)[mark.index] ?? null
  if (mark.index >= 0 && focusable(atPlace)) atPlace.focus()
  else focusHeading(part)
}

/**
 * For a screen that is drawn again from the server after each change (the reader): while a
 * change is being saved, every control of `scope` is disabled, until the redraw replaces them.
 * Otherwise an edit made meanwhile anywhere on the screen (a disclosure chosen while the consent
 * saves, a note typed while an incident saves) would be reset by that redraw without a word, or
 * saved wrong. Once drawn again, the keyboard is put back where it was (or at `home`) rather than
 * left at the top of the page, and "Saved." is announced (the redraw clears earlier notices).
 * If the change fails, the controls come back as they were, focus returns to the control that
 * was used and the error is shown; so they do if the change is saved but the screen cannot be
 * drawn again (its error is shown). A change refused because someone changed its record since it
 * was read (`record.changed`) draws the screen again as it is now, and says so.
 */
export function redrawAfter(scope: HTMLElement, redraw: () => Promise<boolean>): RedrawAfter {
  return (change, home) => {
    const mark = markFocus(scope)
    const controls = controlsOf(scope)
    const before = controls.map((control) => control.disabled)
    for (const control of controls) control.disabled = true
    const release = () => {
      controls.forEach((control, at) => {
        control.disabled = before[at] ?? false
      })
      if (mark !== null && focusable(mark.element)) mark.element.focus()
    }
    change.then(
      // Saved, but not drawn again (the server could not be read): the old screen, usable again.
      () =>
        redraw().then((drawn) => {
          if (!drawn) return release()
          restoreFocus(mark, home)
          showSaved()
        }),
      (error: unknown) => {
        // Someone changed what the change was made from: nothing was saved, and the screen is
        // stale. Draw it again as it is now, and say why the change is not there.
        if (error instanceof ApiError && error.code === 'record.changed') {
          void redraw().then((drawn) => {
            if (!drawn) release()
            else restoreFocus(mark, home)
            showProblem(t('recordChanged'))
          })
          return
        }
        release()
        showError(error)
      },
    )
  }
}
