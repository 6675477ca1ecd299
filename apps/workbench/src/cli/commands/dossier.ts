import { usageError } from '@amanat/domain'
import { issueDossier } from '../../dossier/dossier.ts'
import { openIntakeSession } from '../../intake/intake-session.ts'
import { WORKSPACE_OPTION, workspaceDir, type Command } from '../command.ts'
import { EXIT } from '../exit-codes.ts'

export const dossierCommand: Command = {
  name: 'dossier',
  summary: 'print a signed asylum dossier for one consenting respondent',
  help: `Usage: amanat dossier --workspace <dir> --respondent <key-or-pseudonym> --out <file.pdf> [--json]

Prints one person's evidence dossier for a lawyer, only if they consented to sharing with a
lawyer: their incidents as a timeline, their testimony, attachments with SHA-256, and the chain of
custody from the event log. A manifest signed with the organisation's key is appended to the PDF
and binds every byte of it; anyone can check it with: amanat verify-dossier <file.pdf>
The dossier is recorded in the event log. It names the person by their pseudonym (else their key).

Options:
  --workspace <dir>    the workspace (or AMANAT_WORKSPACE)
  --respondent <ref>   the respondent's key, pseudonym or id
  --out <file.pdf>     the file to write (never overwritten)
  --json               print the manifest as JSON on stdout
  -h, --help           this help`,
  options: {
    ...WORKSPACE_OPTION,
    respondent: { type: 'string' },
    out: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const { values, terminal } = context
    if (typeof values.respondent !== 'string' || typeof values.out !== 'string') {
      throw usageError(
        'usage.missing_option',
        'amanat dossier needs --respondent and --out. See: amanat dossier --help',
      )
    }
    const session = await openIntakeSession(workspaceDir(context), terminal)
    try {
      const { file, manifest, sha256 } = await issueDossier(session, values.respondent, values.out)
      if (values.json === true) terminal.out(JSON.stringify({ file, sha256, manifest }))
      else {
        terminal.out(`dossier: ${file} (sha256 ${sha256})`)
        terminal.out(`signed by: ${manifest.signer}`)
      }
      return EXIT.ok
    } finally {
      await session.close()
    }
  },
}
