import { describeIssues, inputError, isAmanatError, usageError } from '@amanat/domain'
import { MiB, readFileWithin } from '../../files/read-within.ts'
import { overwriteAndUnlink } from '../../keys/files.ts'
import { findRespondent } from '../../keys/respondent-ref.ts'
import { unlockWithKeys, type UnlockedWorkspace } from '../../keys/unlock-keys.ts'
import type { VaultEntry } from '../../vault/vault-entry.ts'
import { VaultEntryInput, vaultEntryFrom } from '../../vault/vault-input.ts'
import { readVaultTable, tableFormatOf, type TableEntry } from '../../vault/vault-table.ts'
import { WORKSPACE_OPTION, workspaceDir, type Command, type CommandContext } from '../command.ts'
import { EXIT } from '../exit-codes.ts'

const ACTIONS = ['show', 'set', 'remove', 'import'] as const

export const vaultCommand: Command = {
  name: 'vault',
  summary: "keep respondents' identifying details in the vault, apart from the workspace",
  help: `Usage: amanat vault show --workspace <dir> --respondent <ref> [--json]
       amanat vault set --workspace <dir> --respondent <ref> --file <entry.json> [--wipe-source]
       amanat vault remove --workspace <dir> --respondent <ref>
       amanat vault import --workspace <dir> --file <entries.jsonl | people.csv | people.xlsx>
                           [--wipe-source]

The vault keeps what identifies a respondent (real names, contacts, address, document numbers,
relatives' names, the invite they were sent) under its own key, apart from the coding: a
travel copy leaves it behind, erasure kills an entry even in older copies, and every case story
is checked against it. On a team's PostgreSQL workspace the entries are kept, sealed, in the
shared store, so every analyst of the team reads them. Details come from a file (or "-" for
stdin), never from the command line, which shells and process lists keep.

An entry is a JSON object; every field may be left out:
  {"names": ["…"], "contacts": [{"kind": "phone", "value": "…"}], "address": "…",
   "documents": [{"kind": "passport", "number": "…"}], "relativeNames": ["…"],
   "invite": "<the invite link or code they were sent>"}
contact kinds: phone, email, wechat, whatsapp, telegram, signal, other; document kinds:
passport, national_id, residence_permit, asylum_case, other. The invite is kept as its token
hash only. "set" replaces the respondent's entry. "import" takes one entry a line (JSON Lines),
each with "respondent": "<key, pseudonym or id>", or a spreadsheet (.csv in UTF-8, or the first
sheet of an .xlsx) with a header row and one person a row. Its columns: respondent (required);
names, relative_names, address, invite; phone, email, wechat, whatsapp, telegram, signal,
other_contact; passport, national_id, residence_permit, asylum_case, other_document. Put ";"
between several values in one cell. Every line or row is checked first, and nothing is written
unless all of them are right. The file itself is left as it was unless --wipe-source is given:
once the vault holds its contents, nothing else should (its other copies too).

Options:
  --workspace <dir>     the workspace (or AMANAT_WORKSPACE)
  --respondent <ref>    the respondent's key (R-0042), pseudonym or id
  --file <file>         the entry (set) or entries (import): UTF-8 JSON, JSON Lines, .csv or .xlsx; "-" for stdin (JSON)
  --json                with show: the entry as JSON on stdout
  --wipe-source         with set or import: once every entry is kept, overwrite the file with
                        random bytes and remove it (copies of it elsewhere are not reached)
  -h, --help            this help`,
  options: {
    ...WORKSPACE_OPTION,
    respondent: { type: 'string' },
    file: { type: 'string' },
    json: { type: 'boolean' },
    'wipe-source': { type: 'boolean' },
  },
  positionals: { min: 1, max: 1 },
  async run(context) {
    const [action] = context.positionals
    const known = ACTIONS.find((a) => a === action)
    if (known === undefined)
      throw usageError(
        'usage.bad_arguments',
        `amanat vault takes ${ACTIONS.join(', ')}. See: amanat vault --help`,
      )
    const { values } = context
    const respondent = typeof values.respondent === 'string' ? values.respondent.trim() : ''
    if (known !== 'import' && respondent === '')
      throw usageError('usage.no_respondent', 'Which respondent? Give --respondent <key-or-pseudonym>.')
    if ((known === 'set' || known === 'import') && typeof values.file !== 'string')
      throw usageError(
        'usage.no_file',
        `amanat vault ${known} reads the details from --file <file> ("-" for stdin).`,
      )
    const wipeSource = values['wipe-source'] === true
    if (wipeSource && (!(known === 'set' || known === 'import') || values.file === '-'))
      throw usageError(
        'usage.bad_arguments',
        '--wipe-source goes with "set" or "import" and a --file (not stdin).',
      )
    const unlocked = await unlockWithKeys(workspaceDir(context), context.terminal)
    let code: number
    try {
      code = await runAction(context, unlocked, known, respondent)
    } finally {
      await unlocked.close()
    }
    // Only once every entry is kept: a refused file stays where it was, nothing lost.
    if (wipeSource && typeof values.file === 'string') {
      overwriteAndUnlink(values.file)
      context.terminal.info(`source file overwritten and removed: ${values.file}`)
    }
    return code
  },
}

