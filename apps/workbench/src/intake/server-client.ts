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
}

const PublishResult = z.object({ questionnaireId: z.string(), recipients: z.number().int().min(1) }).strict()

function unreachable(url: string, cause: unknown): AmanatError {
  return new AmanatError('input', 'server.unreachable', `The intake server at ${url} does not answer. Is it running, and is the address right?`, {}, { cause })
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

  async function call(method: string, path: string, what: string, body?: unknown, admin = true): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' }
    if (admin) {
      if (options.credential === null) throw new AmanatError('usage', 'server.no_credential', 'This needs the analyst credential.')
      headers.authorization = `Bearer ${options.credential}`
    }
    if (body !== undefined) headers['content-type'] = 'application/json'
    let response: Response
    try {
      response = await fetchFn(`${base}${path}`, {
        method,
        headers,
        redirect: 'error',
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      })
    } catch (error) {
      throw unreachable(base, error)
    }
    if (response.ok) return response
    await response.body?.cancel()
    if (response.status === 401) {
      throw new AmanatError('input', 'server.credential_refused', 'The intake server refused the analyst credential. Give the one it printed on its first start with --credential.')
    }
    if (response.status === 404 && what.startsWith('questionnaire')) {
      throw new AmanatError('input', 'server.unknown_questionnaire', 'The intake server has no such questionnaire: publish it first (amanat publish).')
    }
    if (response.status >= 500) {
      throw new AmanatError('input', 'server.unavailable', `The intake server could not answer ${what} (status ${String(response.status)}); try again later.`, { status: response.status })
    }
    throw new AmanatError('input', 'server.refused', `The intake server refused ${what} (status ${String(response.status)}).`, { status: response.status })
  }

  async function json<S extends z.ZodType>(response: Response, schema: S, what: string): Promise<z.infer<S>> {
    let value: unknown
    try {
      value = await response.json()
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
      const response = await call('PUT', `/api/admin/questionnaires/${questionnaireId}`, 'questionnaire publishing', JSON.stringify(signed))
      const result = await json(response, PublishResult, 'publishing')
      if (result.questionnaireId !== questionnaireId) throw badResponse('publishing')
      return { recipients: result.recipients }
    },
    async fetchQuestionnaire(questionnaireId) {
      let response: Response
      try {
        response = await call('GET', `/q/${questionnaireId}`, 'questionnaire fetch', undefined, false)
      } catch (error) {
        if (error instanceof AmanatError && error.code === 'server.unknown_questionnaire') return null
        throw error
      }
      return json(response, z.unknown(), 'the questionnaire')
    },
    async issueInvites(request) {
      return json(await call('POST', '/api/admin/invites', 'questionnaire invites', request), IssueInvitesResult, 'issuing invites')
    },
    async revokeInvites(request) {
      return json(await call('POST', '/api/admin/invites/revoke', 'revoking', request), RevokeInvitesResult, 'revoking invites')
    },
    async chainAfter(after) {
      const page = await json(await call('GET', `/api/admin/chain?after=${String(after)}`, 'the chain request'), IntakeChainPage, 'the chain request')
      return page.entries
    },
    async itemsAfter(after) {
      const page = await json(await call('GET', `/api/admin/submissions?after=${String(after)}`, 'the submissions request'), PulledItemsPage, 'the submissions request')
      return page.items
    },
    async upload(uploadId) {
      let response: Response
      try {
        response = await call('GET', `/api/admin/uploads/${encodeURIComponent(uploadId)}`, 'an upload request')
      } catch (error) {
        if (error instanceof AmanatError && error.code === 'server.refused' && error.details.status === 404) return null
        throw error
      }
      return new Uint8Array(await response.arrayBuffer())
    },
    async deleteItems(request) {
      return json(await call('POST', '/api/admin/submissions/delete', 'the deletion', request), DeleteItemsResult, 'the deletion')
    },
  }
}
