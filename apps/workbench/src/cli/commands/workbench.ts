import { usageError } from '@amanat/domain'
import { WORKSPACE_OPTION, workspaceDir, type Command, type CommandContext } from '../command.ts'
import { EXIT } from '../exit-codes.ts'
import { serverTimeoutSeconds, wholeNumber } from '../../intake/intake-options.ts'
import { DEFAULT_IDLE_MS, startWorkbench, type RunningWorkbench } from '../../server/workbench-server.ts'
import type { Terminal } from '../terminal.ts'

export const workbenchCommand: Command = {
  name: 'workbench',
  summary: 'open the local web UI (inbox, reader, coding, review, search) on 127.0.0.1',
  help: `Usage: amanat workbench --workspace <dir> [options]

Serves the workbench's web page on 127.0.0.1 only and prints one line
"workbench: http://127.0.0.1:<port>/#token=<one-time token>". Open that link in a browser on
this machine: the token is exchanged once for a session cookie and then no longer works. The page
asks for the workspace passphrase and an analyst profile (the author recorded on every change).
After a period without use the workbench locks itself: the keys leave memory and the page asks
for the passphrase again. A lock (by hand, after idling, or when Ctrl-C stops the workbench)
refuses new work at once and lets a pull or a report under way finish first, for up to 30 s.
The page makes no request anywhere but this address.

Options:
  --workspace <dir>       the workspace (or AMANAT_WORKSPACE)
  --port <n>              the port on 127.0.0.1 (default: a free one)
  --idle-minutes <n>      lock after this many minutes without use (default 15; decimals allowed)
  -h, --help              this help

A pull from the page gives up on an intake server that sends nothing for 60 seconds, or for
AMANAT_SERVER_TIMEOUT seconds (1 to 3600), as amanat pull --timeout does.`,
  options: { ...WORKSPACE_OPTION, port: { type: 'string' }, 'idle-minutes': { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const { terminal } = context
    const workbench = await startWorkbench({
      workspaceDir: workspaceDir(context),
      port: wholeNumber(context, 'port', 0, 65535, 0),
      idleMs: idleMs(context),
      serverTimeoutMs: serverTimeoutSeconds(context) * 1000,
      log: (line) => terminal.info(line),
    })
    terminal.out(`workbench: ${workbench.url}`)
    terminal.info('Open the link above in a browser on this machine. Ctrl-C stops the workbench.')
    await untilStopped(workbench, terminal)
    return EXIT.ok
  },
}

/** `--idle-minutes` in milliseconds: a positive number of minutes up to a day. */
function idleMs(context: CommandContext): number {
  const value = context.values['idle-minutes']
  if (value === undefined) return DEFAULT_IDLE_MS
  const minutes =
    typeof value === 'string' && /^\d{1,4}(\.\d{1,3})?$/.test(value) ? Number(value) : Number.NaN
  if (!(minutes > 0 && minutes <= 24 * 60))
    throw usageError(
      'usage.bad_idle_minutes',
      '--idle-minutes takes a number of minutes above 0, up to 1440.',
    )
  return Math.round(minutes * 60_000)
}

/** Resolves once SIGINT or SIGTERM arrived and the workbench is locked and closed. */
export function untilStopped(workbench: RunningWorkbench, terminal?: Terminal): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      terminal?.info('Stopping the workbench.')
      void workbench.close().then(resolve)
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}
