import { existsSync } from 'node:fs'
import { inputError } from '@amanat/domain'
import { WORKSPACE_OPTION, workspaceDir, type Command } from '../command.ts'
import { EXIT } from '../exit-codes.ts'
import { unlockWorkspace } from '../unlock.ts'
import { importCodedData } from '../../transfer/import-coded-data.ts'
import { formatOfFile } from '../../transfer/row-sources.ts'

export const importCommand: Command = {
  name: 'import',
  summary: 'import coded data (one row per incident) from a CSV, XLSX or JSON file',
  help: `Usage: amanat import <file.csv|file.xlsx|file.json> --workspace <dir> [--json]

Reads coded data, one row per incident, in the columns docs/import-format.md describes
(respondent_key, collection_mode, residence_country, ethnicity, disclosure, status, occupation,
incident_type, channel, perpetrator, target, year, received_country, origin_place, note, and
optional ones). Codes must be in the workspace's codebook.

All or nothing: every row is checked first, and if any is wrong each is listed on stderr with
its line and reason, exit 1, and nothing is imported. Importing replaces the coded data of each
respondent the file names; respondents whose data already matches are skipped, so importing the
same file again changes nothing and a corrected file updates only what changed. Consent defaults
to "aggregate" (counting only) unless the file has a consent column.

Options:
  --workspace <dir>    the workspace (or AMANAT_WORKSPACE)
  --json               print the outcome as JSON on stdout
  -h, --help           this help`,
  options: { ...WORKSPACE_OPTION, json: { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run(context) {
    const { values, positionals, terminal } = context
    const path = positionals[0] ?? ''
    const format = formatOfFile(path)
    if (!existsSync(path)) throw inputError('import.file_not_found', `There is no file ${path}.`)
    const workspace = await unlockWorkspace(workspaceDir(context), terminal)
    try {
      const outcome = await importCodedData(workspace, {
        path,
        format,
        progress: (total) => terminal.progress('importing', total),
      })
      if (!outcome.ok) {
        for (const problem of outcome.problems)
          terminal.info(`${outcome.unit} ${String(problem.line)}: ${problem.message}`)
        if (values.json === true)
          terminal.out(JSON.stringify({ ok: false, unit: outcome.unit, problems: outcome.problems }))
        const count = outcome.problems.length
        throw inputError(
          'import.rows_refused',
          `${String(count)} ${count === 1 ? 'row is' : 'rows are'} wrong (listed above); nothing was imported.`,
        )
      }
      if (values.json === true) terminal.out(JSON.stringify(outcome))
      else {
        terminal.out(`imported: ${String(outcome.rows)} rows, ${String(outcome.respondents)} respondents`)
        terminal.out(
          `written: ${String(outcome.written)} respondents changed, ${String(outcome.unchanged)} unchanged`,
        )
      }
      return EXIT.ok
    } finally {
      await workspace.close()
    }
  },
}
