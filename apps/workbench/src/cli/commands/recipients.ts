import { isX25519Recipient } from '@amanat/crypto'
import { inputError, usageError } from '@amanat/domain'
import { WORKSPACE_OPTION, workspaceDir, type Command } from '../command.ts'
import { EXIT } from '../exit-codes.ts'
import { unlockWorkspace } from '../unlock.ts'
import { otherRecipients } from '../../intake/intake-log.ts'
import { recipientSet } from '../../intake/publish.ts'

export const recipientsCommand: Command = {
  name: 'recipients',
  summary: 'list, add or remove the analysts whose age keys submissions are sealed to',
  help: `Usage: amanat recipients list --workspace <dir>
       amanat recipients add <age1…> --label <name> --workspace <dir>
       amanat recipients remove <age1…> --workspace <dir>

Submissions are sealed to this workspace's analyst key, the offline backup key, and the age
recipients (age1…, X25519 only) of the other analysts who should read them. "add" and "remove"
change that list in the workspace; publish the questionnaire again (amanat publish) for the
change to reach the page. Invites already sent stay valid.

"list" prints one recipient a line: the recipient, then its label (analyst, backup, or the
label given when it was added).

Options:
  --workspace <dir>    the workspace (or AMANAT_WORKSPACE)
  --label <name>       with add: who this is (a name or role for the team; shown by list)
  --json               with list: print JSON on stdout
  -h, --help           this help`,
  options: { ...WORKSPACE_OPTION, label: { type: 'string' }, json: { type: 'boolean' } },
  positionals: { min: 1, max: 2 },
  async run(context) {
    const { values, positionals, terminal } = context
    const [action, recipient] = positionals
    if (action !== 'list' && action !== 'add' && action !== 'remove') {
      throw usageError('usage.bad_arguments', 'amanat recipients takes list, add or remove. See: amanat recipients --help')
    }
    if (action === 'list' ? recipient !== undefined : recipient === undefined) {
      throw usageError('usage.bad_arguments', `amanat recipients ${action} ${action === 'list' ? 'takes no recipient' : 'needs one age1… recipient'}. See: amanat recipients --help`)
    }
    const workspace = await unlockWorkspace(workspaceDir(context), terminal)
    try {
      const others = await otherRecipients(workspace.store)
      const { keys } = workspace.config
      if (action === 'list') {
        const rows = [
          { recipient: keys.analystRecipient, label: 'analyst (this workspace)' },
          ...others,
          { recipient: keys.backupRecipient, label: 'backup (offline)' },
        ]
        if (values.json === true) terminal.out(JSON.stringify({ recipients: rows }))
        else for (const row of rows) terminal.out(`${row.recipient}  ${row.label}`)
        return EXIT.ok
      }
      const target = recipient ?? ''
      if (action === 'add') {
        const label = typeof values.label === 'string' ? values.label.trim() : ''
        if (label === '') throw usageError('usage.no_label', 'Say whose key this is: --label <name>.')
        if (!isX25519Recipient(target)) {
          throw inputError('recipients.bad_recipient', 'That is not a plain X25519 age recipient (age1…, 62 characters). Post-quantum and plugin recipients are refused.')
        }
        if (recipientSet(workspace.config, others).includes(target)) {
          throw inputError('recipients.already_present', 'That recipient is already in the set.')
        }
        await workspace.store.append(workspace.analyst.id, { kind: 'recipients.changed', recipients: [...others, { recipient: target, label }] })
        terminal.info(`Added. Publish the questionnaire again (amanat publish) so new submissions are sealed to it too.`)
      } else {
        if (target === keys.analystRecipient || target === keys.backupRecipient) {
          throw inputError('recipients.protected', 'This workspace\'s own key and the offline backup key are always in the set.')
        }
        if (!others.some((o) => o.recipient === target)) throw inputError('recipients.not_found', 'That recipient is not in the set.')
        await workspace.store.append(workspace.analyst.id, { kind: 'recipients.changed', recipients: others.filter((o) => o.recipient !== target) })
        terminal.info('Removed. Publish the questionnaire again (amanat publish) so new submissions are no longer sealed to it.')
      }
      return EXIT.ok
    } finally {
      await workspace.close()
    }
  },
}
