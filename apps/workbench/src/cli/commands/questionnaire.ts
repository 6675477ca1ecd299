import { isAmanatError, usageError, type Codebook, type QuestionnaireProblem } from '@amanat/domain'
import type { Command, CommandContext } from '../command.ts'
import { EXIT } from '../exit-codes.ts'
import { wholeNumber } from '../../intake/intake-options.ts'
import { ensurePageBundle } from '../../intake/bundles.ts'
import { startPreviewServer } from '../../intake/preview-server.ts'
import { readQuestionnaireFile } from '../../intake/questionnaire-file.ts'
import { readCodebook } from '../../workspace/codebook-file.ts'

export const questionnaireCommand: Command = {
  name: 'questionnaire',
  summary: 'check a questionnaire definition, or preview it in a browser',
  help: `Usage: amanat questionnaire check <file> [options]
       amanat questionnaire preview <file> [options]

<file> is a questionnaire definition (JSON, docs/questionnaire-format.md), or "default" for the
default questionnaire.

"check" validates it against the codebook and compiles it as "amanat publish" would. A file
that is not right is refused with exit 1, naming the file, line, column and path of each
problem (the first in the error line, all of them above it). A file that passes is summarised on
stdout, followed by one line per text that lacks a translation ("missing translation: <language>
<path>"); the page shows the default language there.

"preview" serves the page with this questionnaire on 127.0.0.1 until Ctrl-C and prints its
address ("preview: <url>"). It is signed with a throw-away key and cannot send anything.

Options:
  --codebook <file>    check against this codebook (default: the default codebook)
  --port <n>           with preview: the port (default: a free one)
  --json               with check: print the result as JSON on stdout
  -h, --help           this help`,
  options: { codebook: { type: 'string' }, port: { type: 'string' }, json: { type: 'boolean' } },
  positionals: { min: 2, max: 2 },
  async run(context) {
    const [action, file] = context.positionals
    if (action !== 'check' && action !== 'preview') {
      throw usageError('usage.bad_arguments', 'amanat questionnaire takes check or preview. See: amanat questionnaire --help')
    }
    const codebook = readCodebook(typeof context.values.codebook === 'string' ? context.values.codebook : undefined)
    return action === 'check' ? check(context, file ?? '', codebook) : preview(context, file ?? '', codebook)
  },
}

function check(context: CommandContext, file: string, codebook: Codebook): number {
  const { terminal, values } = context
  let result
  try {
    result = readQuestionnaireFile(file, codebook)
  } catch (error) {
    if (isAmanatError(error, 'questionnaire.invalid')) {
      const problems = (error.details.problems ?? []) as readonly QuestionnaireProblem[]
      for (const p of problems.slice(1)) {
        terminal.info(`  ${p.line === undefined ? '' : `line ${String(p.line)}, column ${String(p.column ?? 1)}, `}at ${p.path}: ${p.message}`)
      }
    }
    throw error
  }
  const { questionnaire, missingTranslations } = result
  if (values.json === true) {
    terminal.out(JSON.stringify({ id: questionnaire.id, version: questionnaire.version, languages: questionnaire.languages, missingTranslations }))
    return EXIT.ok
  }
  const questions = questionnaire.sections.reduce((n, s) => n + s.items.length, 0)
  terminal.out(`ok: ${questionnaire.id} ${questionnaire.version} (${String(questionnaire.sections.length)} sections, ${String(questions)} items; languages: ${questionnaire.languages.join(', ')})`)
  for (const m of missingTranslations) terminal.out(`missing translation: ${m.language} ${m.path}${m.code === undefined ? '' : ` (code ${m.code})`}`)
  return EXIT.ok
}

async function preview(context: CommandContext, file: string, codebook: Codebook): Promise<number> {
  const { questionnaire } = readQuestionnaireFile(file, codebook)
  const server = await startPreviewServer(questionnaire, await ensurePageBundle(), wholeNumber(context, 'port', 0, 65535, 0))
  context.terminal.out(`preview: ${server.url}`)
  context.terminal.info('Open it in a browser; Ctrl-C stops the preview. Nothing can be sent from it.')
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await server.close()
  return EXIT.ok
}
