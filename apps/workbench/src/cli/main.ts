import { isAmanatError, usageError } from '@amanat/domain'
import { parseCommandLine, type Command } from './command.ts'
import { demoCommand } from './commands/demo.ts'
import { eraseCommand } from './commands/erase.ts'
import { backupCommand } from './commands/backup.ts'
import { restoreCommand } from './commands/restore.ts'
import { travelCommand } from './commands/travel.ts'
import { wipeCommand } from './commands/wipe.ts'
import { dossierCommand } from './commands/dossier.ts'
import { verifyDossierCommand } from './commands/verify-dossier.ts'
import { initCommand } from './commands/init.ts'
import { inviteCommand } from './commands/invite.ts'
import { publishCommand } from './commands/publish.ts'
import { pullCommand } from './commands/pull.ts'
import { questionnaireCommand } from './commands/questionnaire.ts'
import { recipientsCommand } from './commands/recipients.ts'
import { serveCommand } from './commands/serve.ts'
import { verifyCommand } from './commands/verify.ts'
import { workbenchCommand } from './commands/workbench.ts'
import { importCommand } from './commands/import.ts'
import { exportCommand } from './commands/export.ts'
import { reportCommand } from './commands/report.ts'
import { storyCommand } from './commands/story.ts'
import { statsCommand } from './commands/stats.ts'
import { searchCommand } from './commands/search.ts'
import { vaultCommand } from './commands/vault.ts'
import { EXIT, exitCodeFor } from './exit-codes.ts'
import { processTerminal, type Terminal } from './terminal.ts'

/** Every command, in the order `amanat --help` lists them. */
export const COMMANDS: readonly Command[] = [
  initCommand,
  verifyCommand,
  demoCommand,
  serveCommand,
  questionnaireCommand,
  publishCommand,
  recipientsCommand,
  inviteCommand,
  pullCommand,
  workbenchCommand,
  eraseCommand,
  vaultCommand,
  backupCommand,
  restoreCommand,
  travelCommand,
  wipeCommand,
  dossierCommand,
  verifyDossierCommand,
  importCommand,
  exportCommand,
  statsCommand,
  storyCommand,
  reportCommand,
  searchCommand,
]

function generalHelp(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length))
  return [
    'Usage: amanat <command> [options]',
    '',
    'Amanat documents transnational repression: sealed intake, an encrypted workspace, safe publication.',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Every command takes --help. Errors go to stderr as "amanat: <code>: <message>".',
    'Exit codes: 0 ok, 1 refused input, 2 wrong usage, 3 integrity failure.',
  ].join('\n')
}

/**
 * Runs the CLI with `argv` (without `node` and the script) and returns the exit code. Errors are
 * printed as `amanat: <code>: <message>` on stderr; nothing but machine output goes to stdout.
 */
export async function main(argv: readonly string[], terminal: Terminal = processTerminal()): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    terminal.out(generalHelp())
    return name === undefined ? EXIT.usage : EXIT.ok
  }
  try {
    const command = COMMANDS.find((c) => c.name === name)
    if (command === undefined) {
      throw usageError('usage.unknown_command', `There is no command "${name}". See: amanat --help`)
    }
    const { values, positionals } = parseCommandLine(command, rest)
    if (values.help === true) {
      terminal.out(command.help)
      return EXIT.ok
    }
    return await command.run({ values, positionals, terminal })
  } catch (error) {
    if (isAmanatError(error)) {
      terminal.info(`amanat: ${error.code}: ${error.message}`)
      return exitCodeFor(error.kind)
    }
    // A bug. The message may come from a library; it never carries testimony content because
    // nothing here puts plaintext into errors, but the stack stays hidden unless asked for.
    const message = error instanceof Error ? error.message : String(error)
    terminal.info(`amanat: internal: ${message}`)
    if (terminal.env.AMANAT_DEBUG === '1' && error instanceof Error && error.stack !== undefined) terminal.info(error.stack)
    terminal.info('amanat: this is a bug; please report it (without any testimony content).')
    return EXIT.internal
  }
}
