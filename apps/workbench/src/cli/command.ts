import { parseArgs, type ParseArgsConfig } from 'node:util'
import { usageError } from '@amanat/domain'
import type { Terminal } from './terminal.ts'

type Options = NonNullable<ParseArgsConfig['options']>

/** What a command receives: its parsed options and positionals, and the terminal. */
export interface CommandContext {
  readonly values: Readonly<Record<string, string | boolean | undefined>>
  readonly positionals: readonly string[]
  readonly terminal: Terminal
}

/** One `amanat <name>` command: its help text, its options, and what it does. Returns the exit code. */
export interface Command {
  readonly name: string
  readonly summary: string
  /** The full `--help` text, starting with the usage line. */
  readonly help: string
  readonly options: Options
  readonly positionals: { readonly min: number; readonly max: number }
  run(context: CommandContext): Promise<number>
}

/** Parses `argv` for `command`, refusing unknown options and wrong positional counts as usage errors. */
export function parseCommandLine(command: Command, argv: readonly string[]): { values: CommandContext['values']; positionals: string[] } {
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
      strict: true,
    })
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify.*$/s, '') : String(error)
    throw usageError('usage.bad_option', `${message}. See: amanat ${command.name} --help`)
  }
  const { values, positionals } = parsed
  if (values.help !== true) {
    const { min, max } = command.positionals
    if (positionals.length < min || positionals.length > max) {
      const expected = min === max ? `${String(min)}` : `${String(min)} to ${String(max)}`
      throw usageError(
        'usage.bad_arguments',
        `amanat ${command.name} takes ${expected} argument(s), got ${String(positionals.length)}. See: amanat ${command.name} --help`,
      )
    }
  }
  return { values, positionals }
}

/** The workspace folder from `--workspace` or AMANAT_WORKSPACE; a usage error when neither is given. */
export function workspaceDir(context: CommandContext): string {
  const fromFlag = context.values.workspace
  if (typeof fromFlag === 'string' && fromFlag !== '') return fromFlag
  const fromEnv = context.terminal.env.AMANAT_WORKSPACE
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv
  throw usageError('usage.no_workspace', 'Which workspace? Give --workspace <dir> or set AMANAT_WORKSPACE.')
}

export const WORKSPACE_OPTION = { workspace: { type: 'string' } } as const satisfies Options
