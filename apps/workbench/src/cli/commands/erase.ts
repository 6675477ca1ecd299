import { usageError } from '@amanat/domain'
import { ERASURE_LIMITS, eraseInWorkspace } from '../../keys/erase.ts'
import { unlockWithKeys } from '../../keys/unlock-keys.ts'
import { WORKSPACE_OPTION, workspaceDir, type Command } from '../command.ts'
import { EXIT } from '../exit-codes.ts'

export const eraseCommand: Command = {
  name: 'erase',
  summary: 'erase a respondent for good (crypto-shredding); the chain stays verifiable',
  help: `Usage: amanat erase --workspace <dir> --respondent <key-or-pseudonym> [--json]

Destroys a respondent's content: their vault entry is overwritten and removed, every row of theirs
is deleted, and their own key is destroyed, so their events stay in the log (the chain still
verifies) but can never be opened again. Freed pages are zeroed and the write-ahead log is
emptied. The erasure itself is recorded in the log, without any personal data. Cannot be undone.
If it is interrupted, run it again with the respondent's id to finish.

What erasure cannot reach:
${ERASURE_LIMITS.map((line) => `  - ${line}`).join('\n')}

Options:
  --workspace <dir>          the workspace (or AMANAT_WORKSPACE)
  --respondent <ref>         the respondent's key, pseudonym or id
  --json                     print what was done as JSON on stdout
  -h, --help                 this help`,
  options: { ...WORKSPACE_OPTION, respondent: { type: 'string' }, json: { type: 'boolean' } },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const { values, terminal } = context
    const ref = values.respondent
    if (typeof ref !== 'string' || ref.trim() === '') {
      throw usageError('usage.no_respondent', 'Which respondent? Give --respondent <key-or-pseudonym>.')
    }
    const unlocked = await unlockWithKeys(workspaceDir(context), terminal)
    try {
      const erasure = await eraseInWorkspace(unlocked, ref)
      const chain = await unlocked.workspace.store.verify()
      const head = chain.ok ? chain.head : null
      if (values.json === true) {
        terminal.out(JSON.stringify({ ...erasure, chainOk: chain.ok, head, limits: ERASURE_LIMITS }))
      } else {
        terminal.out(
          `erased respondent ${erasure.respondentId}: rows deleted, key ${erasure.keyDestroyed ? 'destroyed' : 'already gone'}, vault entry ${erasure.vaultEntryRemoved ? 'removed' : 'none'}, search index ${erasure.searchIndexPurged ? 'purged' : 'none'}`,
        )
        terminal.out(
          `chain ${chain.ok ? 'ok' : 'BROKEN'}: ${String(chain.events)} events${head === null ? '' : `, head ${head}`}`,
        )
        for (const folder of erasure.markedIn)
          terminal.out(`marked beside the backups in ${folder}: a restore from there erases again`)
        for (const folder of erasure.notMarkedIn)
          terminal.warn(
            `could not mark the erasure beside the backups in ${folder}: a restore from there would bring the respondent back. Run amanat backup into that folder when it can be reached (it marks every erasure).`,
          )
        terminal.out('what erasure cannot reach:')
        for (const line of ERASURE_LIMITS) terminal.out(`  - ${line}`)
      }
      return chain.ok ? EXIT.ok : EXIT.integrity
    } finally {
      await unlocked.close()
    }
  },
}
