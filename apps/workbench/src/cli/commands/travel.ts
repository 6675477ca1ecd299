import { usageError } from '@amanat/domain'
import { LEFT_BEHIND, makeTravelCopy } from '../../keys/travel.ts'
import { WORKSPACE_OPTION, workspaceDir, type Command } from '../command.ts'
import { EXIT } from '../exit-codes.ts'
import { unlockWorkspace } from '../unlock.ts'

export const travelCommand: Command = {
  name: 'travel',
  summary: 'copy a workspace for travel, without the vault and the identities',
  help: `Usage: amanat travel --workspace <dir> --out <dir>

Makes a travel copy: the encrypted store (a consistent snapshot) and workspace.json, which open
with the same passphrase for reading, searching and coding. Left behind:
${LEFT_BEHIND.map((line) => `  - ${line}`).join('\n')}
Changes made in a travel copy stay in it. Wipe it afterwards with: amanat wipe --workspace <dir>

Options:
  --workspace <dir>    the workspace (or AMANAT_WORKSPACE)
  --out <dir>          the new folder (must not exist, or be empty)
  -h, --help           this help`,
  options: { ...WORKSPACE_OPTION, out: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const { values, terminal } = context
    if (typeof values.out !== 'string' || values.out === '')
      throw usageError('usage.no_out', 'Where to? Give --out <dir>.')
    const workspace = await unlockWorkspace(workspaceDir(context), terminal)
    try {
      const { dir } = await makeTravelCopy(workspace, values.out)
      terminal.out(`travel copy: ${dir}`)
      terminal.out('left behind:')
      for (const line of LEFT_BEHIND) terminal.out(`  - ${line}`)
      return EXIT.ok
    } finally {
      await workspace.close()
    }
  },
}
