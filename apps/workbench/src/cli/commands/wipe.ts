import { WIPE_LIMITS, wipeWorkspace } from '../../keys/wipe.ts'
import { WORKSPACE_OPTION, workspaceDir, type Command } from '../command.ts'
import { EXIT } from '../exit-codes.ts'

export const wipeCommand: Command = {
  name: 'wipe',
  summary: 'overwrite and remove a workspace folder and its traces',
  help: `Usage: amanat wipe --workspace <dir>

Overwrites every file of the workspace folder with random bytes (the store, its -wal and -shm, the
vault, identities, the search index, caches), flushes and removes them, then removes the folder.
No passphrase is needed. Cannot be undone. What overwriting cannot promise:
${WIPE_LIMITS.map((line) => `  - ${line}`).join('\n')}

Options:
  --workspace <dir>    the workspace (or AMANAT_WORKSPACE)
  -h, --help           this help`,
  options: { ...WORKSPACE_OPTION },
  positionals: { min: 0, max: 0 },
  run(context) {
    const report = wipeWorkspace(workspaceDir(context))
    context.terminal.out(
      `wiped: ${report.dir} (${String(report.files)} files, ${String(report.bytes)} bytes overwritten)`,
    )
    context.terminal.out('what overwriting cannot promise:')
    for (const line of WIPE_LIMITS) context.terminal.out(`  - ${line}`)
    return Promise.resolve(EXIT.ok)
  },
}
