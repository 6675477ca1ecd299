import { beforeAll, describe, expect, it } from 'vitest'
import { SubmissionPlaintext, validateSubmission, type InviteToken, type QuestionnaireId } from '@amanat/domain'
import { openBytes } from '@amanat/crypto/open'
import { holdFile, isRefusal } from '../src/attachments.ts'
import { DEFAULT_LIMITS } from '../src/limits.ts'
import { unpadAttachment } from '../src/pad.ts'
import { sendAnswers } from '../src/send-flow.ts'
import { AnswerMemory } from '../src/state.ts'
import { verifySignedQuestionnaire, type VerifiedQuestionnaire } from '../src/verify.ts'
import { FakeIntake } from './support/fake-server.ts'
import { hasMarker, identifyingJpeg, identifyingPdf } from './support/images.ts'
import { orgKeys, signQuestionnaire, type OrgKeys } from './support/keys.ts'
import { attachment, longText, questionnaire, section, shortText, yesNo } from './support/questionnaires.ts'

const id = 'send-flow' as QuestionnaireId
const token = 'abcdefghjkmnpqrstvwxyz0123' as InviteToken
const policy = { attempts: 3, baseDelayMs: 1, maxDelayMs: 2 }
const sample = questionnaire(
  id,
  section('One', shortText('where'), yesNo('show_more'), longText('story', { showIf: { op: 'equals', question: 'show_more', value: true } })),
  section('Two', attachment('evidence')),
)

let org: OrgKeys
let verified: VerifiedQuestionnaire
beforeAll(async () => {
  org = await orgKeys()
  verified = verifySignedQuestionnaire(signQuestionnaire(org.signing, sample, [org.analyst.recipient, org.backup.recipient]), org.signing.fingerprint, id)
})

const evidenceQuestion = () => {
  const q = sample.sections[1]?.items[0]
  if (q?.kind !== 'attachment') throw new Error('fixture')
  return q
}

async function attach(memory: AnswerMemory, bytes: Uint8Array, name: string, type: string) {
  const held = await holdFile(
    { name, type, size: bytes.length, arrayBuffer: () => Promise.resolve(Uint8Array.from(bytes).buffer) },
    evidenceQuestion(),
    DEFAULT_LIMITS,
    { question: 0, total: 0 },
  )
  if (isRefusal(held)) throw new Error(held.kind)
  memory.files.set(held.upload, held)
  const existing = memory.current.evidence
  memory.set('evidence', [...(Array.isArray(existing) ? (existing as string[]) : []), held.upload])
  return held
}

async function open(bytes: Uint8Array, identity: string): Promise<Uint8Array> {
  return openBytes(bytes, [identity])
}

