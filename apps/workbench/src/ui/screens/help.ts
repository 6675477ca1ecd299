import { h } from '../dom.ts'
import { t } from '../i18n/i18n.ts'
import { SHORTCUT_HELP } from '../shortcuts.ts'

/** The keyboard shortcuts, as a definition list (`?` opens it from anywhere). */
export function helpScreen(view: HTMLElement): void {
  view.replaceChildren(
    h('h1', {}, t('helpTitle')),
    h(
      'dl',
      { class: 'shortcuts' },
      SHORTCUT_HELP.flatMap(([key, message]) => [h('dt', {}, h('kbd', {}, key)), h('dd', {}, t(message))]),
    ),
  )
}
