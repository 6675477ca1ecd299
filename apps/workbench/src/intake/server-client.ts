import {
  AmanatError,
  DeleteItemsResult,
  IntakeChainPage,
  IssueInvitesResult,
  PulledItemsPage,
  RevokeInvitesResult,
  type DeleteItemsRequest,
  type IntakeChainEntry,
  type IssueInvitesRequest,
  type PulledItem,
  type QuestionnaireId,
  type RevokeInvitesRequest,
} from '@amanat/domain'
import { z } from 'zod'

/**
 * The workbench's side of the intake protocol's admin routes (docs/intake-protocol.md §1, §2, §4),
 * over fetch. Every answer is parsed with its zod schema before anything uses it: the server is
 * not trusted, and a malformed answer is an integrity failure, not a crash.
 */
export interface IntakeServerClient {
  /** The server's base URL, as given. */
  readonly url: string
  /** `PUT /api/admin/questionnaires/<id>`: stores (or replaces) a signed questionnaire. */
  publish(questionnaireId: QuestionnaireId, signed: unknown): Promise<{ recipients: number }>
  /** `GET /q/<id>`: the signed questionnaire as served, or null when none is published. */
  fetchQuestionnaire(questionnaireId: QuestionnaireId): Promise<unknown>
  issueInvites(request: IssueInvitesRequest): Promise<IssueInvitesResult>
  revokeInvites(request: RevokeInvitesRequest): Promise<RevokeInvitesResult>
  /** One page of chain entries after `after` (empty at the end). */
  chainAfter(after: number): Promise<readonly IntakeChainEntry[]>
  /** One page of stored items after `after` (empty at the end). */
  itemsAfter(after: number): Promise<readonly PulledItem[]>
  /** An upload's age file, or null when the server has none under this id. */
  upload(uploadId: string): Promise<Uint8Array | null>
  deleteItems(request: DeleteItemsRequest): Promise<DeleteItemsResult>
}

export interface ServerClientOptions {
  readonly url: string
  /** The analyst credential; null for the public routes only. */
  readonly credential: string | null
  readonly fetch?: typeof fetch
  /**
   * How long the server may stay silent, in milliseconds (no answer yet, or no byte of it),
   * before a request is given up as `server.timeout`. Default 60 s: a slow link (Tor) still
   * moves bytes within that, a server that accepts and never answers does not.
   */
  readonly idleTimeoutMs?: number
  /** The longest one request may take in all, in milliseconds, however steadily it trickles. Default 30 min. */
  readonly requestTimeoutMs?: number
  /** The largest answers this client reads (bytes); a larger one is refused as `server.too_large`. */
  readonly maxBytes?: Partial<AnswerCaps>
}

/**
 * Caps on what the client reads from the server, which is not trusted (SECURITY-TESTS.md,
 * scenario a): a compromised server must not be able to exhaust the analyst's memory by sending
 * an endless answer. Each is far above anything a working server sends.
 */
export interface AnswerCaps {
  /** A JSON answer other than a page of items (chain pages, invites, deletions, a questionnaire). */
  readonly json: number
  /** A page of items: about 16 MiB of ciphertext in base64, or one larger item (a server with a raised text limit). */
  readonly items: number
  /** An upload's age file (the default attachment limit seals to about 32 MiB). */
  readonly upload: number
}

const MiB = 1024 * 1024
export const DEFAULT_ANSWER_CAPS: AnswerCaps = { json: 16 * MiB, items: 256 * MiB, upload: 512 * MiB }
const DEFAULT_IDLE_TIMEOUT_MS = 60_000
const DEFAULT_REQUEST_TIMEOUT_MS = 30 * 60_000

const PublishResult = z.object({ questionnaireId: z.string(), recipients: z.number().int().min(1) }).strict()

function unreachable(url: string, cause: unknown): AmanatError {
  return new AmanatError('input', 'server.unreachable', `The intake server at ${url} does not answer. Is it running, and is the address right?`, {}, { cause })
}

function timedOut(url: string, what: string, how: string): AmanatError {
  return new AmanatError(
    'input',
    'server.timeout',
    `The intake server at ${url} did not finish answering ${what} (${how}). Try again; if it keeps happening, check the server and the link to it.`,
    { what },
  )
}

