import { AmanatError, type ErrorKind } from '@amanat/domain'

/**
 * Every refusal the server answers with, each with a stable code and an HTTP status, mapped to a
 * response in one place (`app.ts`). Messages are fixed strings: they never echo input, and the
 * intake refusals are the same whatever the invite, so they tell nothing about tokens (T16).
 * Response body: `{"error":"<code>","message":"<message>"}`.
 */
export class Problem extends AmanatError {
  readonly status: 400 | 401 | 404 | 413 | 415 | 429 | 503

  constructor(kind: ErrorKind, code: string, status: Problem['status'], message: string) {
    super(kind, code, message)
    this.status = status
  }
}

export const problems = {
  /** Not a sealed submission or chunk this server takes: framing, header, age shape, counts. */
  rejected: () => new Problem('input', 'intake.rejected', 400, 'This is not a sealed submission this server accepts.'),
  tooLarge: () => new Problem('input', 'intake.too_large', 413, 'The request is larger than this server accepts.'),
  wrongType: () => new Problem('input', 'intake.wrong_type', 415, 'The request has the wrong content type.'),
  rateLimited: () => new Problem('input', 'intake.rate_limited', 429, 'Too many requests; try again in a moment.'),
  /** The store failed and the server accepts nothing until it is restarted (fail closed). */
  unavailable: () => new Problem('internal', 'intake.unavailable', 503, 'The server cannot accept anything now; try again later.'),
  notFound: () => new Problem('input', 'request.not_found', 404, 'There is nothing here.'),
  unauthorized: () => new Problem('input', 'admin.unauthorized', 401, 'The analyst credential is missing or wrong.'),
  badAdminRequest: () => new Problem('input', 'admin.bad_request', 400, 'The request does not have the expected shape.'),
  questionnaireMismatch: () =>
    new Problem('input', 'admin.questionnaire_mismatch', 400, 'The questionnaire id in the document differs from the one in the address.'),
  unknownQuestionnaire: () =>
    new Problem('input', 'admin.unknown_questionnaire', 404, 'No questionnaire is published under this id.'),
} as const

/**
 * A stable code for an unexpected error, safe to log: its `code` when it has one of plain
 * characters (SQLITE_IOERR, ECONNREFUSED, intake.storage_failed), else its class name. Never its
 * message, which may quote data.
 */
export function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code
  if (typeof code === 'string' && /^[A-Za-z0-9_.-]{1,64}$/.test(code)) return code
  return error instanceof Error ? error.name : 'unknown'
}
