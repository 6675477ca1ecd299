import { AnalystId, AnalystProfile, usageError } from '@amanat/domain'
import { Hono } from 'hono'
import { setCookie } from 'hono/cookie'
import { z } from 'zod'
import { addAnalyst, listAnalysts } from '../../service/session.ts'
import { jsonBody } from '../api-errors.ts'
import { refusal } from '../http-guards.ts'
import type { UiSession, Unlocked } from '../ui-session.ts'

/** The session cookie's name. HttpOnly and SameSite=Strict: the page's scripts never see it. */
export const SESSION_COOKIE = 'amanat-session'

const Exchange = z.object({ token: z.string().min(1).max(100) }).strict()
const Unlock = z.object({ passphrase: z.string().min(1).max(1000) }).strict()
const ChooseProfile = z.union([
  z.object({ analystId: AnalystId }).strict(),
  z.object({ label: AnalystProfile.shape.label }).strict(),
])

function analystOf(unlocked: Unlocked | null): AnalystProfile | null {
  return unlocked?.chosen === true ? unlocked.service.analyst : null
}

/**
 * The routes before any data: exchanging the link token, the lock state, unlocking, choosing or
 * adding an analyst profile, locking, and the page's activity ping. `/api/session` is the only
 * API route reachable without the cookie.
 */
export function sessionRoutes(session: UiSession, workspaceName: string): Hono {
  const app = new Hono()

  app.post('/session', async (c) => {
    const { token } = await jsonBody(c, Exchange)
    const cookie = session.exchange(token)
    if (cookie === null) {
      return refusal(
        403,
        'session.bad_token',
        'This link was used already or is not this workbench’s. Start the workbench again for a new one.',
      )
    }
    setCookie(c, SESSION_COOKIE, cookie, { httpOnly: true, sameSite: 'Strict', path: '/' })
    return c.json({ ok: true })
  })

  // The state poll does not count as activity: an open, untouched page must still lock.
  app.get('/state', async (c) => {
    const unlocked = session.unlocked
    return c.json({
      workspace: workspaceName,
      locked: unlocked === null,
      analyst: analystOf(unlocked),
      profiles: unlocked === null ? [] : await listAnalysts(unlocked.service),
    })
  })

  app.post('/unlock', async (c) => {
    const { passphrase } = await jsonBody(c, Unlock)
    const unlocked = await session.unlock(passphrase)
    return c.json({ analyst: analystOf(unlocked), profiles: await listAnalysts(unlocked.service) })
  })

  app.post('/profile', async (c) => {
    const unlocked = session.unlocked
    if (unlocked === null) throw usageError('session.locked', 'The workbench is locked.')
    const choice = await jsonBody(c, ChooseProfile)
    const id =
      'analystId' in choice ? choice.analystId : (await addAnalyst(unlocked.service, choice.label)).id
    await unlocked.service.useAnalyst(id)
    unlocked.chosen = true
    return c.json({ analyst: unlocked.service.analyst })
  })

  app.post('/lock', async (c) => {
    await session.lock()
    return c.json({ locked: true })
  })

  // Activity itself: every request but the state poll restarts the idle clock (app.ts).
  app.post('/activity', (c) => c.json({ locked: session.unlocked === null }))

  return app
}
