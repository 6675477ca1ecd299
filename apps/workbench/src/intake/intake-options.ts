import { usageError } from '@amanat/domain'
import type { CommandContext } from '../cli/command.ts'
import { createServerClient, serverOrigin, type IntakeServerClient } from './server-client.ts'

/** The options every command that talks to an intake server takes. */
export const SERVER_OPTIONS = {
  server: { type: 'string' },
  credential: { type: 'string' },
  timeout: { type: 'string' },
} as const

/** The help lines for {@link SERVER_OPTIONS}. */
export const SERVER_HELP = `  --server <url>       the intake server (http(s)://host[:port])
  --credential <value> the analyst credential the server printed on its first start; needed once,
                       then the workspace keeps it (encrypted). Or AMANAT_SERVER_CREDENTIAL.
  --timeout <seconds>  give up on a server that sends nothing for this long (default 60, up to
                       3600; a slow link still sends something). Or AMANAT_SERVER_TIMEOUT.`

const DEFAULT_TIMEOUT_SECONDS = 60

/**
 * The server's origin from `--server`; a usage error when it is missing or not an origin, or
 * when `--timeout` (or AMANAT_SERVER_TIMEOUT) is not a number of seconds it takes.
 */
export function serverFrom(context: CommandContext): string {
  const value = context.values.server
  if (typeof value !== 'string' || value === '') {
    throw usageError('usage.no_server', 'Which intake server? Give --server <url>.')
  }
  serverTimeoutSeconds(context)
  return serverOrigin(value)
}

/** `--timeout` or AMANAT_SERVER_TIMEOUT: seconds an intake server may send nothing (default 60). */
export function serverTimeoutSeconds(context: CommandContext): number {
  const given = context.values.timeout ?? context.terminal.env.AMANAT_SERVER_TIMEOUT
  return wholeNumberFrom(given, 'timeout', 1, 3600, DEFAULT_TIMEOUT_SECONDS)
}

/**
 * The client for `server` with this command's `--timeout` (or AMANAT_SERVER_TIMEOUT): how long
 * the server may send nothing before a request is given up as `server.timeout`.
 */
export function serverClient(context: CommandContext, server: string, credential: string | null): IntakeServerClient {
  return createServerClient({ url: server, credential, idleTimeoutMs: serverTimeoutSeconds(context) * 1000 })
}

/** A whole number option within bounds, or `fallback` when absent; a usage error otherwise. */
export function wholeNumber(context: CommandContext, name: string, min: number, max: number, fallback: number): number {
  return wholeNumberFrom(context.values[name], name, min, max, fallback)
}

function wholeNumberFrom(value: unknown, name: string, min: number, max: number, fallback: number): number {
  if (value === undefined) return fallback
  const number = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isInteger(number) || number < min || number > max) {
    throw usageError(`usage.bad_${name.replace(/-/g, '_')}`, `--${name} takes a whole number from ${String(min)} to ${String(max)}.`)
  }
  return number
}