async function runAction(
  context: CommandContext,
  unlocked: UnlockedWorkspace,
  action: (typeof ACTIONS)[number],
  ref: string,
): Promise<number> {
  const { values, terminal } = context
  const { store, analyst } = unlocked.workspace
  const file = typeof values.file === 'string' ? values.file : '-'
  switch (action) {
    case 'show': {
      const { id } = await findRespondent(store, ref)
      const entry = await unlocked.vault.get(id)
      if (values.json === true) terminal.out(JSON.stringify({ respondentId: id, entry }))
      else if (entry === null) terminal.info('no vault entry for this respondent')
      else for (const line of describeEntry(entry)) terminal.out(line)
      return EXIT.ok
    }
    case 'set': {
      const { id } = await findRespondent(store, ref)
      const entry = entryOf(parseJson(readText(file), 'The file'), 'The entry')
      await unlocked.vault.set(analyst.id, id, entry)
      terminal.info(`vault entry set for ${ref}`)
      return EXIT.ok
    }
    case 'remove': {
      const { id } = await findRespondent(store, ref)
      const removed = await unlocked.vault.remove(id)
      terminal.info(removed ? `vault entry removed for ${ref}` : 'no vault entry for this respondent')
      return EXIT.ok
    }
    case 'import': {
      const format = file === '-' ? null : tableFormatOf(file)
      return importEntries(
        context,
        unlocked,
        format === null ? jsonLines(readText(file)) : await readVaultTable(file, format),
      )
    }
  }
}

/** The entries of a JSON Lines file, one a line; blank lines are skipped. */
function jsonLines(text: string): TableEntry[] {
  const items: TableEntry[] = []
  for (const [index, raw] of text.split('\n').entries()) {
    if (raw.trim() === '') continue
    const line = index + 1
    try {
      const value = parseJson(raw, 'The line')
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        throw inputError('input.invalid', 'The line is not a JSON object.')
      items.push({ line, value: value as Record<string, unknown> })
    } catch (error) {
      if (!isAmanatError(error)) throw error
      items.push({ line, problem: error.message })
    }
  }
  return items
}

/**
 * `amanat vault import`: every entry (a JSON line, or a spreadsheet row) checked, then every entry
 * written; nothing when one is wrong.
 */
async function importEntries(
  context: CommandContext,
  unlocked: UnlockedWorkspace,
  items: readonly TableEntry[],
): Promise<number> {
  const { terminal } = context
  const { store, analyst } = unlocked.workspace
  const entries: { line: number; id: string; entry: VaultEntry }[] = []
  const problems: string[] = []
  const seen = new Map<string, number>()
  for (const item of items) {
    const { line } = item
    if ('problem' in item) {
      problems.push(`line ${String(line)}: ${item.problem}`)
      continue
    }
    try {
      const { respondent, ...rest } = item.value
      if (typeof respondent !== 'string' || respondent.trim() === '')
        throw inputError('input.invalid', 'respondent: give the respondent’s key, pseudonym or id.')
      const { id } = await findRespondent(store, respondent)
      const earlier = seen.get(id)
      if (earlier !== undefined)
        throw inputError(
          'input.invalid',
          `the same respondent as line ${String(earlier)}; give one line a respondent.`,
        )
      seen.set(id, line)
      entries.push({ line, id, entry: entryOf(rest, 'The entry') })
    } catch (error) {
      if (!isAmanatError(error) || error.kind !== 'input') throw error
      problems.push(`line ${String(line)}: ${error.message}`)
    }
  }
  if (problems.length > 0) {
    for (const problem of problems) terminal.info(problem)
    throw inputError(
      'vault.lines_refused',
      `${String(problems.length)} ${problems.length === 1 ? 'line is' : 'lines are'} wrong (listed above); nothing was written.`,
    )
  }
  const progress = terminal.progress('keeping entries', entries.length)
  for (const [done, { id, entry }] of entries.entries()) {
    await unlocked.vault.set(analyst.id, id, entry)
    progress.tick(done + 1)
  }
  progress.done()
  terminal.out(`vault entries set: ${String(entries.length)}`)
  return EXIT.ok
}

/** An entry from parsed JSON; input `input.invalid` naming the fields, never their content. */
function entryOf(value: unknown, what: string): VaultEntry {
  const parsed = VaultEntryInput.safeParse(value)
  if (!parsed.success)
    throw inputError('input.invalid', `${what} is not valid: ${describeIssues(parsed.error).join('; ')}.`)
  return vaultEntryFrom(parsed.data)
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw inputError('input.invalid', `${what} is not JSON.`)
  }
}

function readText(file: string): string {
  return readFileWithin(file, 256 * MiB, 'split the entries into several files').toString('utf8')
}

/** The entry as lines for a person. */
function describeEntry(entry: VaultEntry): string[] {
  return [
    ...entry.names.map((name) => `name: ${name}`),
    ...entry.contacts.map((c) => `contact (${c.kind}): ${c.value}`),
    ...(entry.address === null ? [] : [`address: ${entry.address.replace(/\n/g, ', ')}`]),
    ...entry.documents.map((d) => `document (${d.kind}): ${d.number}`),
    ...entry.relativeNames.map((name) => `relative: ${name}`),
    ...(entry.inviteTokenHash === null ? [] : [`invite (token hash): ${entry.inviteTokenHash}`]),
  ]
}
