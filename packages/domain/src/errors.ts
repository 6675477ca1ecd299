/**
 * One error type for the whole project, with stable codes.
 *
 * Every refusal that reaches a user carries a `code` (stable, dotted, lowercase: callers and tests
 * match on it) and a plain `message` (for people: says what was wrong and, where it can, what to
 * do). `details` holds structured facts (a path, a line number) and never holds personal data or
 * secrets, because errors end up in logs and terminals.
 *
 * `kind` decides how a caller reacts, and the CLI maps it to an exit code:
 * - `input`     — refused input: a bad file, a wrong passphrase, an unknown code (exit 1)
 * - `usage`     — the command was called wrongly (exit 2)
 * - `integrity` — stored data failed a check: a broken hash chain, a corrupt page (exit 3)
 * - `internal`  — a bug or an environment failure; never expected (exit 70)
 */
export const ERROR_KINDS = ['input', 'usage', 'integrity', 'internal'] as const
export type ErrorKind = (typeof ERROR_KINDS)[number]

export class AmanatError extends Error {
  override readonly name = 'AmanatError'
  readonly code: string
  readonly kind: ErrorKind
  readonly details: Readonly<Record<string, unknown>>

  constructor(
    kind: ErrorKind,
    code: string,
    message: string,
    details: Record<string, unknown> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options)
    this.kind = kind
    this.code = code
    this.details = Object.freeze({ ...details })
  }
}

/** True when `error` is an {@link AmanatError}, optionally with the given code. */
export function isAmanatError(error: unknown, code?: string): error is AmanatError {
  return error instanceof AmanatError && (code === undefined || error.code === code)
}

export const inputError = (code: string, message: string, details?: Record<string, unknown>) =>
  new AmanatError('input', code, message, details)
export const usageError = (code: string, message: string, details?: Record<string, unknown>) =>
  new AmanatError('usage', code, message, details)
export const integrityError = (
  code: string,
  message: string,
  details?: Record<string, unknown>,
) => new AmanatError('integrity', code, message, details)
