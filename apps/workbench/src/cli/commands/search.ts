import { join } from 'node:path'
import { usageError } from '@amanat/domain'
import { openSearchIndex, SEARCH_INDEX_FILE, searchIndexKey, type SearchHit, type SearchRequest } from '@amanat/search'
import { unlockWithKeys } from '../../keys/unlock-keys.ts'
import { WORKSPACE_OPTION, workspaceDir, type Command } from '../command.ts'
import { EXIT } from '../exit-codes.ts'

export const searchCommand: Command = {
  name: 'search',
  summary: 'full-text search over the testimonies, in any language, with filters',
  help: `Usage: amanat search --workspace <dir> <query> [options]

Searches every testimony's text (narratives, translation, free-text answers, incident and relative
notes, identifiers) in Uyghur, Chinese, Turkish, English or any other language, best matches
first. The index lives in the workspace folder (${SEARCH_INDEX_FILE}, encrypted) and catches up
with the workspace by itself; the first search after many changes takes longer.

Query:
  words          all required; a word of 3+ letters also finds longer words starting with it
                 (Uyghur and Turkish suffixes: ساقچى finds ساقچىلار)
  word*          a prefix from 2 letters
  "a phrase"     these words in this order; "exact" matches one word exactly
  警察           Chinese: any run of characters is a substring search

Options:
  --workspace <dir>    the workspace (or AMANAT_WORKSPACE)
  --code <code>        only testimonies with this code (repeatable: all must apply)
  --country <CC>       only testimonies involving this country (repeatable: any)
  --year <Y|Y1-Y2>     only testimonies with an incident in this year or range
  --mode <mode>        online or interview
  --consent <use>      aggregate, anonymised_story, quote, share_with_lawyer, or withdrawn
  --limit <n>          how many results (default 20, at most 100)
  --json               print the results as JSON on stdout
  -h, --help           this help`,
  options: {
    ...WORKSPACE_OPTION,
    code: { type: 'string', multiple: true },
    country: { type: 'string', multiple: true },
    year: { type: 'string' },
    mode: { type: 'string' },
    consent: { type: 'string' },
    limit: { type: 'string' },
    json: { type: 'boolean' },
  },
  positionals: { min: 0, max: 1 },
  async run(context) {
    const { values, positionals, terminal } = context
    const request = requestFrom(positionals[0] ?? '', values)
    const unlocked = await unlockWithKeys(workspaceDir(context), terminal)
    const key = searchIndexKey(unlocked.keys.storeKey)
    const index = openSearchIndex({ file: join(unlocked.workspace.dir, SEARCH_INDEX_FILE), key, store: unlocked.workspace.store })
    try {
      let progress: ReturnType<typeof terminal.progress> | undefined
      await index.catchUp((done, total) => {
        progress ??= terminal.progress('indexing', total)
        progress.tick(done)
      })
      progress?.done()
      const results = await index.search(request)
      if (values.json === true) terminal.out(JSON.stringify(results))
      else for (const hit of results.hits) terminal.out(formatHit(hit))
      if (values.json !== true && results.hits.length === 0) terminal.info('no testimony matches')
      return EXIT.ok
    } finally {
      index.close()
      key.fill(0)
      await unlocked.close()
    }
  },
}

/** The request from the command line; the search itself checks it against its schema. */
function requestFrom(query: string, values: Readonly<Record<string, unknown>>): SearchRequest {
  const strings = (name: string) => (Array.isArray(values[name]) ? (values[name] as string[]) : undefined)
  const single = (name: string) => (typeof values[name] === 'string' ? values[name] : undefined)
  const year = single('year')
  const years = year === undefined ? undefined : yearRange(year)
  const limit = single('limit')
  const filters = Object.fromEntries(
    Object.entries({ codes: strings('code'), countries: strings('country')?.map((c) => c.toUpperCase()), years, mode: single('mode'), consent: single('consent') }).filter(
      ([, value]) => value !== undefined,
    ),
  )
  return { query, filters, ...(limit === undefined ? {} : { limit: Number(limit) }) }
}

function yearRange(text: string): { from: number; to: number } {
  const match = /^(\d{4})(?:-(\d{4}))?$/.exec(text)
  if (match === null) throw usageError('usage.bad_year', 'Give --year as a year (2018) or a range (2016-2018).')
  const from = Number(match[1])
  return { from, to: match[2] === undefined ? from : Number(match[2]) }
}

/** One result on a line of its own: ids, then the snippet with its matches in [brackets]. */
function formatHit(hit: SearchHit): string {
  const snippet = hit.snippet
  if (snippet === null) return `${hit.testimonyId}  (respondent ${hit.respondentId})`
  let text = ''
  let at = 0
  for (const [start, end] of snippet.marks) {
    text += `${snippet.text.slice(at, start)}[${snippet.text.slice(start, end)}]`
    at = end
  }
  text += snippet.text.slice(at)
  return `${hit.testimonyId}  (respondent ${hit.respondentId}, ${snippet.field})\n  ${text}`
}