const seconds = (ms: number) => `${String(Math.round(ms / 100) / 10)} s`

/** One request's two clocks: silence (every byte that arrives starts it again) and the whole request. */
class Deadline {
  readonly controller = new AbortController()
  /** Why the request was given up, once it was. */
  expired: string | null = null
  #idle: ReturnType<typeof setTimeout> | undefined
  readonly #total: ReturnType<typeof setTimeout>
  readonly #idleMs: number

  constructor(idleMs: number, totalMs: number) {
    this.#idleMs = idleMs
    this.#total = setTimeout(() => this.#expire(`it took more than ${seconds(totalMs)}`), totalMs)
    this.progress()
  }

  /** Something arrived: the silence starts again. */
  progress(): void {
    clearTimeout(this.#idle)
    this.#idle = setTimeout(() => this.#expire(`nothing came for ${seconds(this.#idleMs)}`), this.#idleMs)
  }

  #expire(how: string): void {
    this.expired ??= how
    this.controller.abort()
  }

  end(): void {
    clearTimeout(this.#idle)
    clearTimeout(this.#total)
  }
}

function tooLarge(what: string, cap: number): AmanatError {
  return new AmanatError(
    'integrity',
    'server.too_large',
    `The intake server's answer to ${what} is larger than ${cap >= MiB ? `${String(Math.round(cap / MiB))} MiB` : `${String(Math.round(cap / 1024))} KiB`}, which no working server sends; it was not read. Check the server.`,
    { what, cap },
  )
}

/** The error for a refusal (any status but 2xx). */
function refusal(status: number, what: string): AmanatError {
  if (status === 401) {
    return new AmanatError('input', 'server.credential_refused', 'The intake server refused the analyst credential. Give the one it printed on its first start with --credential.')
  }
  if (status === 404 && what.startsWith('questionnaire')) {
    return new AmanatError('input', 'server.unknown_questionnaire', 'The intake server has no such questionnaire: publish it first (amanat publish).')
  }
  if (status >= 500) {
    return new AmanatError('input', 'server.unavailable', `The intake server could not answer ${what} (status ${String(status)}); try again later.`, { status })
  }
  return new AmanatError('input', 'server.refused', `The intake server refused ${what} (status ${String(status)}).`, { status })
}

function badResponse(what: string): AmanatError {
  return new AmanatError('integrity', 'server.bad_response', `The intake server's answer to ${what} is not what the protocol says; nothing was changed.`, { what })
}

/** Normalises a server URL to its origin (`https://host[:port]`), the form the workspace records. */
export function serverOrigin(url: string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    throw new AmanatError('usage', 'usage.bad_server', `"${url}" is not a URL. Give the intake server as http(s)://host[:port].`)
  }
  if ((parsed.protocol !== 'https:' && parsed.protocol !== 'http:') || parsed.username !== '' || parsed.password !== '') {
    throw new AmanatError('usage', 'usage.bad_server', 'Give the intake server as http(s)://host[:port], without a user name or password.')
  }
  if ((parsed.pathname !== '/' && parsed.pathname !== '') || parsed.search !== '' || parsed.hash !== '') {
    throw new AmanatError('usage', 'usage.bad_server', 'Give the intake server by its origin only (http(s)://host[:port]), without a path.')
  }
  return parsed.origin
}

/**
 * A client for the intake server at `options.url`. Methods reject with AmanatError:
 * input `server.unreachable` (no connection), input `server.credential_refused` (401: the
 * credential is wrong or missing), input `server.unknown_questionnaire` (404 on a questionnaire
 * route), input `server.refused` (another 4xx), input `server.unavailable` (5xx), integrity
 * `server.bad_response` (an answer that does not parse).
 */
export function createServerClient(options: ServerClientOptions): IntakeServerClient {
  const base = serverOrigin(options.url)
  const fetchFn = options.fetch ?? fetch

  const idleMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS
  const totalMs = options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS
  const caps: AnswerCaps = { ...DEFAULT_ANSWER_CAPS, ...options.maxBytes }

  /** Sends one request and reads its whole answer, at most `cap` bytes, under the two clocks. */
  async function call(method: string, path: string, what: string, cap: number, body?: unknown, admin = true): Promise<Buffer> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (admin) {
      if (options.credential === null) throw new AmanatError('usage', 'server.no_credential', 'This needs the analyst credential.')
      headers.authorization = `Bearer ${options.credential}`
    }
    if (body !== undefined) headers['content-type'] = 'application/json'
    const deadline = new Deadline(idleMs, totalMs)
    const failed = (error: unknown) => (deadline.expired === null ? unreachable(base, error) : timedOut(base, what, deadline.expired))
    try {
      let response: Response
      try {
        response = await fetchFn(`${base}${path}`, {
          method,
          headers,
          redirect: 'error',
          signal: deadline.controller.signal,
          ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
        })
      } catch (error) {
        throw failed(error)
      }
      deadline.progress()
      if (!response.ok) {
        await response.body?.cancel().catch(() => undefined)
        throw refusal(response.status, what)
      }
      const declared = response.headers.get('content-length')
      if (declared !== null && Number(declared) > cap) {
        await response.body?.cancel().catch(() => undefined)
        throw tooLarge(what, cap)
      }
      if (response.body === null) return Buffer.alloc(0)
      const reader = response.body.getReader()
      const chunks: Uint8Array[] = []
      let total = 0
      for (;;) {
        let step: ReadableStreamReadResult<Uint8Array>
        try {
          step = await reader.read()
        } catch (error) {
          throw failed(error)
        }
        if (step.done) break
        deadline.progress()
        total += step.value.length
        if (total > cap) {
          await reader.cancel().catch(() => undefined)
          throw tooLarge(what, cap)
        }
        chunks.push(step.value)
      }
      return Buffer.concat(chunks, total)
    } finally {
      deadline.end()
    }
  }

