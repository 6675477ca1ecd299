/**
 * The writer the crash test kills (T19): opens a workspace and imports a synthetic study batch
 * after batch — whole accounts as `testimony.imported`, plus coding writes (an extra incident on
 * an account already stored) — printing a line after each commit, until it is killed.
 */
import { generateStudy } from '@amanat/synthetic'
import { readCodebook } from '../../src/workspace/codebook-file.ts'
import { openWorkspace } from '../../src/workspace/workspace.ts'

const [dir, seed] = process.argv.slice(2)
const workspace = await openWorkspace(dir!, process.env.AMANAT_PASSPHRASE!)
const study = generateStudy({ seed: seed!, respondents: 100_000, codebook: readCodebook() })
let batch = 0
for (;;) {
  const bodies = []
  for (let i = 0; i < 1 + (batch % 7) * 5; i += 1) {
    const next = study.next()
    if (next.done === true) process.exit(0)
    const body = next.value
    bodies.push(body)
    const first = body.incidents[0]
    if (first !== undefined) {
      bodies.push({
        kind: 'incident.recorded' as const,
        incident: { ...first, id: `${first.id.slice(0, 25)}z`, note: 'coded later' },
      })
    }
  }
  await workspace.store.appendBatch(workspace.analyst.id, bodies)
  batch += 1
  process.stdout.write(`committed ${String(batch)}\n`)
}
