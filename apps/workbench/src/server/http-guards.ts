import type { MiddlewareHandler } from 'hono'

/**
 * The workbench's first line of defence, in front of every route. It serves plaintext testimonies
 * on 127.0.0.1, where every web page the analyst has open elsewhere can reach it, so:
 *
 * - **Host** must be exactly the address we printed: a page on another name that resolves to
 *   127.0.0.1 (DNS rebinding) gets nothing, not even the page.
 * - **Writes** (anything but GET/HEAD) must come from our own origin (`Origin`, and
 *   `Sec-Fetch-Site` when the browser sends it) and carry JSON, which no cross-site form can send
 *   (CSRF). The session cookie is SameSite=Strict as well; these checks do not rely on it.
 * - Every response carries a strict CSP (no inline script, nothing from anywhere but this
 *   origin), forbids framing and caching, and sends no Referer.
 */

/** Headers on every response. `img-src blob:` is for attachments the page has already fetched. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
}

/** A refusal: JSON with a stable code and a plain message, and the security headers. */
export function refusal(status: 401 | 403 | 404 | 415 | 423, code: string, message: string): Response {
  return new Response(JSON.stringify({ error: code, message }), {
    status,
    headers: { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' },
  })
}

const SAFE_METHODS = new Set(['GET', 'HEAD'])

/**
 * The guard middleware. `origin()` is `http://127.0.0.1:<port>`, known once the server listens
 * (a function, because the port may be picked by the system).
 */
export function requestGuards(origin: () => string): MiddlewareHandler {
  return async function requestGuards(c, next) {
    const expected = origin()
    const host = c.req.header('host')
    if (host === undefined || `http://${host}` !== expected) {
      return refusal(403, 'host.refused', 'This workbench answers only at the address it printed.')
    }
    if (!SAFE_METHODS.has(c.req.method)) {
      const fetchSite = c.req.header('sec-fetch-site')
      if (c.req.header('origin') !== expected || (fetchSite !== undefined && fetchSite !== 'same-origin')) {
        return refusal(403, 'origin.refused', 'Changes are accepted only from the workbench page itself.')
      }
      const type = c.req.header('content-type') ?? ''
      if (!type.startsWith('application/json')) {
        return refusal(415, 'request.not_json', 'The workbench accepts JSON only.')
      }
    }
    await next()
    // A route may set a stricter value of its own (attachments: a sandboxing CSP).
    for (const [name, value] of Object.entries(SECURITY_HEADERS))
      if (!c.res.headers.has(name)) c.res.headers.set(name, value)
    return undefined
  }
}
