import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { sized } from '../../../../tools/test-support/profile.ts'
import { openWorkspace } from '../../src/workspace/workspace.ts'
import { TEST_PASSPHRASE } from '../support.ts'
import { markedWorkspace } from './support.ts'

const KILLS = sized(10, 100)
const CHILD = join(import.meta.dirname, 'crash-child.ts')

/** Starts the writer, waits until it has committed at least once, then SIGKILLs it after a random delay. */
async function killMidImport(dir: string, seed: string, delayMs: number): Promise<void> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, dir, seed], {
    env: { ...process.env, AMANAT_PASSPHRASE: TEST_PASSPHRASE },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()))
  await new Promise<void>((resolve, reject) => {
    child.stdout.once('data', () => resolve())
    child.once('exit', () => reject(new Error(`the writer stopped before committing: ${stderr}`)))
  })
  await new Promise((resolve) => setTimeout(resolve, delayMs))
  child.kill('SIGKILL')
  await exited
}

describe('crash safety (T19)', () => {
  it(`after ${String(KILLS)} kill -9 during imports and coding: integrity ok, chain verifies, no partial testimony`, async () => {
    const { dir } = await markedWorkspace({ respondents: 3 })
    let imported = 0
    for (let kill = 0; kill < KILLS; kill += 1) {
      await killMidImport(dir, `crash-${String(kill)}`, Math.floor(Math.random() * 400))
      const workspace = await openWorkspace(dir, TEST_PASSPHRASE)
      try {
        const { store } = workspace
        await store.checkIntegrity()
        expect(await store.verify()).toMatchObject({ ok: true })
        const incidents = new Set(
          (await store.db.selectFrom('incidents').select('id').execute()).map((r) => r.id),
        )
        const testimonies = new Set(
          (await store.db.selectFrom('testimonies').select('id').execute()).map((r) => r.id),
        )
        const respondents = new Set(
          (await store.db.selectFrom('respondents').select('id').execute()).map((r) => r.id),
        )
        let accounts = 0
        for (let after = 0; ;) {
          const events = await store.events({ afterSeq: after, limit: 5000 })
          if (events.length === 0) break
          for (const event of events) {
            if (event.body?.kind === 'testimony.imported') {
              accounts += 1
              expect(testimonies.has(event.body.testimony.id)).toBe(true)
              expect(respondents.has(event.body.respondent.id)).toBe(true)
              for (const incident of event.body.incidents) expect(incidents.has(incident.id)).toBe(true)
            }
            if (event.body?.kind === 'incident.recorded')
              expect(incidents.has(event.body.incident.id)).toBe(true)
          }
          after = events.at(-1)!.seq
        }
        // Nothing projected without its event: every stored testimony and respondent came from a committed account.
        expect(testimonies.size).toBe(accounts)
        expect(respondents.size).toBe(accounts)
        expect(accounts).toBeGreaterThan(imported)
        imported = accounts
      } finally {
        await workspace.close()
      }
    }
  }, 120_000)
})
