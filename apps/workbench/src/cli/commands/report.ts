import { CORE_LANGUAGES, usageError, type CoreLanguage } from '@amanat/domain'
import { unlockWithKeys } from '../../keys/unlock-keys.ts'
import { DEFAULT_K } from '../../report/build-report.ts'
import { buildWorkspaceReport } from '../../report/report-workspace.ts'
import { wholeNumber } from '../../intake/intake-options.ts'
import { WORKSPACE_OPTION, workspaceDir, type Command } from '../command.ts'
import { EXIT } from '../exit-codes.ts'

export const reportCommand: Command = {
  name: 'report',
  summary: 'build the published report: charts, tables, stories, through disclosure control',
  help: `Usage: amanat report --workspace <dir> --out <dir> [--k 5] [--lang en|ug|zh|tr] [--json]

Builds the report as a folder of static files that make no request outside the folder:
index.html (with report.css), data.json and data.schema.json, tables/*.csv, tables.xlsx,
charts/*.svg and charts/*.png, and disclosure-log.json (what was suppressed and why).

Every number goes through disclosure control as one release (primary suppression below k,
complementary suppression, differencing against earlier releases), recorded in the release
ledger. Stories marked for publication appear under their pseudonyms if the respondent consented;
the build stops (exit 1) while a marked story's text holds an identifier, a locality or an exact
date (see: amanat story --help). Rebuilding from an unchanged workspace gives the same bytes and
records nothing new. An existing --out folder is replaced only if it holds a report.

Options:
  --workspace <dir>   the workspace (or AMANAT_WORKSPACE)
  --out <dir>         the folder to write
  --k <n>             the disclosure threshold (default ${String(DEFAULT_K)}, at least 2)
  --lang <tag>        the report's language: en, ug (right to left), zh or tr (default en)
  --json              print what was built as JSON on stdout
  -h, --help          this help`,
  options: {
    ...WORKSPACE_OPTION,
    out: { type: 'string' },
    k: { type: 'string' },
    lang: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const { values, terminal } = context
    const out = values.out
    if (typeof out !== 'string' || out === '') throw usageError('usage.no_out', 'Where to? Give --out <dir>.')
    const language = parseLanguage(values.lang)
    const k = wholeNumber(context, 'k', 2, 1000, DEFAULT_K)
    const unlocked = await unlockWithKeys(workspaceDir(context), terminal)
    try {
      const result = await buildWorkspaceReport(unlocked, { outDir: out, k, language })
      if (values.json === true) {
        terminal.out(
          JSON.stringify({
            outDir: result.outDir,
            files: result.files,
            recorded: result.recorded,
            suppressed: result.suppressed,
            stories: result.stories,
          }),
        )
      } else {
        terminal.out(`report: ${result.outDir}/index.html`)
        terminal.info(
          `${String(result.files.length)} files; ${String(result.suppressed)} counts suppressed; ${String(result.stories)} stories; ${result.recorded ? 'release recorded in the ledger' : 'same as the last release: nothing new recorded'}`,
        )
      }
      if (result.withheldStories.length > 0) {
        terminal.warn(
          `${String(result.withheldStories.length)} story(ies) marked for publication were left out: the respondent has not consented to a story, or withdrew.`,
        )
      }
      return EXIT.ok
    } finally {
      await unlocked.close()
    }
  },
}

function parseLanguage(value: string | boolean | undefined): CoreLanguage {
  if (value === undefined) return 'en'
  const found = CORE_LANGUAGES.find((l) => l === value)
  if (found === undefined)
    throw usageError('usage.bad_option', `--lang takes one of ${CORE_LANGUAGES.join(', ')}.`)
  return found
}
