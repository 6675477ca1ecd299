import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ageCliAvailable } from '../../../tools/test-support/services.ts'
import { readQuestionnaireFile } from '../src/intake/questionnaire-file.ts'
import { readCodebook } from '../src/workspace/codebook-file.ts'
import {
  amanatOk,
  defaultSubmission,
  initWorkspace,
  marker,
  paddedJson,
  postSubmission,
  startTestServer,
  tempDir,
  tokenOf,
  workspaceKeys,
  type TestServer,
} from './support/intake-fixtures.ts'

/**
 * T11, reverse direction: a submission sealed by Debian's `age -r` (Go's age, not typage) is
 * accepted by the server and imported by pull through the native path, like the page's.
 */
const questionnaire = readQuestionnaireFile('default', readCodebook()).questionnaire

describe.runIf(ageCliAvailable())('T11 reverse: files made with age -r import', () => {
  const temp = tempDir('age-cli')
  const ws = join(temp.dir, 'ws')
  let server: TestServer

  beforeAll(async () => {
    await initWorkspace(ws)
    server = await startTestServer(join(temp.dir, 'intake'))
    await amanatOk(['publish', 'default', '--workspace', ws, '--server', server.url, '--credential', server.credential])
  })
  afterAll(async () => {
    await server.close()
    temp.cleanup()
  })

  it('imports submissions sealed with age -r to the published recipients, small and over one chunk', async () => {
    const keys = workspaceKeys(ws)
    const links = (await amanatOk(['invite', '--workspace', ws, '--server', server.url, '--count', '2'])).stdout
    // The second is padded to the page's 256 KiB bucket: four payload chunks.
    const sizes = [4096, 256 * 1024]
    for (const [i, size] of sizes.entries()) {
      const plain = join(temp.dir, `plain-${String(i)}.json`)
      writeFileSync(plain, paddedJson(defaultSubmission(questionnaire, `sealed by age ${marker()}`), size))
      const sealed = join(temp.dir, `sealed-${String(i)}.age`)
      execFileSync('age', ['-r', keys.analystRecipient, '-r', keys.backupRecipient, '-o', sealed, plain])
      await postSubmission(server.url, tokenOf(links[i] ?? ''), readFileSync(sealed))
    }
    const pulled = await amanatOk(['pull', '--workspace', ws, '--server', server.url, '--json'])
    const report = JSON.parse(pulled.stdout[0] ?? '{}') as { imported: number; flagged: number }
    expect(report).toMatchObject({ imported: 2, flagged: 0 })
  })
})
