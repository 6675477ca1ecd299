import { readFileSync } from 'node:fs'
import { inputError, usageError } from '@amanat/domain'
import { restoreBackup } from '../../keys/backup.ts'
import type { Command } from '../command.ts'
import { EXIT } from '../exit-codes.ts'

export const restoreCommand: Command = {
  name: 'restore',
  summary: 'restore a backup with the offline backup identity',
  help: `Usage: amanat restore --backup <file> --identity <backup-identity.age> --to <dir> [--json]

Restores a backup made by "amanat backup" into a new folder, on any machine: needs only the
backup file, the offline backup identity file ("backup-identity.age", as init wrote it) and the
backup passphrase (asked, or AMANAT_BACKUP_PASSPHRASE). Every file is checked against its hash and
the restored event log is verified to end at the head the backup recorded before the folder
appears. The restored workspace opens with the workspace passphrase it had.

Respondents erased after the backup was made are erased again before the folder appears: every
erasure leaves a mark (amanat-erasure-*.age) in the folders the workspace backs up to, and the
marks beside the backup are read with the backup identity. Keep them with the backups.

Options:
  --backup <file>      the backup file
  --identity <file>    the offline backup identity file
  --to <dir>           the folder to restore into (must not exist, or be empty)
  --json               print the report as JSON on stdout
  -h, --help           this help`,
  options: {
    backup: { type: 'string' },
    identity: { type: 'string' },
    to: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: { min: 0, max: 0 },
  async run({ values, terminal }) {
    const { backup, identity, to } = values
    if (typeof backup !== 'string' || typeof identity !== 'string' || typeof to !== 'string') {
      throw usageError(
        'usage.missing_option',
        'amanat restore needs --backup, --identity and --to. See: amanat restore --help',
      )
    }
    let identityFile: Buffer
    try {
      identityFile = readFileSync(identity)
    } catch {
      throw inputError('restore.no_identity', `Cannot read the backup identity file ${identity}.`)
    }
    const backupPassphrase = await terminal.passphrase('Backup passphrase', 'AMANAT_BACKUP_PASSPHRASE')
    const report = await restoreBackup({ backup, identityFile, backupPassphrase, to })
    if (values.json === true) terminal.out(JSON.stringify(report))
    else {
      terminal.out(`restored: ${report.dir} (${report.workspaceName})`)
      terminal.out(`chain ok: ${String(report.events)} events, head ${report.head}`)
      terminal.out(
        report.marksFound
          ? `erased again: ${String(report.erasedAgain)} (respondents erased after this backup was made, from the marks beside it)`
          : 'erasure marks: none beside the backup (amanat-erasure-*.age); a respondent erased after the backup was made is in it again: see docs/erasure.md',
      )
    }
    return EXIT.ok
  },
}
