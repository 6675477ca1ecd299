import type { QuestionnaireId } from '@amanat/domain'
import type { IntakeSession } from './intake-session.ts'
import { inviteLink, newInviteToken, tokenHash } from './invites.ts'
import type { IntakeServerClient } from './server-client.ts'

export interface InviteRequest {
  readonly questionnaireId: QuestionnaireId
  readonly count: number
  /** The last day (UTC) the invites are accepted. */
  readonly expiresOn: string
  /** The origin respondents reach the server at. */
  readonly publicUrl: string
}

/**
 * Draws `count` tokens, registers their hashes on the server, records `invites.issued` (hashes
 * only) in the workspace, and returns the links. The raw tokens exist only in the returned links.
 *
 * @throws the server client's errors (nothing is recorded then).
 */
export async function issueInvites(session: IntakeSession, client: IntakeServerClient, request: InviteRequest): Promise<string[]> {
  const tokens = Array.from({ length: request.count }, () => newInviteToken())
  const tokenHashes = tokens.map((t) => tokenHash(t))
  await client.issueInvites({ questionnaireId: request.questionnaireId, invites: tokenHashes.map((h) => ({ tokenHash: h, expiresOn: request.expiresOn })) })
  const { workspace } = session
  await workspace.store.append(workspace.analyst.id, {
    kind: 'invites.issued',
    server: client.url,
    questionnaireId: request.questionnaireId,
    expiresOn: request.expiresOn,
    tokenHashes,
  })
  return tokens.map((token) => inviteLink(request.publicUrl, request.questionnaireId, token, workspace.config.keys.signingFingerprint))
}
