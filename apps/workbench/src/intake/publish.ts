import { signDocument } from '@amanat/crypto/open'
import { AmanatError, QUESTIONNAIRE_SIGNATURE_CONTEXT, SIGNED_QUESTIONNAIRE_FORMAT, type Questionnaire } from '@amanat/domain'
import type { WorkspaceConfig } from '../workspace/workspace-config.ts'
import { utcToday } from './days.ts'
import type { IntakeSession } from './intake-session.ts'
import { otherRecipients } from './intake-log.ts'
import type { IntakeServerClient } from './server-client.ts'

export { QUESTIONNAIRE_SIGNATURE_CONTEXT, SIGNED_QUESTIONNAIRE_FORMAT }

/**
 * The recipient set submissions are sealed to: this workspace's analyst first, the other
 * analysts' recipients, and the offline backup last (so a lost workspace never loses a testimony).
 */
export function recipientSet(config: WorkspaceConfig, others: readonly { recipient: string }[]): string[] {
  const set = [config.keys.analystRecipient, ...others.map((o) => o.recipient), config.keys.backupRecipient]
  return [...new Set(set)]
}

/** What a publication did. */
export interface Publication {
  readonly questionnaireId: string
  readonly version: string
  readonly recipients: readonly string[]
  readonly fingerprint: string
  readonly publishedOn: string
}

/**
 * Signs `questionnaire` with the organisation key together with the current recipient set,
 * publishes it on the server, and records `questionnaire.published` in the workspace. The signing
 * key (hence the fingerprint in every invite already sent) never changes, so re-publishing keeps
 * every invite valid.
 *
 * @throws the server client's errors (nothing is recorded then); AmanatError integrity
 *   `keys.corrupt` when the signing key does not match the workspace's recorded public key.
 */
export async function publishQuestionnaire(session: IntakeSession, client: IntakeServerClient, compiled: Questionnaire): Promise<Publication> {
  const { workspace } = session
  const recipients = recipientSet(workspace.config, await otherRecipients(workspace.store))
  const key = await session.signingKey()
  if (key.publicKey !== workspace.config.keys.signingPublicKey) {
    throw new AmanatError('integrity', 'keys.corrupt', 'The signing key file does not match the public key this workspace recorded.')
  }
  // A plain-JSON copy: exactly what is signed is what is sent and what the page verifies.
  const questionnaire = JSON.parse(JSON.stringify(compiled)) as Questionnaire
  const publishedOn = utcToday()
  const document = { format: SIGNED_QUESTIONNAIRE_FORMAT, questionnaire, recipients, publishedOn }
  const signed = { document, publicKey: key.publicKey, signature: signDocument(key, QUESTIONNAIRE_SIGNATURE_CONTEXT, document) }
  await client.publish(questionnaire.id, signed)
  await workspace.store.append(workspace.analyst.id, {
    kind: 'questionnaire.published',
    server: client.url,
    questionnaire,
    recipients,
    publishedOn,
    signingFingerprint: key.fingerprint,
  })
  return { questionnaireId: questionnaire.id, version: questionnaire.version, recipients, fingerprint: key.fingerprint, publishedOn }
}
