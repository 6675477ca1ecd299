import { usageError } from '@amanat/domain'
import { writeBackup } from '../../keys/backup.ts'
import { unlockWithKeys } from '../../keys/unlock-keys.ts'
import { WORKSPACE_OPTION, workspaceDir, type Command } from '../command.ts'
import { EXIT } from '../exit-codes.ts'

export const backupCommand: Command = {
  name: 'backup',
  summary: 'write a sealed backup that the offline backup identity can restore',
  help: `Usage: amanat backup --workspace <dir> --out <file> [--json]

Writes a consistent snapshot of the workspace (its store, vault and key files), checks the
snapshot's chain, and seals it with age to the offline backup identity and to this analyst. The
backup is recorded in the event log. Restore it on any machine with:
  amanat restore --backup <file> --identity <backup-identity.age> --to <dir>
Keep backups offline: an erasure cannot reach a backup made before it.

Options:
  --workspace <dir>    the workspace (or AMANAT_WORKSPACE)
  --out <file>         the backup file to write (never overwritten)
  --json               print the report as JSON on stdout
  -h, --help           this help`,
  options: { ...WORKSPACE_OPTION, out: { type: 'string' }, json: { type: 'boolean' } },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const { values, terminal } = context
    if (typeof values.out !== 'string' || values.out === '')
      throw usageError('usage.no_out', 'Where to? Give --out <file>.')
    const unlocked = await unlockWithKeys(workspaceDir(context), terminal)
    try {
      const report = await writeBackup(unlocked, values.out)
      if (values.json === true) terminal.out(JSON.stringify(report))
      else {
        terminal.out(`backup: ${report.file} (${String(report.bytes)} bytes, sha256 ${report.sha256})`)
        terminal.out(`head: ${report.head} (${String(report.events)} events)`)
        terminal.info('sealed to the offline backup identity and this analyst; keep it offline.')
      }
      return EXIT.ok
    } finally {
      await unlocked.close()
    }
  },
}
