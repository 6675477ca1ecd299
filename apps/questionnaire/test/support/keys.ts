import { createKeySet } from '@amanat/crypto'
import { signDocument, unlockIdentity, unlockSigningKey } from '@amanat/crypto/open'
import type { SigningKey } from '@amanat/crypto'
import type { Questionnaire } from '@amanat/domain'
import { QUESTIONNAIRE_SIGNATURE_CONTEXT, SIGNED_QUESTIONNAIRE_FORMAT } from '../../src/verify.ts'

/**
 * An organisation's keys as `amanat init` makes them (with a test work factor): the analyst's and
 * the offline backup's X25519 identities, unlocked, and the Ed25519 signing key.
 */
export interface OrgKeys {
  readonly analyst: { readonly identity: string; readonly recipient: string }
  readonly backup: { readonly identity: string; readonly recipient: string }
  readonly signing: SigningKey
}

const PASSPHRASE = 'synthetic workspace passphrase'
const BACKUP_PASSPHRASE = 'synthetic backup passphrase'

/** Fresh keys (scrypt work factor 4: test-only). */
export async function orgKeys(): Promise<OrgKeys> {
  const keys = await createKeySet({ passphrase: PASSPHRASE, backupPassphrase: BACKUP_PASSPHRASE, scryptWorkFactor: 4 })
  const analyst = await unlockIdentity(keys.analyst.identityFile, PASSPHRASE)
  const backup = await unlockIdentity(keys.backup.identityFile, BACKUP_PASSPHRASE)
  return { analyst, backup, signing: await unlockSigningKey(keys.signing.keyFile, analyst.identity) }
}

/** A signed questionnaire as the workbench publishes it (docs/intake-protocol.md §1). */
export function signQuestionnaire(
  key: SigningKey,
  questionnaire: Questionnaire | Record<string, unknown>,
  recipients: readonly string[],
  publishedOn = '2026-11-20',
): { document: Record<string, unknown>; publicKey: string; signature: string } {
  const document = { format: SIGNED_QUESTIONNAIRE_FORMAT, questionnaire, recipients: [...recipients], publishedOn }
  // Round-trip through JSON so what is signed is exactly what the server will serve.
  const plain = JSON.parse(JSON.stringify(document)) as Record<string, unknown>
  return { document: plain, publicKey: key.publicKey, signature: signDocument(key, QUESTIONNAIRE_SIGNATURE_CONTEXT, plain) }
}
