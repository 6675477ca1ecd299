import { randomBytes } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { parseCodebook } from '@amanat/domain'
import { generateX25519Identity, identityToRecipient } from 'age-encryption'
import { describe, expect, it } from 'vitest'
import { inlinePool, startProcessorPool } from '../../src/intake/processor-pool.ts'
import type {
  ProcessedSubmission,
  ProcessorSetup,
  SubmissionTask,
} from '../../src/intake/submission-processor.ts'
import { readQuestionnaireFile } from '../../src/intake/questionnaire-file.ts'
import { defaultCodebookPath, readCodebook } from '../../src/workspace/codebook-file.ts'
import { defaultSubmission, marker, randomId, sealSubmission } from '../support/intake-fixtures.ts'

const codebook = readCodebook()
const questionnaire = readQuestionnaireFile('default', codebook).questionnaire

/** A processor of the default questionnaire, sealed to `identity` alone, with `current` as the codebook in force. */
function setupFor(
  identity: string,
  current = codebook,
  codebooks: ProcessorSetup['codebooks'] = {},
): ProcessorSetup {
  return {
    identities: [identity],
    backupIdentity: null,
    published: [{ questionnaire, recipientCounts: [1] }],
    codebook: current,
    codebooks,
  }
}

/** What a result says, comparable across runs (ids and keys are drawn anew each time). */
function outcome(result: ProcessedSubmission): string {
  if (result.kind === 'set_aside') return `set aside: ${result.reason}`
  const body = JSON.parse(Buffer.from(result.event.json).toString('utf8')) as {
    testimony: { narratives: { text: string }[] }
  }
  return `mapped: ${body.testimony.narratives[0]?.text ?? ''}`
}

describe('the submission processor after a recode', () => {
  it('reads a submission against the codebook version its questionnaire is written for, not the newest', async () => {
    // A newer version without the WeChat channel, as the workspace's current codebook.
    const yaml = readFileSync(defaultCodebookPath(), 'utf8')
    const newer = parseCodebook(
      yaml
        .replace(/^version: 1\.0\.0$/m, 'version: 2.0.0')
        .replace(/\n {4}- code: wechat\n(?: {6,}.*\n)*/, '\n'),
    )
    expect(newer.sections.channels.some((entry) => entry.code === 'wechat')).toBe(false)
    const identity = await generateX25519Identity()
    const process = inlinePool(
      setupFor(identity, newer, { 'amanat-default@1.0.0': codebook, 'amanat-default@2.0.0': newer }),
    ).process
    const plaintext = defaultSubmission(questionnaire, `story ${marker()}`)
    const result = await process({
      itemId: randomId(),
      day: '2026-11-26',
      ciphertext: await sealSubmission(plaintext, [await identityToRecipient(identity)]),
    })
    if (result.kind !== 'mapped') throw new Error(`expected a mapped submission, got ${result.reason}`)
    const body = JSON.parse(Buffer.from(result.event.json).toString('utf8')) as {
      incidents: { channel: string | null; codebook: string }[]
    }
    // Read against the newer version, the incident lost its channel (or the incident itself).
    expect(body.incidents.map((incident) => [incident.channel, incident.codebook])).toEqual([
      ['wechat', 'amanat-default@1.0.0'],
    ])
  })
})

describe('the submission worker pool', () => {
  it('answers every task with its own result, in batches across workers, as the inline processor does', async () => {
    const identity = await generateX25519Identity()
    const recipient = await identityToRecipient(identity)
    const other = await identityToRecipient(await generateX25519Identity())
    const setup = setupFor(identity)
    // Genuine ones, one sealed to two recipients (a set never published), one sealed to someone
    // else, one not an age file: 150 tasks, more than a batch per worker, in an uneven mix.
    const tasks: SubmissionTask[] = []
    const expected: string[] = []
    for (let i = 0; i < 150; i++) {
      const story = `story ${String(i)} ${marker()}`
      const plaintext = defaultSubmission(questionnaire, story)
      const day = '2026-11-26'
      if (i % 37 === 5) {
        tasks.push({
          itemId: randomId(),
          day,
          ciphertext: await sealSubmission(plaintext, [recipient, other]),
        })
        expected.push('set aside: recipients_mismatch')
      } else if (i % 41 === 7) {
        tasks.push({ itemId: randomId(), day, ciphertext: await sealSubmission(plaintext, [other]) })
        expected.push('set aside: undecryptable')
      } else if (i % 43 === 11) {
        tasks.push({ itemId: randomId(), day, ciphertext: randomBytes(600) })
        expected.push('set aside: undecryptable')
      } else {
        tasks.push({ itemId: randomId(), day, ciphertext: await sealSubmission(plaintext, [recipient]) })
        expected.push(`mapped: ${story}`)
      }
    }

    const pool = await startProcessorPool(setup, 2)
    try {
      // Some submitted at once (full batches), the rest one by one as a pull that waits would.
      const first = await Promise.all(tasks.slice(0, 100).map((task) => pool.process(task)))
      const rest: ProcessedSubmission[] = []
      for (const task of tasks.slice(100)) rest.push(await pool.process(task))
      expect([...first, ...rest].map(outcome)).toEqual(expected)
    } finally {
      await pool.close()
    }
    const inline = inlinePool(setup)
    const inlineResults = await Promise.all(tasks.map((task) => inline.process(task)))
    expect(inlineResults.map(outcome)).toEqual(expected)
  }, 60_000)

  it('rejects what is still waiting when it is closed, and everything after', async () => {
    const identity = await generateX25519Identity()
    const setup = setupFor(identity)
    const pool = await startProcessorPool(setup, 1)
    const task = {
      itemId: randomId(),
      day: '2026-11-26',
      ciphertext: await sealSubmission(defaultSubmission(questionnaire, 'x'), [
        await identityToRecipient(identity),
      ]),
    }
    const waiting = expect(pool.process(task)).rejects.toMatchObject({ code: 'intake.pool_closed' })
    await pool.close()
    await waiting
    await expect(pool.process(task)).rejects.toMatchObject({ code: 'intake.pool_closed' })
  })
})
