import { z } from 'zod'
import {
  AnalystId,
  AttachmentId,
  IdentifierId,
  IncidentId,
  RelativeId,
  RespondentId,
  TestimonyId,
} from '../ids.ts'
import { IntakeItemId } from '../intake/admin-wire.ts'
import { QuestionnaireId, TokenHash } from '../intake/wire.ts'
import { Code, IsoDay, LanguageTag, Sha256Hex } from '../model/schema-helpers.ts'
import { Questionnaire } from '../questionnaire/questionnaire.schema.ts'
import { Codebook, CodebookRef } from '../codebook/codebook.schema.ts'
import { AnalystProfile } from '../model/analyst.ts'
import { Identifier } from '../model/identifier.ts'
import { Incident } from '../model/incident.ts'
import { Relative } from '../model/relative.ts'
import { Pseudonym, Respondent } from '../model/respondent.ts'
import { Testimony } from '../model/testimony.ts'
import { ReleaseRecord } from './release-record.ts'

/** An intake server as the workbench addresses it: an http(s) origin, with no path, query or fragment. */
export const IntakeServerUrl = z
  .string()
  .max(300)
  .regex(/^https?:\/\/[^/?#\s]+$/, {
    error: 'expected an intake server URL such as https://intake.example.org',
  })
export type IntakeServerUrl = z.infer<typeof IntakeServerUrl>

/** A plain X25519 age recipient, as text (the crypto package checks the key itself). */
const AgeRecipientText = z
  .string()
  .regex(/^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/, { error: 'expected an age1… recipient' })
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

/**
 * Where a testimony stands in the coding workflow: waiting (`new`), being coded, coded (ready for
 * a second analyst's review), reviewed, or flagged for an analyst to look at again.
 */
export const TESTIMONY_STATUSES = ['new', 'in_progress', 'coded', 'reviewed', 'needs_attention'] as const
export type TestimonyStatus = (typeof TESTIMONY_STATUSES)[number]

/** A position in an intake server's hash chain: the seq and hash of an entry (seq 0: the genesis). */
export const IntakeCheckpoint = z.object({ seq: z.number().int().min(0), hash: Sha256Hex }).strict()
export type IntakeCheckpoint = z.infer<typeof IntakeCheckpoint>

/** A case story's id: 26 random base32 characters, like every other id (see ids.ts). */
export const StoryId = z
  .string()
  .regex(/^[0-9abcdefghjkmnpqrstvwxyz]{26}$/, { error: 'expected a 26-character random id' })
  .brand<'StoryId'>()
export type StoryId = z.infer<typeof StoryId>

/**
 * A case story an analyst wrote from one respondent's account, in one language, under the
 * respondent's pseudonym. `publish` marks it for the next report; the release checks (consent,
 * no identifier in the text) run when a report is built, not here.
 */
export const Story = z
  .object({
    id: StoryId,
    language: LanguageTag,
    title: z.string().trim().min(1).max(200),
    text: z.string().trim().min(1).max(20_000),
    publish: z.boolean(),
  })
  .strict()
