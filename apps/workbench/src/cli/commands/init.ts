import { join } from 'node:path'
import { usageError } from '@amanat/domain'
import type { Command } from '../command.ts'
import { EXIT } from '../exit-codes.ts'
import { readCodebook } from '../../workspace/codebook-file.ts'
import { createWorkspace } from '../../workspace/workspace.ts'

export const initCommand: Command = {
  name: 'init',
  summary: 'create an encrypted workspace and its keys',
  help: `Usage: amanat init [options] <dir>

Creates an encrypted workspace in <dir> (which must not exist or be empty): the store (an
encrypted SQLite file, or a schema on a trusted PostgreSQL server with --postgres), the analyst's
age identity (encrypted under the workspace passphrase), the organisation's signing key, and an
offline backup identity encrypted under a separate backup passphrase. Move the backup identity
file off this machine (paper or an offline drive): it is the only way back if the passphrase or
the machine is lost.

Passphrases are asked for on the terminal, or read from AMANAT_PASSPHRASE and
AMANAT_BACKUP_PASSPHRASE in scripts.

Options:
  --name <text>        the workspace's name (default: the folder's name)
  --analyst <label>    your analyst profile, recorded as the author of your changes (default: analyst)
  --postgres <url>     keep the store in PostgreSQL (a team's trusted server)
  --schema <name>      the PostgreSQL schema (default: amanat)
  --codebook <file>    start from this codebook instead of the default
  --json               print the result as JSON on stdout
  --test-only-weak-keys  weak key derivation for automated tests ONLY; recorded in the workspace,
                       and every command warns. Never put real testimonies in such a workspace.
  -h, --help           this help`,
  options: {
    name: { type: 'string' },
    analyst: { type: 'string' },
    postgres: { type: 'string' },
    schema: { type: 'string' },
    codebook: { type: 'string' },
    json: { type: 'boolean' },
    'test-only-weak-keys': { type: 'boolean' },
  },
  positionals: { min: 1, max: 1 },
  async run({ values, positionals, terminal }) {
    const dir = positionals[0] ?? ''
    const schema = typeof values.schema === 'string' ? values.schema : 'amanat'
    if (values.schema !== undefined && values.postgres === undefined) {
      throw usageError('usage.schema_without_postgres', '--schema only applies with --postgres <url>.')
    }
    const testOnly = values['test-only-weak-keys'] === true
    if (testOnly) terminal.warn('creating a TEST-ONLY workspace with weak key derivation; never put real testimonies in it.')
    const codebook = readCodebook(typeof values.codebook === 'string' ? values.codebook : undefined)
    const passphrase = await terminal.passphrase('Workspace passphrase', 'AMANAT_PASSPHRASE', { confirm: true })
    const backupPassphrase = await terminal.passphrase(
      'Backup passphrase (different; keep it apart from the backup file)',
      'AMANAT_BACKUP_PASSPHRASE',
      { confirm: true },
    )
    const workspace = await createWorkspace({
      dir,
      name: typeof values.name === 'string' ? values.name : dir.split('/').filter(Boolean).at(-1) ?? 'workspace',
      passphrase,
      backupPassphrase,
      analystLabel: typeof values.analyst === 'string' ? values.analyst : 'analyst',
      codebook,
      ...(typeof values.postgres === 'string' ? { postgres: { url: values.postgres, schema } } : {}),
      testOnly,
    })
    try {
      const { config } = workspace
      const backupFile = join(workspace.dir, 'backup-identity.age')
      if (values.json === true) {
        terminal.out(
          JSON.stringify({
            workspace: workspace.dir,
            store: config.store.dialect,
            analyst: config.analyst.label,
            recipients: { analyst: config.keys.analystRecipient, backup: config.keys.backupRecipient },
            signingFingerprint: config.keys.signingFingerprint,
            backupIdentityFile: backupFile,
            codebook: config.codebook,
            testOnly: config.testOnly,
          }),
        )
      } else {
        terminal.out(`workspace: ${workspace.dir}`)
        terminal.out(`store: ${config.store.dialect === 'sqlite' ? `encrypted SQLite (${config.store.file})` : `PostgreSQL, schema ${config.store.schema}`}`)
        terminal.out(`analyst recipient: ${config.keys.analystRecipient}`)
        terminal.out(`backup recipient: ${config.keys.backupRecipient}`)
        terminal.out(`signing key fingerprint: ${config.keys.signingFingerprint}`)
        terminal.out(`backup identity: ${backupFile}`)
        terminal.info('Move the backup identity file to offline storage now, and keep its passphrase apart from it.')
      }
    } finally {
      await workspace.close()
    }
    return EXIT.ok
  },
}
