import { generateHybridIdentity, identityToRecipient } from 'age-encryption'
import { beforeAll, describe, expect, it } from 'vitest'
import { isAmanatError, type QuestionnaireId } from '@amanat/domain'
import { fetchSignedQuestionnaire, verifySignedQuestionnaire } from '../src/verify.ts'
import { orgKeys, signQuestionnaire, type OrgKeys } from './support/keys.ts'
import { questionnaire, section, shortText } from './support/questionnaires.ts'

const id = 'verify-test' as QuestionnaireId
const sample = questionnaire(id, section('One', shortText('where')))

let org: OrgKeys
let other: OrgKeys
beforeAll(async () => {
  ;[org, other] = await Promise.all([orgKeys(), orgKeys()])
})

function reason(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    if (isAmanatError(error, 'questionnaire.unverified')) return String(error.details.reason)
    throw error
  }
  throw new Error('expected a refusal')
}

const recipients = () => [org.analyst.recipient, org.backup.recipient]

describe('verifySignedQuestionnaire', () => {
  it('accepts a questionnaire signed by the key the invite names, with its X25519 recipients', () => {
    const verified = verifySignedQuestionnaire(signQuestionnaire(org.signing, sample, recipients()), org.signing.fingerprint, id)
    expect(verified.recipients).toEqual(recipients())
    expect(verified.fingerprint).toBe(org.signing.fingerprint)
    expect(verified.questionnaire.sections[0]?.items[0]?.id).toBe('where')
  })

  it('refuses a recipient set swapped after signing (a compromised server adding its own key)', () => {
    const signed = signQuestionnaire(org.signing, sample, recipients())
    const swapped = { ...signed, document: { ...signed.document, recipients: [org.analyst.recipient, other.analyst.recipient] } }
    expect(reason(() => verifySignedQuestionnaire(swapped, org.signing.fingerprint, id))).toBe('signature')
  })

  it('refuses a document re-signed by another key, even a valid signature', () => {
    const signed = signQuestionnaire(other.signing, sample, [other.analyst.recipient])
    expect(reason(() => verifySignedQuestionnaire(signed, org.signing.fingerprint, id))).toBe('fingerprint')
  })

  it('refuses an altered question text', () => {
    const signed = signQuestionnaire(org.signing, sample, recipients())
    const text = JSON.stringify(signed).replace('Question where', 'Question WHERE')
    expect(reason(() => verifySignedQuestionnaire(JSON.parse(text), org.signing.fingerprint, id))).toBe('signature')
  })

  it('refuses post-quantum, duplicated or malformed recipients even when signed', async () => {
    const hybrid = await identityToRecipient(await generateHybridIdentity())
    for (const list of [[org.analyst.recipient, hybrid], [org.analyst.recipient, org.analyst.recipient], ['age1notakey'], []]) {
      const signed = signQuestionnaire(org.signing, sample, list)
      expect(reason(() => verifySignedQuestionnaire(signed, org.signing.fingerprint, id))).toBe('recipients')
    }
  })

  it('refuses a different questionnaire served under the invited id', () => {
    const signed = signQuestionnaire(org.signing, questionnaire('another-one', section('One', shortText('where'))), recipients())
    expect(reason(() => verifySignedQuestionnaire(signed, org.signing.fingerprint, id))).toBe('id')
  })

  it('refuses what is not a signed questionnaire at all', () => {
    for (const value of [null, 'text', {}, { document: {} }, { document: {}, publicKey: 'x', signature: 'y' }]) {
      expect(['shape', 'public_key']).toContain(reason(() => verifySignedQuestionnaire(value, org.signing.fingerprint, id)))
    }
  })

  it('refuses a hostile server\'s deeply nested answer as a shape, never a stack overflow', () => {
    const signed = signQuestionnaire(org.signing, sample, recipients())
    for (const depth of [200, 100_000]) {
      let deep: unknown = { op: 'answered', question: 'where' }
      for (let i = 0; i < depth; i++) deep = { op: 'not', condition: deep }
      const hostile = { ...signed, document: { ...signed.document, questionnaire: { ...sample, showIf: deep } } }
      // In preview too, where the document's own key is taken.
      expect(reason(() => verifySignedQuestionnaire(hostile, org.signing.fingerprint, id))).toBe('shape')
      expect(reason(() => verifySignedQuestionnaire(hostile, null, id))).toBe('shape')
    }
  })

  it('in preview (no fingerprint) still checks the signature against the document\'s own key', () => {
    const signed = signQuestionnaire(org.signing, sample, recipients())
    expect(verifySignedQuestionnaire(signed, null, id).fingerprint).toBe(org.signing.fingerprint)
    const swapped = { ...signed, document: { ...signed.document, publishedOn: '2027-01-01' } }
    expect(reason(() => verifySignedQuestionnaire(swapped, null, id))).toBe('signature')
  })
})

describe('fetchSignedQuestionnaire', () => {
  it('GETs /q/<id> from its own origin with no credentials, referrer or redirect', async () => {
    const calls: [string, RequestInit][] = []
    const value = await fetchSignedQuestionnaire(id, (url, init) => {
      calls.push([url, init])
      return Promise.resolve(Response.json({ ok: 1 }))
    })
    expect(value).toEqual({ ok: 1 })
    expect(calls[0]?.[0]).toBe('/q/verify-test')
    expect(calls[0]?.[1]).toMatchObject({ credentials: 'omit', redirect: 'error', referrerPolicy: 'no-referrer', cache: 'no-store' })
  })

  it('reports an unavailable questionnaire for a network error, a 404 or a body that is not JSON', async () => {
    for (const answer of [() => Promise.reject(new TypeError('x')), () => Promise.resolve(new Response('no', { status: 404 })), () => Promise.resolve(new Response('<html>'))]) {
      await expect(fetchSignedQuestionnaire(id, answer)).rejects.toMatchObject({ code: 'questionnaire.unavailable' })
    }
  })
})