  function json<S extends z.ZodType>(answer: Buffer, schema: S, what: string): z.infer<S> {
    let value: unknown
    try {
      value = JSON.parse(answer.toString('utf8'))
    } catch {
      throw badResponse(what)
    }
    const parsed = schema.safeParse(value)
    if (!parsed.success) throw badResponse(what)
    return parsed.data
  }

  return {
    url: base,
    async publish(questionnaireId, signed) {
      const answer = await call('PUT', `/api/admin/questionnaires/${questionnaireId}`, 'questionnaire publishing', caps.json, JSON.stringify(signed))
      const result = json(answer, PublishResult, 'publishing')
      if (result.questionnaireId !== questionnaireId) throw badResponse('publishing')
      return { recipients: result.recipients }
    },
    async fetchQuestionnaire(questionnaireId) {
      let answer: Buffer
      try {
        answer = await call('GET', `/q/${questionnaireId}`, 'questionnaire fetch', caps.json, undefined, false)
      } catch (error) {
        if (error instanceof AmanatError && error.code === 'server.unknown_questionnaire') return null
        throw error
      }
      return json(answer, z.unknown(), 'the questionnaire')
    },
    async issueInvites(request) {
      return json(await call('POST', '/api/admin/invites', 'questionnaire invites', caps.json, request), IssueInvitesResult, 'issuing invites')
    },
    async revokeInvites(request) {
      return json(await call('POST', '/api/admin/invites/revoke', 'revoking', caps.json, request), RevokeInvitesResult, 'revoking invites')
    },
    async chainAfter(after) {
      const page = json(await call('GET', `/api/admin/chain?after=${String(after)}`, 'the chain request', caps.json), IntakeChainPage, 'the chain request')
      return page.entries
    },
    async itemsAfter(after) {
      const answer = await call('GET', `/api/admin/submissions?after=${String(after)}`, 'the submissions request', caps.items)
      return json(answer, PulledItemsPage, 'the submissions request').items
    },
    async upload(uploadId) {
      try {
        return new Uint8Array(await call('GET', `/api/admin/uploads/${encodeURIComponent(uploadId)}`, 'an upload request', caps.upload))
      } catch (error) {
        if (error instanceof AmanatError && error.code === 'server.refused' && error.details.status === 404) return null
        throw error
      }
    },
    async deleteItems(request) {
      return json(await call('POST', '/api/admin/submissions/delete', 'the deletion', caps.json, request), DeleteItemsResult, 'the deletion')
    },
  }
}
