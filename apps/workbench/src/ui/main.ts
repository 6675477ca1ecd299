import type { AnalystProfile, Codebook } from '@amanat/domain'
import { api, ApiError, whenLocked } from './api.ts'
import { focusHeading, h, select } from './dom.ts'
import {
  isUiLanguage,
  LANGUAGE_NAMES,
  preferredLanguage,
  setUiLanguage,
  t,
  uiLanguage,
  UI_LANGUAGES,
} from './i18n/i18n.ts'
import { agreementScreen } from './screens/agreement.ts'
import { dashboardScreen } from './screens/dashboard.ts'
import { helpScreen } from './screens/help.ts'
import { inboxScreen } from './screens/inbox.ts'
import { interviewScreen } from './screens/interview.ts'
import { readerScreen } from './screens/reader.ts'
import { recodeScreen } from './screens/recode.ts'
import { searchScreen } from './screens/search.ts'
import { profileScreen, unlockScreen } from './screens/unlock.ts'
import { installShortcuts, setGlobalShortcuts, setShortcuts } from './shortcuts.ts'
import { forget, page } from './state.ts'

/**
 * The workbench page: exchanges the link's one-time token for the session cookie (and takes the
 * token out of the address bar and history at once), then shows the unlock screen, the profile
 * picker, and the screens, routed by the fragment (`#/inbox`, `#/t/<respondent>/<testimony>`, …).
 * A state poll notices an idle lock; the page then wipes every screen before asking for the
 * passphrase again.
 */

interface State {
  workspace: string
  locked: boolean
  analyst: AnalystProfile | null
  profiles: AnalystProfile[]
}

const STATE_POLL_MS = 3000
const ACTIVITY_PING_MS = 20_000

const root = document.getElementById('app') ?? document.body
let view = h('main', { id: 'view', tabindex: -1 })
let showingData = false

function render(): void {
  if (page.analyst === null) return
  const [, name = 'inbox', ...rest] = (location.hash || '#/inbox').slice(1).split('/')
  setShortcuts({})
  let drawn: Promise<unknown> = Promise.resolve()
  switch (name) {
    case 't':
      drawn = readerScreen(view, rest[0] ?? '', rest[1] ?? '')
      break
    case 'search':
      searchScreen(view)
      break
    case 'dashboard':
      dashboardScreen(view)
      break
    case 'interview':
      interviewScreen(view)
      break
    case 'agreement':
      agreementScreen(view)
      break
    case 'recode':
      recodeScreen(view)
      break
    case 'help':
      helpScreen(view)
      break
    default:
      inboxScreen(view)
  }
  // A new screen: the keyboard (and a screen reader) starts at its heading rather than where the
  // old screen was, unless the screen put it somewhere itself (the search box).
  const shown = view
  void drawn.then(() => {
    if (shown.isConnected && !shown.contains(document.activeElement)) focusHeading(shown)
  })
}

function languagePicker(): HTMLElement {
  const picker = select(
    'language',
    UI_LANGUAGES.map((l) => [l, LANGUAGE_NAMES[l]] as const),
    uiLanguage(),
  )
  picker.id = 'language'
  picker.addEventListener('change', () => {
    if (isUiLanguage(picker.value)) setUiLanguage(picker.value)
    void start()
  })
  return h('label', { class: 'language' }, h('span', { class: 'field-label' }, t('language')), picker)
}

function header(): HTMLElement {
  const nav = (
    [
      ['#/inbox', 'navInbox'],
      ['#/search', 'navSearch'],
      ['#/dashboard', 'navDashboard'],
      ['#/interview', 'navInterview'],
      ['#/agreement', 'navAgreement'],
      ['#/recode', 'navRecode'],
      ['#/help', 'navHelp'],
    ] as const
  ).map(([href, key]) => h('a', { href }, t(key)))
  const lock = h('button', { type: 'button', id: 'lock' }, t('lock'))
  lock.addEventListener('click', () => {
    void api.post('/api/lock').then(() => locked(null))
  })
  return h(
    'header',
    { class: 'top' },
    h('strong', {}, t('appName')),
    h('nav', { 'aria-label': t('appName') }, nav),
    page.analyst === null ? null : h('bdi', { class: 'analyst', dir: 'auto' }, page.analyst.label),
    languagePicker(),
    lock,
  )
}

/** Shows the whole page around `view` (header only once unlocked). */
function frame(withHeader: boolean): void {
  view = h('main', { id: 'view', tabindex: -1 })
  root.replaceChildren(
    ...(withHeader
      ? [header()]
      : [h('header', { class: 'top' }, h('strong', {}, t('appName')), languagePicker())]),
    view,
  )
}

/** Wipes everything shown and asks for the passphrase. */
function locked(notice: string | null): void {
  showingData = false
  forget()
  frame(false)
  unlockScreen(view, notice, (profiles) => {
    profileScreen(view, profiles, (analyst) => void opened(analyst))
  })
}

async function opened(analyst: AnalystProfile): Promise<void> {
  page.analyst = analyst
  page.codebook = (await api.get<{ codebook: Codebook }>('/api/codebook')).codebook
  showingData = true
  frame(true)
  render()
}

async function start(): Promise<void> {
  let state: State
  try {
    state = await api.get<State>('/api/state')
  } catch (error) {
    frame(false)
    view.replaceChildren(
      h(
        'p',
        { class: 'panel narrow message', role: 'alert' },
        error instanceof ApiError && error.status === 401 ? t('noSession') : String(error),
      ),
    )
    return
  }
  page.workspace = state.workspace
  if (state.locked) locked(null)
  else if (state.analyst === null) {
    frame(false)
    profileScreen(view, state.profiles, (analyst) => void opened(analyst))
  } else await opened(state.analyst)
}

/** The fragment's one-time token, exchanged for the cookie; the fragment is cleared first. */
async function exchangeToken(): Promise<string | null> {
  const match = /^#token=([A-Za-z0-9_-]+)$/.exec(location.hash)
  if (match?.[1] === undefined) return null
  history.replaceState(null, '', '/')
  try {
    await api.post('/api/session', { token: match[1] })
    return null
  } catch (error) {
    return error instanceof ApiError && error.status === 403 ? t('linkUsed') : String(error)
  }
}

function watchLock(): void {
  setInterval(() => {
    if (!showingData) return
    api
      .get<State>('/api/state')
      .then((state) => {
        if (state.locked) locked(t('idleLocked'))
      })
      .catch(() => undefined)
  }, STATE_POLL_MS)
  let lastPing = Date.now()
  const ping = () => {
    if (!showingData || Date.now() - lastPing < ACTIVITY_PING_MS) return
    lastPing = Date.now()
    void api.post('/api/activity').catch(() => undefined)
  }
  document.addEventListener('keydown', ping)
  document.addEventListener('pointerdown', ping)
}

async function boot(): Promise<void> {
  setUiLanguage(preferredLanguage(navigator.languages))
  whenLocked(() => {
    if (showingData) locked(t('idleLocked'))
  })
  installShortcuts()
  setGlobalShortcuts({
    '/': () => (location.hash = '#/search'),
    '?': () => (location.hash = '#/help'),
  })
  window.addEventListener('hashchange', render)
  const problem = await exchangeToken()
  if (problem !== null) {
    // A spent link: this browser may still hold a session from its first use.
    const known = await api.get<State>('/api/state').then(
      () => true,
      () => false,
    )
    if (!known) {
      frame(false)
      view.replaceChildren(h('p', { class: 'panel narrow message', role: 'alert' }, problem))
      return
    }
  }
  await start()
  watchLock()
}

void boot()
