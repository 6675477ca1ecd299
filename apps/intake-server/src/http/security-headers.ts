import type { MiddlewareHandler } from 'hono'

/**
 * The headers every response carries, whatever route or error produced it (T14): a CSP that
 * allows only this origin's own scripts and styles (no inline script), no caching, no referrer,
 * no sniffing, isolation from other origins, no powerful features; HSTS when served over TLS.
 */
export const CONTENT_SECURITY_POLICY =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; " +
  "form-action 'none'; base-uri 'none'; frame-ancestors 'none'"

/** The security headers, by name. */
export function securityHeaderValues(tls: boolean): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'Cache-Control': 'no-store',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Permissions-Policy': 'geolocation=(), camera=(), microphone=(), interest-cohort=()',
    'X-Frame-Options': 'DENY',
  }
  if (tls) headers['Strict-Transport-Security'] = 'max-age=63072000; includeSubDomains'
  return Object.freeze(headers)
}

/** Middleware that sets {@link securityHeaderValues} on every response. */
export function securityHeaders(tls: boolean): MiddlewareHandler {
  const headers = Object.entries(securityHeaderValues(tls))
  return async (c, next) => {
    await next()
    for (const [name, value] of headers) c.res.headers.set(name, value)
  }
}
