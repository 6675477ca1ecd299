import { usageError } from '@amanat/domain'
import { Hono, type MiddlewareHandler } from 'hono'
import { getCookie } from 'hono/cookie'
import { answerError } from './api-errors.ts'
import { refusal, requestGuards } from './http-guards.ts'
import { analysisRoutes } from './routes/analysis-routes.ts'
import { codingRoutes } from './routes/coding-routes.ts'
import { intakeRoutes } from './routes/intake-routes.ts'
import { recordRoutes } from './routes/record-routes.ts'
import type { Work } from './routes/route-kit.ts'
import { SESSION_COOKIE, sessionRoutes } from './routes/session-routes.ts'
import { storyRoutes } from './routes/story-routes.ts'
import { vaultRoutes } from './routes/vault-routes.ts'
import type { UiSession } from './ui-session.ts'
import { UI_CONTENT_TYPES, type UiFiles } from './ui-files.ts'

export interface WorkbenchAppDeps {
  readonly session: UiSession
  readonly ui: UiFiles
  /** `http://127.0.0.1:<port>`, once listening. */
  readonly origin: () => string
  readonly workspaceName: string
  readonly log: (line: string) => void
  /** How long an intake server may send nothing before a pull gives up (server-client.ts). */
  readonly serverTimeoutMs?: number
}

/**
 * The workbench's HTTP app: guards first (http-guards.ts), then the page's three files (public:
 * they hold code, never data), `/api/session` (the link token), and everything else under
 * `/api` only with the session cookie; data routes also need the workspace unlocked and an
 * analyst profile chosen, whose id is recorded as the author of every change.
 */
export function createWorkbenchApp(deps: WorkbenchAppDeps): Hono {
  const { session } = deps
  const app = new Hono()
  app.use('*', requestGuards(deps.origin))
  app.onError((error) => answerError(error, deps.log))

  const file = (name: keyof UiFiles) => () =>
    new Response(deps.ui[name] as Uint8Array<ArrayBuffer>, {
      headers: { 'Content-Type': UI_CONTENT_TYPES[name] },
    })
  app.get('/', file('index.html'))
  app.get('/app.js', file('app.js'))
  app.get('/app.css', file('app.css'))

  const requireSession: MiddlewareHandler = async (c, next) => {
    if (c.req.path === '/api/session' && c.req.method === 'POST') return next()
    if (!session.knows(getCookie(c, SESSION_COOKIE))) {
      return refusal(401, 'session.none', 'Open the workbench with the link it printed.')
    }
    // The state poll is not activity: an open page nobody touches must still lock. Nor is the
    // lock, which waits for the requests being answered and so must not be one of them.
    if (c.req.path === '/api/state' || c.req.path === '/api/lock') return next()
    return session.during(next)
  }
  app.use('/api/*', requireSession)
  // A recode in another process (a second workbench on a team's store) moves the codebook on:
  // each data request takes up the version in force first (one indexed lookup when unchanged).
  app.use('/api/*', async (c, next) => {
    const unlocked = session.unlocked
    if (unlocked?.chosen === true && c.req.path !== '/api/state') await unlocked.service.refresh()
    return next()
  })

  const openWork = (): Work => {
    const unlocked = session.unlocked
    if (unlocked === null)
      throw usageError('session.locked', 'The workbench is locked; unlock it with the workspace passphrase.')
    if (!unlocked.chosen) throw usageError('profile.none', 'Choose an analyst profile first.')
    return {
      service: unlocked.service,
      search: () => unlocked.opened.search(),
      intake: unlocked.opened.intake,
      vault: unlocked.opened.vault,
    }
  }
  app.route('/api', sessionRoutes(session, deps.workspaceName))
  app.route('/api', recordRoutes(openWork))
  app.route('/api', codingRoutes(openWork))
  app.route('/api', analysisRoutes(openWork))
  app.route('/api', storyRoutes(openWork))
  app.route('/api', vaultRoutes(openWork))
  app.route(
    '/api',
    intakeRoutes(() => openWork().intake, deps.serverTimeoutMs),
  )
  app.all('*', () => refusal(404, 'not_found', 'There is nothing here.'))
  return app
}
