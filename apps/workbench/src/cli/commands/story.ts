import { readFileSync } from 'node:fs'
import { inputError, usageError } from '@amanat/domain'
import { unlockWithKeys } from '../../keys/unlock-keys.ts'
import { sessionFor } from '../../service/session.ts'
import { checkStory, listStories, markStory, removeStory, saveStory } from '../../stories/stories.ts'
import { WORKSPACE_OPTION, workspaceDir, type Command, type CommandContext } from '../command.ts'
import { EXIT } from '../exit-codes.ts'
import type { UnlockedWorkspace } from '../../keys/unlock-keys.ts'

const ACTIONS = ['add', 'list', 'mark', 'unmark', 'remove', 'check'] as const

export const storyCommand: Command = {
  name: 'story',
  summary: 'write case stories and mark them for publication in the report',
  help: `Usage: amanat story add --workspace <dir> --respondent <key> --title <t> --text-file <f> [--language en] [--publish]
       amanat story list --workspace <dir> [--respondent <key>] [--json]
       amanat story mark|unmark|remove|check <story-id> --workspace <dir>

A case story retells one respondent's account under their pseudonym, with places generalised to
the country and dates to the year. "mark" puts it in the next report; the report then publishes
it only if the respondent consented to an anonymised story (or to quotes) and has not withdrawn,
and refuses to build while its text holds any of the respondent's identifiers (phone numbers in
any spelling, WeChat/WhatsApp ids, e-mail, office and officer names), their key, a locality of
their incidents, a name or contact from their vault entry, or a date finer than a year.
"check" runs those text checks now and lists what it found (kinds only, never the text).

Options:
  --workspace <dir>     the workspace (or AMANAT_WORKSPACE)
  --respondent <ref>    the respondent's key (R-0042), pseudonym or id
  --title <text>        the story's title
  --text-file <file>    the story's text (UTF-8), "-" for stdin
  --language <tag>      the story's language (default en)
  --publish             with add: mark it for publication at once
  --json                with list and check: JSON on stdout
  -h, --help            this help`,
  options: {
    ...WORKSPACE_OPTION,
    respondent: { type: 'string' },
    title: { type: 'string' },
    'text-file': { type: 'string' },
    language: { type: 'string' },
    publish: { type: 'boolean' },
    json: { type: 'boolean' },
  },
  positionals: { min: 1, max: 2 },
  async run(context) {
    const [action, storyId] = context.positionals
    const known = ACTIONS.find((a) => a === action)
    if (known === undefined)
      throw usageError(
        'usage.bad_arguments',
        `amanat story takes ${ACTIONS.join(', ')}. See: amanat story --help`,
      )
    const needsId = known !== 'add' && known !== 'list'
    if (needsId !== (storyId !== undefined)) {
      throw usageError(
        'usage.bad_arguments',
        needsId ? `amanat story ${known} takes a story id.` : `amanat story ${known} takes no story id.`,
      )
    }
    const unlocked = await unlockWithKeys(workspaceDir(context), context.terminal)
    try {
      return await runAction(context, unlocked, known, storyId ?? '')
    } finally {
      await unlocked.close()
    }
  },
}

async function runAction(
  context: CommandContext,
  unlocked: UnlockedWorkspace,
  action: (typeof ACTIONS)[number],
  storyId: string,
): Promise<number> {
  const { values, terminal } = context
  const store = unlocked.workspace.store
  const session = await sessionFor(unlocked.workspace)
  switch (action) {
    case 'add': {
      const respondent = requiredString(values.respondent, '--respondent <key>')
      const title = requiredString(values.title, '--title <text>')
      const text = readText(requiredString(values['text-file'], '--text-file <file>'))
      const language = typeof values.language === 'string' ? values.language : 'en'
      const story = await saveStory(session, {
        respondent,
        title,
        text,
        language,
        publish: values.publish === true,
      })
      terminal.out(story.id)
      return EXIT.ok
    }
    case 'list': {
      const respondent = typeof values.respondent === 'string' ? values.respondent : undefined
      const views = await listStories(store, respondent)
      if (values.json === true) {
        terminal.out(
          JSON.stringify(
            views.map((v) => ({ ...v.story, respondentKey: v.respondentKey, pseudonym: v.pseudonym })),
          ),
        )
      } else {
        for (const v of views)
          terminal.out(
            `${v.story.id}  ${v.respondentKey}  ${v.story.publish ? 'marked' : '-'}  ${v.story.language}  ${v.story.title}`,
          )
      }
      return EXIT.ok
    }
    case 'mark':
    case 'unmark':
      await markStory(session, storyId, action === 'mark')
      return EXIT.ok
    case 'remove':
      await removeStory(session, storyId)
      return EXIT.ok
    case 'check': {
      const view = (await listStories(store)).find((v) => v.story.id === storyId)
      if (view === undefined)
        throw inputError('story.not_found', 'This workspace holds no story with that id.')
      const findings = await checkStory(store, view, unlocked.vault)
      if (values.json === true) terminal.out(JSON.stringify(findings))
      else if (findings.length === 0) terminal.out('ok: no identifier, locality or exact date found')
      else
        for (const f of findings)
          terminal.out(
            f.problem === 'exact_date'
              ? 'found: a date finer than a year'
              : `found: a ${f.kind} from the ${f.source}`,
          )
      return findings.length === 0 ? EXIT.ok : EXIT.input
    }
  }
}

function requiredString(value: string | boolean | undefined, option: string): string {
  if (typeof value !== 'string' || value.trim() === '')
    throw usageError('usage.missing_option', `amanat story add needs ${option}.`)
  return value
}

function readText(file: string): string {
  try {
    return readFileSync(file === '-' ? 0 : file, 'utf8')
  } catch {
    throw inputError('file.unreadable', `Cannot read the story text from ${file}.`)
  }
}
