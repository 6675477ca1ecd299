import { inputError, isAmanatError, usageError, type AmanatError } from '@amanat/domain'
import type { Context } from 'hono'
import type { z } from 'zod'
import { SECURITY_HEADERS } from './http-guards.ts'

/**
 * One way for the workbench's API to say no: `{ error: <code>, message }` with a status from the
 * error's kind. The page shows the message; tests match the code. Messages never echo request
 * content (a testimony's text must not travel back into an error or a log).
 */
const STATUS_OF_KIND = { input: 400, usage: 409, integrity: 500, internal: 500 } as const

export function errorResponse(error: AmanatError): Response {
  const status =
    error.code === 'workspace.closed' || error.code === 'session.locked' ? 423 : STATUS_OF_KIND[error.kind]
  return new Response(JSON.stringify({ error: error.code, message: error.message }), {
    status,
    headers: { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' },
  })
}

/** Turns what a route threw into a response; anything not an AmanatError is a bug, answered by code only. */
export function answerError(error: unknown, log: (line: string) => void): Response {
  if (isAmanatError(error)) return errorResponse(error)
  log(`workbench: internal error${error instanceof Error ? ` (${error.name})` : ''}`)
  return new Response(
    JSON.stringify({
      error: 'internal',
      message: 'Something went wrong in the workbench; the change was not made.',
    }),
    {
      status: 500,
      headers: { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' },
    },
  )
}

/** The JSON body parsed with `schema`; a usage error naming the first bad field otherwise. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  let json: unknown
  try {
    json = await c.req.json()
  } catch {
    throw usageError('request.bad_json', 'The request body is not JSON.')
  }
  return parseWith(schema, json)
}

/** `value` parsed with `schema`; a `request.invalid` input error naming the first bad field otherwise. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.infer<S> {
  const parsed = schema.safeParse(value)
  if (parsed.success) return parsed.data
  const issue = parsed.error.issues[0]
  const where = issue?.path.join('.') ?? ''
  throw inputError(
    'request.invalid',
    `${where === '' ? 'The request' : where}: ${issue?.message ?? 'invalid'}`,
  )
}
