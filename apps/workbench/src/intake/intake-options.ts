import { usageError } from '@amanat/domain'
import type { CommandContext } from '../cli/command.ts'
import { serverOrigin } from './server-client.ts'

/** The options every command that talks to an intake server takes. */
export const SERVER_OPTIONS = {
  server: { type: 'string' },
  credential: { type: 'string' },
} as const

/** The help lines for {@link SERVER_OPTIONS}. */
export const SERVER_HELP = `  --server <url>       the intake server (http(s)://host[:port])
  --credential <value> the analyst credential the server printed on its first start; needed once,
                       then the workspace keeps it (encrypted). Or AMANAT_SERVER_CREDENTIAL.`

/** The server's origin from `--server`; a usage error when it is missing or not an origin. */
export function serverFrom(context: CommandContext): string {
  const value = context.values.server
  if (typeof value !== 'string' || value === '') {
    throw usageError('usage.no_server', 'Which intake server? Give --server <url>.')
  }
  return serverOrigin(value)
}

/** A whole number option within bounds, or `fallback` when absent; a usage error otherwise. */
export function wholeNumber(context: CommandContext, name: string, min: number, max: number, fallback: number): number {
  const value = context.values[name]
  if (value === undefined) return fallback
  const number = typeof value === 'string' && /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN
  if (!Number.isInteger(number) || number < min || number > max) {
    throw usageError(`usage.bad_${name.replace(/-/g, '_')}`, `--${name} takes a whole number from ${String(min)} to ${String(max)}.`)
  }
  return number
}
