import {
  AmanatError,
  isJsonValue,
  QUESTIONNAIRE_SIGNATURE_CONTEXT,
  Questionnaire,
  SIGNED_QUESTIONNAIRE_FORMAT,
  type QuestionnaireId,
} from '@amanat/domain'
import { assertX25519Recipients, fingerprintOf, isSigningPublicKey, verifyDocument } from '@amanat/crypto'

/**
 * Checking the signed questionnaire before anything is sealed (docs/intake-protocol.md §1, §3.1).
 * The server is not trusted with the recipient set: a server that swapped in its own age key would
 * receive readable testimonies. So the page accepts a questionnaire only if it is signed by the
 * key whose fingerprint came in the invite (out of the server's reach: in the link's fragment or
 * in the typed code), and seals only to the recipients that signature covers.
 */

export { QUESTIONNAIRE_SIGNATURE_CONTEXT, SIGNED_QUESTIONNAIRE_FORMAT }

/** A questionnaire whose signature, fingerprint and recipients were checked. */
export interface VerifiedQuestionnaire {
  readonly questionnaire: Questionnaire
  /** Every analyst plus the offline backup: X25519 age recipients, as signed. */
  readonly recipients: readonly string[]
  /** The fingerprint of the key that signed it. */
  readonly fingerprint: string
  readonly publishedOn: string
}

function refuse(reason: string): AmanatError {
  return new AmanatError(
    'integrity',
    'questionnaire.unverified',
    'The questionnaire could not be verified, so the page will not seal answers to it.',
    { reason },
  )
}

/**
 * How deep the signed questionnaire may nest: far beyond any questionnaire (a definition file
 * nests at most 64 levels), far below where the signature's canonical form and the condition
 * schema, both recursive, would overflow the stack on a hostile server's answer.
 */
const NESTING_LIMIT = 128

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Checks a signed questionnaire as fetched (parsed JSON, not yet trusted). The signature is checked
 * over the document exactly as received, before any schema fills in defaults.
 *
 * @param expectedFingerprint - the fingerprint from the invite; `null` only in preview mode, where
 *   the page shows the fingerprint instead and never seals.
 * @param expectedId - the questionnaire id the invite named.
 * @throws AmanatError integrity `questionnaire.unverified` (details.reason: `shape`, `public_key`,
 *   `fingerprint`, `signature`, `format`, `recipients`, `questionnaire`, `id`) when any check fails.
 */
export function verifySignedQuestionnaire(
  signed: unknown,
  expectedFingerprint: string | null,
  expectedId: QuestionnaireId,
): VerifiedQuestionnaire {
  if (!isRecord(signed) || !isRecord(signed.document) || !isJsonValue(signed, NESTING_LIMIT))
    throw refuse('shape')
  const { document, publicKey, signature } = signed
  if (!isSigningPublicKey(publicKey)) throw refuse('public_key')
  const fingerprint = fingerprintOf(publicKey)
  if (expectedFingerprint !== null && fingerprint !== expectedFingerprint) throw refuse('fingerprint')
  if (!verifyDocument(publicKey, QUESTIONNAIRE_SIGNATURE_CONTEXT, document, signature))
    throw refuse('signature')

  if (document.format !== SIGNED_QUESTIONNAIRE_FORMAT) throw refuse('format')
  const { recipients, publishedOn } = document
  if (!Array.isArray(recipients)) throw refuse('recipients')
  try {
    assertX25519Recipients(recipients)
  } catch {
    throw refuse('recipients')
  }
  if (typeof publishedOn !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(publishedOn)) throw refuse('shape')
  const parsed = Questionnaire.safeParse(document.questionnaire)
  if (!parsed.success) throw refuse('questionnaire')
  if (parsed.data.id !== expectedId) throw refuse('id')
  return { questionnaire: parsed.data, recipients: [...(recipients as string[])], fingerprint, publishedOn }
}

/** A fetch for `GET /q/<id>` (tests pass their own). */
export type FetchQuestionnaire = (url: string, init: RequestInit) => Promise<Response>

/**
 * Fetches `/q/<id>` from the page's own origin and returns the parsed JSON, unchecked (pass it to
 * {@link verifySignedQuestionnaire}).
 *
 * @throws AmanatError input `questionnaire.unavailable` when the request fails, the status is not
 *   200 or the body is not JSON (a retry may help).
 */
export async function fetchSignedQuestionnaire(
  id: QuestionnaireId,
  fetchFn: FetchQuestionnaire,
): Promise<unknown> {
  const unavailable = () =>
    new AmanatError('input', 'questionnaire.unavailable', 'The questionnaire could not be loaded.')
  let response: Response
  try {
    response = await fetchFn(`/q/${encodeURIComponent(id)}`, {
      method: 'GET',
      credentials: 'omit',
      cache: 'no-store',
      redirect: 'error',
      referrerPolicy: 'no-referrer',
      mode: 'same-origin',
      headers: { accept: 'application/json' },
    })
  } catch {
    throw unavailable()
  }
  if (response.status !== 200) throw unavailable()
  try {
    return (await response.json()) as unknown
  } catch {
    throw unavailable()
  }
}
