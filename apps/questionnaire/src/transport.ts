import { AmanatError, CONSTANT_ACK } from '@amanat/domain'

/**
 * The page's only way to talk to its server: same-origin POSTs of one JSON header line, a line
 * feed and opaque bytes (docs/intake-protocol.md §3), with retries on a bad link. The token is
 * always inside the body, never in a URL.
 */

/** What the page needs from the platform to send; tests pass their own. */
export interface Transport {
  fetch(url: string, init: RequestInit): Promise<Response>
  /** Waits `ms` milliseconds (backoff between retries). */
  sleep(ms: number): Promise<void>
}

/** How long to keep trying over a bad link before giving the respondent a "try again" button. */
export interface RetryPolicy {
  /** Consecutive failed attempts before giving up (progress resets the count). */
  readonly attempts: number
  readonly baseDelayMs: number
  readonly maxDelayMs: number
}

/** About a minute and a half of retries: long enough for a Tor circuit to be rebuilt. */
export const DEFAULT_RETRY: RetryPolicy = { attempts: 7, baseDelayMs: 1000, maxDelayMs: 30_000 }

/** The browser's own fetch and timers. */
export function browserTransport(): Transport {
  return {
    fetch: (url, init) => globalThis.fetch(url, init),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  }
}

/** Exponential backoff with jitter (so many phones behind one failed relay do not retry in step). */
export function backoffDelay(policy: RetryPolicy, failures: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, failures - 1))
  return Math.round(ceiling / 2 + (random() * ceiling) / 2)
}

/** The server refused the request for good (400, 413…): retrying the same bytes cannot help. */
export function refused(status: number): AmanatError {
  return new AmanatError('input', 'send.refused', 'The server refused what the page sent.', { status })
}

/** The link failed for longer than the retry policy allows; the same bytes may be sent again later. */
export function unreachable(): AmanatError {
  return new AmanatError('input', 'send.unreachable', 'The server could not be reached.')
}

// Requests the page sends carry no cookie, no referrer and follow no redirect: a redirect to another
// origin could only come from something between the page and its server.
const REQUEST_DEFAULTS: RequestInit = {
  method: 'POST',
  credentials: 'omit',
  cache: 'no-store',
  redirect: 'error',
  referrerPolicy: 'no-referrer',
  mode: 'same-origin',
}

/** One JSON line, a line feed, then `bytes`: the body of every sealed POST. */
export function framedBody(header: unknown, bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const line = new TextEncoder().encode(`${JSON.stringify(header)}\n`)
  const body = new Uint8Array(line.length + bytes.length)
  body.set(line)
  body.set(bytes, line.length)
  return body
}

const transient = (status: number) => status === 408 || status === 429 || status >= 500

/**
 * POSTs once. Returns true when the server gave its constant acknowledgement, false for a failure
 * a retry may cure: a network error, 408, 429, 5xx, or a 200 that is not the acknowledgement (a
 * captive portal's page must never pass for a delivered testimony).
 *
 * `credentials` is 'omit' except where a response header must take effect: browsers ignore
 * `Clear-Site-Data` on an uncredentialed response (Chromium says so in the console), and the page
 * sets no cookie, so 'same-origin' sends nothing more.
 *
 * @throws AmanatError input `send.refused` for any other status.
 */
export async function postOnce(
  transport: Transport,
  url: string,
  body: Uint8Array<ArrayBuffer>,
  contentType: string,
  credentials: RequestCredentials = 'omit',
): Promise<boolean> {
  let response: Response
  try {
    response = await transport.fetch(url, { ...REQUEST_DEFAULTS, credentials, headers: { 'content-type': contentType }, body })
  } catch {
    return false
  }
  const text = await response.text().catch(() => '')
  if (response.status === 200) return text.trim() === CONSTANT_ACK
  if (transient(response.status)) return false
  throw refused(response.status)
}

/**
 * POSTs JSON once and returns the parsed answer, or null for a failure a retry may cure (as
 * {@link postOnce}, or an answer that is not JSON).
 *
 * @throws AmanatError input `send.refused` for a status other than 200, 408, 429 and 5xx.
 */
export async function postJson(transport: Transport, url: string, value: unknown): Promise<{ readonly value: unknown } | null> {
  let response: Response
  try {
    response = await transport.fetch(url, {
      ...REQUEST_DEFAULTS,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(value),
    })
  } catch {
    return null
  }
  if (transient(response.status)) return null
  if (response.status !== 200) throw refused(response.status)
  try {
    return { value: (await response.json()) as unknown }
  } catch {
    return null
  }
}
