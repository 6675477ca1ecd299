/**
 * The page's only door to the workbench server: same-origin JSON over fetch, with the session
 * cookie (HttpOnly: this code never sees it). A refusal arrives as `{ error, message }` and is
 * thrown as an {@link ApiError}; a locked workbench (423) also tells the page to show the unlock
 * screen, whatever was on it.
 */
export class ApiError extends Error {
  readonly code: string
  readonly status: number
  constructor(status: number, code: string, message: string) {
    super(message)
    this.status = status
    this.code = code
  }
}

let onLocked: () => void = () => undefined

/** Who to tell when the server says the workbench is locked. */
export function whenLocked(listener: () => void): void {
  onLocked = listener
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(path, {
    method,
    credentials: 'same-origin',
    cache: 'no-store',
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  const json = (await response.json().catch(() => ({}))) as { error?: string; message?: string }
  if (!response.ok) {
    if (response.status === 423) onLocked()
    throw new ApiError(
      response.status,
      json.error ?? 'http',
      json.message ?? `HTTP ${String(response.status)}`,
    )
  }
  return json as T
}

export const api = {
  get: <T>(path: string) => call<T>('GET', path),
  post: <T>(path: string, body: unknown = {}) => call<T>('POST', path, body),
  delete: <T>(path: string) => call<T>('DELETE', path, {}),
}

/** A query string from the defined, non-empty values of `params`. */
export function query(params: Readonly<Record<string, string | number | null | undefined>>): string {
  const search = new URLSearchParams()
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value))
  const text = search.toString()
  return text === '' ? '' : `?${text}`
}
