import { usageError } from '@amanat/domain'
import { WORKSPACE_OPTION, workspaceDir, type Command } from '../command.ts'
import { EXIT } from '../exit-codes.ts'
import { unlockWorkspace } from '../unlock.ts'
import { exportCodedData } from '../../transfer/export-coded-data.ts'
import type { CodedFormat } from '../../transfer/row-sources.ts'

const FORMATS: readonly CodedFormat[] = ['csv', 'xlsx', 'json']

export const exportCommand: Command = {
  name: 'export',
  summary: 'write the coded data for internal analysis, sealed to the team unless --plaintext',
  help: `Usage: amanat export --workspace <dir> --format csv|xlsx|json --out <file> [--plaintext] [--json]

Writes the workspace's coded data, one row per incident, in the format amanat import reads
(docs/import-format.md), for analysis in R, SPSS or a spreadsheet. This is an internal export,
not a publication: no disclosure control is applied. Respondents who withdrew consent, or did not
consent to aggregate use, are never included.

The file is sealed with age to the team's recipients (this workspace's key, the offline backup
key and the analysts added with amanat recipients): decrypt it with age -d -i <identity>.
--plaintext writes it unsealed; keep such a file off shared and synced folders. Every export is
recorded in the event log with its SHA-256. An existing file is never replaced.

Options:
  --workspace <dir>    the workspace (or AMANAT_WORKSPACE)
  --format <format>    csv, xlsx or json
  --out <file>         where to write it
  --plaintext          do not seal the file
  --json               print the outcome as JSON on stdout
  -h, --help           this help`,
  options: {
    ...WORKSPACE_OPTION,
    format: { type: 'string' },
    out: { type: 'string' },
    plaintext: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const { values, terminal } = context
    const format = FORMATS.find((f) => f === values.format)
    if (format === undefined)
      throw usageError('usage.bad_format', 'Give --format csv, xlsx or json. See: amanat export --help')
    const out = values.out
    if (typeof out !== 'string' || out === '')
      throw usageError('usage.no_out', 'Say where to write the export: --out <file>.')
    const plaintext = values.plaintext === true
    const workspace = await unlockWorkspace(workspaceDir(context), terminal)
    try {
      const report = await exportCodedData(workspace, { format, out, plaintext })
      if (values.json === true) terminal.out(JSON.stringify({ ...report, plaintext, format }))
      else {
        terminal.out(`exported: ${String(report.rows)} rows, ${String(report.respondents)} respondents`)
        terminal.out(`sha256: ${report.sha256}`)
      }
      if (plaintext)
        terminal.warn(
          `${out} is NOT encrypted: keep it off shared and synced folders, and delete it when done.`,
        )
      else terminal.info(`Sealed to ${String(report.recipients)} recipients.`)
      return EXIT.ok
    } finally {
      await workspace.close()
    }
  },
}
