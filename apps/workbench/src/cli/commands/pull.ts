import { readFileSync } from 'node:fs'
import { unlockIdentity } from '@amanat/crypto/open'
import { inputError, integrityError, type SetAsideReason } from '@amanat/domain'
import { WORKSPACE_OPTION, workspaceDir, type Command } from '../command.ts'
import { EXIT } from '../exit-codes.ts'
import { SERVER_HELP, SERVER_OPTIONS, serverClient, serverFrom, wholeNumber } from '../../intake/intake-options.ts'
import { openIntakeSession } from '../../intake/intake-session.ts'
import { FLAGGED_REASONS, pullSubmissions, type PullReport } from '../../intake/pull.ts'
import { credentialFor, givenCredential, rememberCredential } from '../../intake/server-credentials.ts'

export const pullCommand: Command = {
  name: 'pull',
  summary: 'fetch, verify, decrypt and import new submissions, then delete them on the server',
  help: `Usage: amanat pull --workspace <dir> --server <url> [options]

Fetches what the intake server received since the last pull and checks it before trusting any
of it: the server's hash chain must continue from the checkpoint this workspace holds, and every
item must match its chain entry. Then each submission is decrypted, checked against the
questionnaire it answers, and imported as a testimony, with its attachments (each checked
against the SHA-256 the submission recorded). Only after the workspace has recorded everything,
with the new checkpoint, in one transaction, is the server told to delete its copy.

Nothing is silently dropped: an item that was tampered with, missing, injected, sealed to the
wrong keys, undecryptable or invalid is kept aside in the workspace, sealed as it came, and
counted below; a second submission on one invite is kept aside for review. The command exits
with 3 when the server's chain does not verify or when something points to tampering; what
verified before that point is still imported.

A workspace pulls only from a server it published a questionnaire to (at that address): what
another workspace published is sealed to its keys and is for it to pull.

Prints: imported, set aside (by reason), flagged, deleted on the server, and the checkpoint.

Options:
  --workspace <dir>      the workspace (or AMANAT_WORKSPACE)
${SERVER_HELP}
  --check-backup <file>  also check that every submission opens with the offline backup key (its
                         identity file; passphrase from a prompt or AMANAT_BACKUP_PASSPHRASE):
                         catches a page that sealed to a swapped key
  --workers <n>          decrypt on this many threads (default: one per core for large pulls)
  --json                 print the report as JSON on stdout
  -h, --help             this help`,
  options: { ...WORKSPACE_OPTION, ...SERVER_OPTIONS, 'check-backup': { type: 'string' }, workers: { type: 'string' }, json: { type: 'boolean' } },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const { values, terminal } = context
    const server = serverFrom(context)
    const workers = values.workers === undefined ? undefined : wholeNumber(context, 'workers', 0, 64, 0)
    const given = givenCredential(context)
    let backupIdentity: string | null = null
    const session = await openIntakeSession(workspaceDir(context), terminal)
    try {
      if (typeof values['check-backup'] === 'string') {
        let file: Buffer
        try {
          file = readFileSync(values['check-backup'])
        } catch {
          throw inputError('keys.not_found', `Cannot read the backup identity file ${values['check-backup']}.`)
        }
        const passphrase = await terminal.passphrase('Backup passphrase', 'AMANAT_BACKUP_PASSPHRASE')
        const backup = await unlockIdentity(file, passphrase)
        if (backup.recipient !== session.workspace.config.keys.backupRecipient) {
          throw inputError('keys.not_backup', "That identity is not this workspace's backup key.")
        }
        backupIdentity = backup.identity
      }
      const client = serverClient(context, server, await credentialFor(session, server, given))
      const report = await pullSubmissions({ session, client, backupIdentity, ...(workers === undefined ? {} : { workers }) })
      if (given !== null) await rememberCredential(session, server, given)
      if (values.json === true) terminal.out(JSON.stringify(report))
      else for (const line of describeReport(report)) terminal.out(line)
      if (report.deletionPending) terminal.warn('the server could not be told to delete everything pulled; the next pull asks again.')
      if (report.chainBreak !== null) {
        throw integrityError('intake.chain_broken', `The intake server's chain does not verify at entry ${String(report.chainBreak.seq)} (${report.chainBreak.reason}): the server's storage was altered. Nothing from there on was imported; keep the server as it is for investigation.`, { seq: report.chainBreak.seq })
      }
      if (report.flagged > 0) {
        throw integrityError('intake.flagged', `${String(report.flagged)} item(s) show signs of tampering or of a swapped key; they are kept aside in the workspace. Investigate the server before trusting it further.`, { flagged: report.flagged })
      }
      return EXIT.ok
    } finally {
      await session.close()
    }
  },
}

/** The report as labelled lines. */
export function describeReport(report: PullReport): string[] {
  const reasons = Object.entries(report.setAside) as [SetAsideReason, number][]
  const total = reasons.reduce((sum, [, n]) => sum + n, 0)
  const byReason = reasons.map(([reason, n]) => `${reason}: ${String(n)}${FLAGGED_REASONS.has(reason) ? ' (flagged)' : ''}`).join(', ')
  return [
    `imported: ${String(report.imported)} (attachments: ${String(report.attachments)})`,
    `set aside: ${String(total)}${total > 0 ? ` (${byReason})` : ''}`,
    `flagged: ${String(report.flagged)}`,
    `deleted on the server: ${String(report.deleted)}`,
    `checkpoint: ${String(report.checkpoint.seq)} ${report.checkpoint.hash}`,
  ]
}
