import { Hono } from 'hono'
import { utcToday, type Clock } from './clock.ts'
import { InflightBudget } from './http/body.ts'
import { securityHeaders } from './http/security-headers.ts'
import type { StaticFiles } from './http/static-files.ts'
import { byteLimits, DEFAULT_LIMITS, type IntakeLimits } from './limits.ts'
import { errorCode, Problem, problems } from './problems.ts'
import { DEFAULT_RATE_LIMITS, KeyedRateLimiter, TokenBucket, type RateLimits } from './rate-limit.ts'
import { adminAuth, adminRoutes } from './routes/admin.ts'
import { RecipientCountCache, type RouteContext } from './routes/context.ts'
import { intakeRoutes } from './routes/intake.ts'
import { questionnaireRoutes } from './routes/questionnaires.ts'
import { staticRoutes } from './routes/static.ts'
import { DEFAULT_GROUP_COMMIT, GroupCommitter, type GroupCommitOptions } from './storage/group-commit.ts'
import type { IntakeStore } from './storage/intake-store.ts'

/** What the intake server is built from; `main.ts` wires the real ones, tests their own. */
export interface AppDeps {
  readonly store: IntakeStore
  /** The SHA-256 of the analyst credential (`ensureCredential`). */
  readonly credentialHash: string
  readonly clock?: Clock
  readonly limits?: IntakeLimits
  readonly rateLimits?: RateLimits
  readonly groupCommit?: Partial<GroupCommitOptions>
  /** The questionnaire page's files, or null to serve none. */
  readonly staticFiles?: StaticFiles | null
  /** True when served over TLS (adds HSTS). */
  readonly tls?: boolean
  /** Bytes all requests in flight may hold between them. */
  readonly inflightBytes?: number
  /**
   * Benchmarks only: `discard` makes POST /api/submissions read the body and acknowledge it
   * without a single check or write (the ceiling the real route is compared with).
   */
  readonly benchmark?: 'discard'
  /** Told once when a write to the store fails and the server stops accepting. */
  readonly onStorageFailure?: (error: unknown) => void
  /** Where an unexpected error's code goes (never its message, stack or any request data). */
  readonly logError?: (line: string) => void
}

/** The app, and the committer behind it (to drain it on shutdown). */
export interface IntakeApp {
  readonly app: Hono
  readonly committer: GroupCommitter
  /** Stops the server accepting anything, after a write outside the app failed. */
  readonly failClosed: (error: unknown) => void
}

const DEFAULT_INFLIGHT_BYTES = 96 * 1024 * 1024

function problemResponse(problem: Problem): Response {
  return new Response(JSON.stringify({ error: problem.code, message: problem.message }), {
    status: problem.status,
    headers: problem.status === 429 ? { 'Content-Type': 'application/json', 'Retry-After': '1' } : { 'Content-Type': 'application/json' },
  })
}

/**
 * Builds the intake server: routes, security headers on every response, one error catalog. Call
 * `app.request(…)` in tests or hand `app.fetch` to @hono/node-server. The server logs nothing
 * about requests: no access log, and an unexpected error is reported by code only.
 */
export function createIntakeApp(deps: AppDeps): IntakeApp {
  const clock = deps.clock ?? utcToday
  const rates = deps.rateLimits ?? DEFAULT_RATE_LIMITS
  let failed = false
  const failClosed = (error: unknown) => {
    if (failed) return
    failed = true
    deps.onStorageFailure?.(error)
  }
  const committer = new GroupCommitter(deps.store, clock, {
    ...DEFAULT_GROUP_COMMIT,
    ...deps.groupCommit,
    onFailure: failClosed,
  })
  const ctx: RouteContext = {
    store: deps.store,
    committer,
    clock,
    bytes: byteLimits(deps.limits ?? DEFAULT_LIMITS),
    perInvite: new KeyedRateLimiter(rates.perInviteBurst, rates.perInvitePerSecond),
    global: new TokenBucket(rates.globalBurst, rates.globalPerSecond),
    budget: new InflightBudget(deps.inflightBytes ?? DEFAULT_INFLIGHT_BYTES),
    recipientCounts: new RecipientCountCache(deps.store),
    credentialHash: deps.credentialHash,
    discardSubmissions: deps.benchmark === 'discard',
    failClosed: (error) => {
      committer.stop()
      failClosed(error)
    },
  }

  const app = new Hono()
  app.use('*', securityHeaders(deps.tls ?? false))
  adminAuth(app, ctx)
  intakeRoutes(app, ctx)
  questionnaireRoutes(app, ctx)
  adminRoutes(app, ctx)
  staticRoutes(app, deps.staticFiles ?? null)
  app.notFound(() => problemResponse(problems.notFound()))
  app.onError((error) => {
    if (error instanceof Problem) return problemResponse(error)
    deps.logError?.(`intake server: unexpected error ${errorCode(error)}`)
    return problemResponse(problems.unavailable())
  })
  return { app, committer, failClosed: ctx.failClosed }
}

/** {@link createIntakeApp}, returning only the Hono app (for `app.request(…)` in tests). */
export function createApp(deps: AppDeps): Hono {
  return createIntakeApp(deps).app
}
