import { z } from 'zod'
import { AnalystId, AttachmentId, IdentifierId, IncidentId, RelativeId, RespondentId, TestimonyId } from '../ids.ts'
import { IntakeItemId } from '../intake/admin-wire.ts'
import { QuestionnaireId, TokenHash } from '../intake/wire.ts'
import { IsoDay, Sha256Hex } from '../model/schema-helpers.ts'
import { Questionnaire } from '../questionnaire/questionnaire.schema.ts'
import { Codebook } from '../codebook/codebook.schema.ts'
import { AnalystProfile } from '../model/analyst.ts'
import { Identifier } from '../model/identifier.ts'
import { Incident } from '../model/incident.ts'
import { Relative } from '../model/relative.ts'
import { Respondent } from '../model/respondent.ts'
import { Testimony } from '../model/testimony.ts'

/** An intake server as the workbench addresses it: an http(s) origin, with no path, query or fragment. */
export const IntakeServerUrl = z
  .string()
  .max(300)
  .regex(/^https?:\/\/[^/?#\s]+$/, { error: 'expected an intake server URL such as https://intake.example.org' })
export type IntakeServerUrl = z.infer<typeof IntakeServerUrl>

/** A plain X25519 age recipient, as text (the crypto package checks the key itself). */
const AgeRecipientText = z.string().regex(/^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/, { error: 'expected an age1… recipient' })
const ItemIdText = z.string().regex(/^[0-9abcdefghjkmnpqrstvwxyz]{26}$/)

/** Why a pulled item was kept aside instead of imported (SECURITY-TESTS.md T12, T17). */
export const SET_ASIDE_REASONS = [
  /** A second, different submission on an invite already used: for an analyst to review. */
  'quarantined',
  /** The server's bytes do not match the hash its own chain recorded for them. */
  'hash_mismatch',
  /** An item the server returned that has no entry in its chain. */
  'not_in_chain',
  /** The chain lists the item, but the server did not return it and nobody here deleted it. */
  'missing',
  /** Not sealed to exactly a recipient set the questionnaire was published with. */
  'recipients_mismatch',
  /** The workspace's identity cannot open it (tampered, truncated, or sealed to other keys). */
  'undecryptable',
  /** The offline backup identity cannot open it (a swapped recipient set). */
  'backup_cannot_open',
  /** It opens, but is not a submission in a format this workbench reads. */
  'malformed',
  /** A submission for a questionnaire (or version) this workspace never published. */
  'unknown_questionnaire',
  /** A submission that does not fit its questionnaire. */
  'invalid',
  /** An attachment that is missing, does not open, or does not match its recorded hash and length. */
  'attachment_failed',
] as const
export type SetAsideReason = (typeof SET_ASIDE_REASONS)[number]

/** A position in an intake server's hash chain: the seq and hash of an entry (seq 0: the genesis). */
export const IntakeCheckpoint = z.object({ seq: z.number().int().min(0), hash: Sha256Hex }).strict()
export type IntakeCheckpoint = z.infer<typeof IntakeCheckpoint>

/**
 * Every change to a workspace is one of these events, appended to a hash-chained log; the tables
 * are projections of the log (DESIGN.md). An event's `subject` is the respondent it is about, or
 * null for workspace-level events: the store seals a subject's payloads under that respondent's
 * own key, so erasing the respondent (destroying the key) leaves the chain verifiable and the
 * content gone.
 *
 * Adding a kind: add its payload here, its projection in the database package, and a test that
 * replaying the log rebuilds the same tables.
 */
export const WorkspaceEventBody = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('workspace.created'), name: z.string().min(1).max(200) }).strict(),
  z.object({ kind: z.literal('analyst.added'), analyst: AnalystProfile }).strict(),
  z.object({ kind: z.literal('codebook.adopted'), codebook: Codebook }).strict(),
  z.object({ kind: z.literal('respondent.recorded'), respondent: Respondent }).strict(),
  z.object({ kind: z.literal('testimony.recorded'), testimony: Testimony }).strict(),
  /**
   * A whole account arriving at once (a pulled submission, an imported row set, the synthetic
   * study): the respondent, the testimony and everything coded from it, as one atomic event.
   */
  z
    .object({
      kind: z.literal('testimony.imported'),
      respondent: Respondent,
      testimony: Testimony,
      incidents: z.array(Incident).max(500),
      relatives: z.array(Relative).max(200),
      identifiers: z.array(Identifier).max(500),
    })
    .strict(),
  z.object({ kind: z.literal('incident.recorded'), incident: Incident }).strict(),
  z.object({ kind: z.literal('incident.removed'), respondentId: RespondentId, incidentId: IncidentId }).strict(),
  z.object({ kind: z.literal('relative.recorded'), relative: Relative }).strict(),
  z.object({ kind: z.literal('relative.removed'), respondentId: RespondentId, relativeId: RelativeId }).strict(),
  z.object({ kind: z.literal('identifier.recorded'), identifier: Identifier }).strict(),
  z.object({ kind: z.literal('identifier.removed'), respondentId: RespondentId, identifierId: IdentifierId }).strict(),
  /** A signed questionnaire put on an intake server, with the recipient set it was signed with. */
  z
    .object({
      kind: z.literal('questionnaire.published'),
      server: IntakeServerUrl,
      questionnaire: Questionnaire,
      recipients: z.array(AgeRecipientText).min(1).max(100),
      publishedOn: IsoDay,
      signingFingerprint: z.string().regex(/^[0-9a-hjkmnp-tv-z]{32}$/),
    })
    .strict(),
  /** The other analysts whose recipients submissions are sealed to (besides this workspace's own and the backup). */
  z
    .object({
      kind: z.literal('recipients.changed'),
      recipients: z.array(z.object({ recipient: AgeRecipientText, label: z.string().trim().min(1).max(100) }).strict()).max(98),
    })
    .strict(),
  /** Invites sent to a server: hashes only (the raw tokens went into the links and nowhere else). */
  z
    .object({
      kind: z.literal('invites.issued'),
      server: IntakeServerUrl,
      questionnaireId: QuestionnaireId,
      expiresOn: IsoDay,
      tokenHashes: z.array(TokenHash).min(1).max(10_000),
    })
    .strict(),
  z.object({ kind: z.literal('invites.revoked'), server: IntakeServerUrl, tokenHashes: z.array(TokenHash).min(1).max(10_000) }).strict(),
  /**
   * A pull from an intake server reached `checkpoint` (verified), in the same transaction as what it
   * imported and set aside. `pendingDeletion` lists what this workspace asked, or will ask, the
   * server to delete; `openUploads` the chain's upload entries no submission has claimed yet.
   */
  z
    .object({
      kind: z.literal('intake.pulled'),
      server: IntakeServerUrl,
      checkpoint: IntakeCheckpoint,
      imported: z.number().int().min(0),
      setAside: z.number().int().min(0),
      pendingDeletion: z.array(ItemIdText).max(100_000),
      openUploads: z.array(z.object({ id: ItemIdText, seq: z.number().int().min(1), hash: Sha256Hex }).strict()).max(100_000),
    })
    .strict(),
  /** A pulled item kept aside for review instead of imported; the sealed bytes are kept as they came. */
  z
    .object({
      kind: z.literal('submission.set_aside'),
      server: IntakeServerUrl,
      itemId: IntakeItemId,
      seq: z.number().int().min(1),
      itemKind: z.enum(['submission', 'quarantine']),
      reason: z.enum(SET_ASIDE_REASONS),
      day: IsoDay,
      /** The invite it came with, so a quarantined item can be read beside the token's first one. */
      tokenHash: TokenHash.nullable(),
      /** The age file as the server returned it (standard base64); null when the server returned nothing. */
      ciphertext: z.base64().nullable(),
    })
    .strict(),
  /** An attachment's bytes (checked against the SHA-256 the submission recorded), kept under the respondent's key. */
  z
    .object({
      kind: z.literal('attachment.imported'),
      respondentId: RespondentId,
      testimonyId: TestimonyId,
      attachmentId: AttachmentId,
      sha256: Sha256Hex,
      content: z.base64(),
    })
    .strict(),
])
export type WorkspaceEventBody = z.infer<typeof WorkspaceEventBody>
export type WorkspaceEventKind = WorkspaceEventBody['kind']

/** Who wrote an event: an analyst profile, or the system itself (workspace creation, migrations). */
export const EventAuthor = z.union([AnalystId, z.literal('system')])
export type EventAuthor = z.infer<typeof EventAuthor>

/** The respondent an event is about, derived from its body; null for workspace-level events. */
export function subjectOf(body: WorkspaceEventBody): RespondentId | null {
  switch (body.kind) {
    case 'workspace.created':
    case 'analyst.added':
    case 'codebook.adopted':
      return null
    case 'respondent.recorded':
      return body.respondent.id
    case 'testimony.recorded':
      return body.testimony.respondentId
    case 'testimony.imported':
      return body.respondent.id
    case 'incident.recorded':
      return body.incident.respondentId
    case 'relative.recorded':
      return body.relative.respondentId
    case 'identifier.recorded':
      return body.identifier.respondentId
    case 'attachment.imported':
    case 'incident.removed':
    case 'relative.removed':
    case 'identifier.removed':
      return body.respondentId
    case 'questionnaire.published':
    case 'recipients.changed':
    case 'invites.issued':
    case 'invites.revoked':
    case 'intake.pulled':
    case 'submission.set_aside':
      return null
  }
}

