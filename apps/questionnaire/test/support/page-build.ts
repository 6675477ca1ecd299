import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { buildQuestionnairePage } from '../../build.mjs'

/**
 * The page built into a fresh temporary directory, as a deployment would build it. The caller
 * removes the directory when done.
 */
export async function buildPageInto(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'amanat-q-page-'))
  await buildQuestionnairePage(dir)
  return dir
}