describe('sendAnswers', () => {
  it('seals what the respondent can see, and both the analyst and the backup key open it', async () => {
    const memory = new AnswerMemory()
    memory.set('where', 'ئۈرۈمچى 乌鲁木齐 🌙')
    memory.set('show_more', false)
    memory.set('story', 'hidden once show_more is no')
    const server = new FakeIntake()
    await sendAnswers({ verified, memory, language: 'ug', token, limits: DEFAULT_LIMITS, transport: server, retry: policy, now: () => new Date('2026-11-26T23:59:59Z') })
    expect(server.submissions).toHaveLength(1)
    const sealed = server.submissions[0]?.body ?? new Uint8Array()
    for (const identity of [org.analyst.identity, org.backup.identity]) {
      const plaintext = SubmissionPlaintext.parse(JSON.parse(new TextDecoder().decode(await open(sealed, identity))))
      expect(plaintext).toEqual({
        format: 'amanat-submission/1',
        questionnaireId: id,
        questionnaireVersion: '1.0.0',
        language: 'ug',
        answers: { where: 'ئۈرۈمچى 乌鲁木齐 🌙', show_more: false },
        attachments: [],
        submittedOn: '2026-11-26',
      })
      expect(validateSubmission(sample, plaintext)).toEqual([])
    }
    expect((await open(sealed, org.analyst.identity)).length).toBe(4096)
  })

  it('uploads cleaned attachments first and references them inside, with the keep-metadata choice', async () => {
    const memory = new AnswerMemory()
    const jpeg = await identifyingJpeg()
    const cleanedFile = await attach(memory, jpeg, 'IMG_0001.jpg', 'image/jpeg')
    const kept = await attach(memory, jpeg, 'IMG_0002.jpg', 'image/jpeg')
    kept.keepMetadata = true
    const pdf = await attach(memory, identifyingPdf(), 'summons.pdf', 'application/pdf')
    pdf.consentAsIs = true
    const server = new FakeIntake()
    await sendAnswers({ verified, memory, language: 'en', token, limits: DEFAULT_LIMITS, transport: server, retry: policy })

    const plaintext = SubmissionPlaintext.parse(JSON.parse(new TextDecoder().decode(await open(server.submissions[0]?.body ?? new Uint8Array(), org.backup.identity))))
    expect(validateSubmission(sample, plaintext)).toEqual([])
    expect(plaintext.attachments.map((a) => [a.upload, a.name, a.mediaType, a.metadataKept])).toEqual([
      [cleanedFile.upload, 'IMG_0001.jpg', 'image/jpeg', false],
      [kept.upload, 'IMG_0002.jpg', 'image/jpeg', true],
      [pdf.upload, 'summons.pdf', 'application/pdf', true],
    ])
    for (const ref of plaintext.attachments) {
      const padded = await open(server.upload(ref.upload), org.analyst.identity)
      expect(padded.length).toBe(ref.paddedLength)
      const content = unpadAttachment(padded, ref.byteLength)
      const digest = Buffer.from(await crypto.subtle.digest('SHA-256', content as Uint8Array<ArrayBuffer>)).toString('hex')
      expect(digest).toBe(ref.sha256)
      expect(hasMarker(content)).toBe(ref.metadataKept)
    }
  })

  it('after a failed send, trying again resends the same sealed bytes under the same ids', async () => {
    const memory = new AnswerMemory()
    memory.set('where', 'Almaty')
    await attach(memory, await identifyingJpeg(), 'a.jpg', 'image/jpeg')
    const server = new FakeIntake()
    server.fail = (_, url) => (url === '/api/submissions' ? 'network' : 'ok')
    const options = { verified, memory, language: 'en', token, limits: DEFAULT_LIMITS, transport: server, retry: policy }
    await expect(sendAnswers(options)).rejects.toMatchObject({ code: 'send.unreachable' })
    const firstBodies = server.requests.filter((r) => r.url === '/api/submissions').map((r) => Buffer.from(r.init.body as Uint8Array).toString('hex'))
    const chunkCount = server.requests.filter((r) => r.url === '/api/chunks').length
    server.fail = () => 'ok'
    await sendAnswers(options)
    const bodies = server.requests.filter((r) => r.url === '/api/submissions').map((r) => Buffer.from(r.init.body as Uint8Array).toString('hex'))
    expect(new Set(bodies).size).toBe(1)
    expect(bodies.length).toBe(firstBodies.length + 1)
    // The upload was complete: nothing of it was sent again.
    expect(server.requests.filter((r) => r.url === '/api/chunks').length).toBe(chunkCount)
  })

  it('refuses answers over the text limit before anything is sent', async () => {
    const memory = new AnswerMemory()
    memory.set('show_more', true)
    memory.set('story', '乌'.repeat(200_000))
    const server = new FakeIntake()
    const limits = { ...DEFAULT_LIMITS, submissionBytes: 100_000 }
    await expect(sendAnswers({ verified, memory, language: 'zh', token, limits, transport: server, retry: policy })).rejects.toMatchObject({
      code: 'submission.too_large',
    })
    expect(server.requests).toHaveLength(0)
  })
})

describe('AnswerMemory', () => {
  it('clear() forgets answers, drafts, files and zeroes their bytes and the sealed attempt', async () => {
    const memory = new AnswerMemory()
    memory.set('where', 'x')
    memory.drafts.set('n', '12a')
    const held = await attach(memory, await identifyingJpeg(), 'a.jpg', 'image/jpeg')
    const server = new FakeIntake()
    server.fail = () => 'network'
    await expect(sendAnswers({ verified, memory, language: 'en', token, limits: DEFAULT_LIMITS, transport: server, retry: policy })).rejects.toThrow()
    const sealed = memory.attempt?.sealedSubmission
    memory.clear()
    expect(memory.current).toEqual({})
    expect(memory.drafts.size).toBe(0)
    expect(memory.files.size).toBe(0)
    expect(memory.attempt).toBeNull()
    expect(held.original.every((b) => b === 0)).toBe(true)
    expect(sealed?.every((b) => b === 0)).toBe(true)
  })
})
