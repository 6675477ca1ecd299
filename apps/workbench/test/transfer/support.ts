import { join } from 'node:path'
import { generateStudy } from '@amanat/synthetic'
import { expect } from 'vitest'
import type { CodedCells } from '../../src/transfer/coded-columns.ts'
import { cellsOfRespondent } from '../../src/transfer/coded-row.ts'
import { readCodebook } from '../../src/workspace/codebook-file.ts'
import { PASSPHRASES, amanat, tempDir, type CapturedRun } from '../support.ts'

/** Builders for the import and export tests: workspaces, coded rows from a synthetic study, runs. */

export const CODEBOOK = readCodebook()

/** A fresh test-only workspace (SQLite, or a PostgreSQL schema when `postgres` is given). */
export async function newWorkspace(postgres?: { url: string; schema: string }): Promise<string> {
  const dir = join(tempDir(), 'ws')
  const extra = postgres === undefined ? [] : ['--postgres', postgres.url, '--schema', postgres.schema]
  const run = await amanat(
    ['init', '--test-only-weak-keys', '--analyst', 'tester', ...extra, dir],
    PASSPHRASES,
  )
  expect(run.code).toBe(0)
  return dir
}

/** The rows of a seeded synthetic study of `respondents` people, as the import format writes them. */
export function studyRows(respondents: number, seed = 'transfer-tests'): CodedCells[] {
  return [...generateStudy({ seed, respondents, codebook: CODEBOOK })].flatMap((body) =>
    cellsOfRespondent(body.respondent, body.incidents),
  )
}

/** `amanat <argv>` with the test passphrases. */
export function run(argv: string[]): Promise<CapturedRun> {
  return amanat(argv, PASSPHRASES)
}

/** `amanat <argv>`, expected to succeed. */
export async function ok(argv: string[]): Promise<CapturedRun> {
  const result = await run(argv)
  expect(result.code, result.stderr.join('\n')).toBe(0)
  return result
}

/** How many events the workspace's log holds (from `amanat verify --json`). */
export async function eventCount(workspace: string): Promise<number> {
  const verified = await ok(['verify', '--workspace', workspace, '--json'])
  return (JSON.parse(verified.stdout[0] ?? '{}') as { events: number }).events
}
