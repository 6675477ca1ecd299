import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { sized } from '../../../../tools/test-support/profile.ts'
import { openWorkspace } from '../../src/workspace/workspace.ts'
import { markedWorkspace } from '../keys/support.ts'
import { amanat, filesBelow, PASSPHRASES, TEST_PASSPHRASE, tempDir } from '../support.ts'

/** A test-only workspace with a synthetic study, and the key of a respondent who may be told as a story. */
export interface ReportWorkspace {
  readonly dir: string
  readonly storyteller: { readonly key: string; readonly pseudonym: string; readonly country: string | null }
}

export async function reportWorkspace(respondents = sized(300, 5000)): Promise<ReportWorkspace> {
  // A fixed seed: the tests need a respondent who consented to a story, and a study of 20 drawn
  // afresh each run sometimes has none (seen once in a fresh-clone run).
  const { dir } = await markedWorkspace({ respondents, seed: `report-${String(respondents)}` })
  const workspace = await openWorkspace(dir, TEST_PASSPHRASE)
  try {
    const row = await workspace.store.db
      .selectFrom('respondents')
      .select(['key', 'pseudonym', 'residence_country'])
      .where('consent_withdrawn', '=', 0)
      .where('consent_uses', 'like', '%"anonymised_story"%')
      .where('pseudonym', 'is not', null)
      .orderBy('respondent_no')
      .executeTakeFirstOrThrow()
    return {
      dir,
      storyteller: { key: row.key, pseudonym: row.pseudonym ?? '', country: row.residence_country },
    }
  } finally {
    await workspace.close()
  }
}

/** Adds a story through the CLI and marks it for publication; returns its id. */
export async function addStory(ws: ReportWorkspace, title: string, text: string): Promise<string> {
  const file = join(tempDir(), 'story.txt')
  writeFileSync(file, text)
  const run = await amanat(
    [
      'story',
      'add',
      '--workspace',
      ws.dir,
      '--respondent',
      ws.storyteller.key,
      '--title',
      title,
      '--text-file',
      file,
      '--publish',
    ],
    PASSPHRASES,
  )
  if (run.code !== 0) throw new Error(`story add failed: ${run.stderr.join('\n')}`)
  return run.stdout[0] ?? ''
}

/** SHA-256 of every file below `dir`, by path relative to it. */
export function digestOf(dir: string): Record<string, string> {
  return Object.fromEntries(
    filesBelow(dir)
      .map(
        (file) =>
          [relative(dir, file), createHash('sha256').update(readFileSync(file)).digest('hex')] as const,
      )
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  )
}