export type Story = z.infer<typeof Story>

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
  z
    .object({ kind: z.literal('incident.removed'), respondentId: RespondentId, incidentId: IncidentId })
    .strict(),
  z.object({ kind: z.literal('relative.recorded'), relative: Relative }).strict(),
  z
    .object({ kind: z.literal('relative.removed'), respondentId: RespondentId, relativeId: RelativeId })
    .strict(),
  z.object({ kind: z.literal('identifier.recorded'), identifier: Identifier }).strict(),
  z
    .object({ kind: z.literal('identifier.removed'), respondentId: RespondentId, identifierId: IdentifierId })
    .strict(),
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
      recipients: z
        .array(z.object({ recipient: AgeRecipientText, label: z.string().trim().min(1).max(100) }).strict())
        .max(98),
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
  z
    .object({
      kind: z.literal('invites.revoked'),
      server: IntakeServerUrl,
      tokenHashes: z.array(TokenHash).min(1).max(10_000),
    })
    .strict(),
  /**
   * A pull from an intake server reached `checkpoint` (verified), in the same transaction as what it
   * imported and set aside. `pendingDeletion` lists what this workspace asked, or will ask, the
   * server to delete; `openUploads` the chain's upload entries no submission has claimed yet.
   */
  z
    .object({
      kind: z.literal('intake.pulled'),
      server: IntakeServerUrl,
      /**
       * The seq of the `intake.pulled` event from this server that this one follows (0 for the
       * first). Two pulls that start from the same one both name it, and the store takes only the
       * first (`intake_pulls`): a submission cannot be imported twice by pulls running at once.
       * Absent in events written before it existed.
       */
      after: z.number().int().min(0).optional(),
      checkpoint: IntakeCheckpoint,
      imported: z.number().int().min(0),
      setAside: z.number().int().min(0),
      pendingDeletion: z.array(ItemIdText).max(100_000),
      openUploads: z
        .array(z.object({ id: ItemIdText, seq: z.number().int().min(1), hash: Sha256Hex }).strict())
        .max(100_000),
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
  /** A testimony moved in the coding workflow (the event's author is who moved it), with an optional note. */
  z
    .object({
      kind: z.literal('testimony.status_set'),
      respondentId: RespondentId,
      testimonyId: TestimonyId,
      status: z.enum(TESTIMONY_STATUSES),
      note: z.string().trim().min(1).max(2000).nullable(),
    })
    .strict(),
  /** A second analyst's independent coding of a testimony's incident types, for inter-coder agreement. */
  z
    .object({
      kind: z.literal('coding.independent'),
      respondentId: RespondentId,
      testimonyId: TestimonyId,
      types: z
        .array(Code)
        .max(100)
        .refine((types) => new Set(types).size === types.length, { error: 'a type is listed twice' }),
      codebook: CodebookRef,
    })
    .strict(),
  /** The respondent's one public pseudonym in this workspace, the same in every output. */
  z
    .object({ kind: z.literal('pseudonym.assigned'), respondentId: RespondentId, pseudonym: Pseudonym })
    .strict(),
  /** A respondent was erased: their key is destroyed and their rows deleted. Workspace-level: it holds no personal data. */
  z
    .object({
      kind: z.literal('respondent.erased'),
      respondentId: RespondentId,
      respondentNo: z.number().int().min(1),
    })
    .strict(),
  /** The key that seals a respondent's vault entry (in the vault folder), kept under the respondent's own key so erasure kills the entry. */
  z
    .object({ kind: z.literal('vault.keyed'), respondentId: RespondentId, key: z.base64().length(44) })
    .strict(),
  /** A sealed backup of the workspace was written: its SHA-256, the chain head it holds and how many recipients can open it. */
  z
    .object({
      kind: z.literal('backup.made'),
      sha256: Sha256Hex,
      head: Sha256Hex,
      recipients: z.number().int().min(1).max(100),
    })
    .strict(),
  /** An asylum dossier about a respondent was issued: the SHA-256 of the signed PDF and the events it cites. */
  z
    .object({
      kind: z.literal('dossier.issued'),
      respondentId: RespondentId,
      sha256: Sha256Hex,
      events: z.number().int().min(0),
    })
    .strict(),
  /** Coded data left the workspace (`amanat export`): the file's format, whether it was sealed, its size in rows and respondents, and its SHA-256. */
  z
    .object({
      kind: z.literal('export.written'),
      format: z.enum(['csv', 'xlsx', 'json']),
      plaintext: z.boolean(),
      rows: z.number().int().min(0),
      respondents: z.number().int().min(0),
      sha256: Sha256Hex,
    })
    .strict(),
  /** An analyst wrote or revised a respondent's case story (`publish`: marked for publication). */
  z.object({ kind: z.literal('story.recorded'), respondentId: RespondentId, story: Story }).strict(),
  /** A respondent's case story was deleted. */
  z.object({ kind: z.literal('story.removed'), respondentId: RespondentId, storyId: StoryId }).strict(),
  /** Numbers left the team (`stats --release`, the report): what disclosure control published, for the release ledger. Counts only, no person. */
  z.object({ kind: z.literal('release.recorded'), release: ReleaseRecord }).strict(),
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
    case 'testimony.status_set':
    case 'coding.independent':
    case 'pseudonym.assigned':
    case 'vault.keyed':
    case 'dossier.issued':
    case 'story.recorded':
    case 'story.removed':
      return body.respondentId
    case 'questionnaire.published':
    case 'recipients.changed':
    case 'invites.issued':
    case 'invites.revoked':
    case 'intake.pulled':
    case 'submission.set_aside':
    case 'respondent.erased':
    case 'backup.made':
    case 'export.written':
    case 'release.recorded':
      return null
  }
}
