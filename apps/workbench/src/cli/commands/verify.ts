import { integrityError } from '@amanat/domain'
import { WORKSPACE_OPTION, workspaceDir, type Command } from '../command.ts'
import { EXIT } from '../exit-codes.ts'
import { unlockWorkspace } from '../unlock.ts'

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'recompute the event log\'s hash chain and check the store',
  help: `Usage: amanat verify --workspace <dir> [options]

Recomputes the hash chain over every event in the workspace's log and checks the store's pages.
Reports the first broken link (an edited, deleted or reordered event) and exits with 3 if there is
one. Prints the head of the chain: keep it somewhere else (a note, a colleague) and pass it later
with --expect-head, so that a rewrite of the whole log is caught too.

Options:
  --workspace <dir>    the workspace (or AMANAT_WORKSPACE)
  --expect-head <hash> fail unless the chain contains this head (a checkpoint kept elsewhere)
  --json               print the report as JSON on stdout
  -h, --help           this help`,
  options: { ...WORKSPACE_OPTION, 'expect-head': { type: 'string' }, json: { type: 'boolean' } },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const { values, terminal } = context
    const workspace = await unlockWorkspace(workspaceDir(context), terminal)
    try {
      await workspace.store.checkIntegrity()
      const total = (await workspace.store.counts()).events ?? 0
      const progress = terminal.progress('verifying', total)
      const report = await workspace.store.verify({ onProgress: (done) => progress.tick(done) })
      progress.done()
      const expected = typeof values['expect-head'] === 'string' ? values['expect-head'] : undefined
      if (values.json === true) terminal.out(JSON.stringify(report))
      if (!report.ok) {
        const { seq, reason } = report.firstBroken
        throw integrityError('workspace.chain_broken', `The event log is broken at event ${String(seq)}: ${reason}. Nothing after it can be trusted.`, { seq, reason })
      }
      if (expected !== undefined && !(await workspace.store.hasHead(expected))) {
        throw integrityError('workspace.checkpoint_missing', 'The chain does not contain the expected head: the log was rewritten or is from another workspace.')
      }
      if (values.json !== true) {
        terminal.out(`chain ok: ${String(report.events)} events`)
        terminal.out(`head: ${report.head}`)
      }
      return EXIT.ok
    } finally {
      await workspace.close()
    }
  },
}
