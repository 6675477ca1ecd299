import type { AnalystProfile } from '@amanat/domain'
import { api, ApiError } from '../api.ts'
import { field, h, whileBusy } from '../dom.ts'
import { t } from '../i18n/i18n.ts'
import { page } from '../state.ts'

/**
 * The two screens before any data: the passphrase (the server derives the keys; the passphrase
 * field is never autofilled or remembered), then the analyst profile to work under, picked from
 * the workspace's profiles or added.
 */
export function unlockScreen(
  view: HTMLElement,
  notice: string | null,
  done: (profiles: readonly AnalystProfile[]) => void,
): void {
  const input = h('input', {
    type: 'password',
    name: 'passphrase',
    autocomplete: 'off',
    required: true,
    id: 'passphrase',
  })
  const message = h('p', { class: 'message', role: 'alert' }, notice ?? '')
  const button = h('button', { type: 'submit' }, t('unlock'))
  const form = h(
    'form',
    { class: 'panel narrow', 'aria-labelledby': 'unlock-title' },
    h('h1', { id: 'unlock-title' }, t('unlockTitle')),
    h('p', { class: 'muted' }, page.workspace),
    h('p', {}, t('unlockHelp')),
    field(t('passphrase'), input),
    button,
    message,
  )
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    button.disabled = true
    button.textContent = t('unlocking')
    api
      .post<{ profiles: AnalystProfile[] }>('/api/unlock', { passphrase: input.value })
      .then((result) => {
        input.value = ''
        done(result.profiles)
      })
      .catch((error: unknown) => {
        message.textContent = error instanceof ApiError ? error.message : String(error)
        button.disabled = false
        button.textContent = t('unlock')
        input.select()
      })
  })
  view.replaceChildren(form)
  input.focus()
}

export function profileScreen(
  view: HTMLElement,
  profiles: readonly AnalystProfile[],
  done: (analyst: AnalystProfile) => void,
): void {
  const message = h('p', { class: 'message', role: 'alert' })
  // One request per press: a second press while the first is answered would add the profile twice.
  const choose = (button: HTMLButtonElement, body: unknown) => {
    whileBusy(button, () =>
      api
        .post<{ analyst: AnalystProfile }>('/api/profile', body)
        .then((result) => done(result.analyst))
        .catch((error: unknown) => {
          message.textContent = error instanceof Error ? error.message : String(error)
        }),
    )
  }
  const label = h('input', {
    type: 'text',
    name: 'label',
    maxlength: 60,
    required: true,
    autocomplete: 'off',
    dir: 'auto',
  })
  const addButton = h('button', { type: 'submit' }, t('profileAdd'))
  const add = h('form', { class: 'inline' }, field(t('profileNew'), label), addButton)
  add.addEventListener('submit', (event) => {
    event.preventDefault()
    choose(addButton, { label: label.value })
  })
  const buttons = profiles.map((profile) => {
    const button = h(
      'button',
      { type: 'button', class: 'profile' },
      t('profileUse', { label: profile.label }),
    )
    button.addEventListener('click', () => choose(button, { analystId: profile.id }))
    return h('li', {}, button)
  })
  view.replaceChildren(
    h(
      'section',
      { class: 'panel narrow', 'aria-labelledby': 'profile-title' },
      h('h1', { id: 'profile-title' }, t('profileTitle')),
      h('p', {}, t('profileHelp')),
      h('ul', { class: 'plain' }, buttons),
      add,
      message,
    ),
  )
  view.querySelector<HTMLButtonElement>('button.profile')?.focus()
}
