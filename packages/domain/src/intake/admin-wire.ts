import { z } from 'zod'
import { IsoDay, Sha256Hex } from '../model/schema-helpers.ts'
import { InviteToken, QuestionnaireId, TokenHash, UploadId } from './wire.ts'

/**
 * The analyst side of the intake protocol (docs/intake-protocol.md §2 and §4): what the workbench
 * sends to the blind intake server with its credential, and what it pulls back. Parsed at both ends.
 */

/** A 128-bit random id of something the server stored (26 Crockford base32 characters). */
export const IntakeItemId = z
  .string()
  .regex(/^[0-9abcdefghjkmnpqrstvwxyz]{26}$/, { error: 'expected an item id of 26 base32 characters' })
  .brand<'IntakeItemId'>()
export type IntakeItemId = z.infer<typeof IntakeItemId>

/** `POST /api/admin/invites`: token hashes for one questionnaire; the raw tokens stay with the workbench. */
export const IssueInvitesRequest = z
  .object({
    questionnaireId: QuestionnaireId,
    invites: z
      .array(
        z
          .object({
            tokenHash: TokenHash,
            /** The last day (UTC) on which the invite is accepted. */
            expiresOn: IsoDay,
          })
          .strict(),
      )
      .min(1)
      .max(10_000),
  })
  .strict()
export type IssueInvitesRequest = z.infer<typeof IssueInvitesRequest>

/** The answer to {@link IssueInvitesRequest}: how many hashes were new (a repeated hash is left as it was). */
export const IssueInvitesResult = z.object({ added: z.number().int().min(0) }).strict()
export type IssueInvitesResult = z.infer<typeof IssueInvitesResult>

/** `POST /api/admin/invites/revoke`: effective for the next request. */
export const RevokeInvitesRequest = z.object({ tokenHashes: z.array(TokenHash).min(1).max(10_000) }).strict()
export type RevokeInvitesRequest = z.infer<typeof RevokeInvitesRequest>

/** The answer to {@link RevokeInvitesRequest}: how many known invites are now revoked. */
export const RevokeInvitesResult = z.object({ revoked: z.number().int().min(0) }).strict()
export type RevokeInvitesResult = z.infer<typeof RevokeInvitesResult>

/** The kinds of entry in the server's hash chain. */
export const INTAKE_CHAIN_KINDS = ['submission', 'quarantine', 'upload', 'deletion'] as const
export type IntakeChainKind = (typeof INTAKE_CHAIN_KINDS)[number]

/** The `prevHash` of the first entry. */
export const INTAKE_CHAIN_GENESIS = '0'.repeat(64)

/**
 * One entry of the server's append-only hash chain. `hash` is the SHA-256 (hex) of the UTF-8 of
 * {@link intakeChainPreimage}. `itemHash` is the SHA-256 of the stored bytes (for an upload, of its
 * chunks joined in order), or for a deletion, of the deleted ids sorted and joined by `\n`, which
 * the entry lists in `deletedIds`.
 */
export const IntakeChainEntry = z
  .object({
    seq: z.number().int().min(1),
    kind: z.enum(INTAKE_CHAIN_KINDS),
    /** An item id, an upload id, or (for a deletion) a fresh random id. */
    itemId: z.string().regex(/^[0-9abcdefghjkmnpqrstvwxyz]{26}$/),
    itemHash: Sha256Hex,
    day: IsoDay,
    prevHash: Sha256Hex,
    hash: Sha256Hex,
    deletedIds: z.array(z.string().regex(/^[0-9abcdefghjkmnpqrstvwxyz]{26}$/)).optional(),
  })
  .strict()
export type IntakeChainEntry = z.infer<typeof IntakeChainEntry>

/** The text whose SHA-256 is an entry's `hash` (docs/intake-protocol.md, "The server's hash chain"). */
export function intakeChainPreimage(
  entry: Pick<IntakeChainEntry, 'seq' | 'kind' | 'itemId' | 'itemHash' | 'day' | 'prevHash'>,
): string {
  return `amanat-intake-chain/1\n${String(entry.seq)}\n${entry.kind}\n${entry.itemId}\n${entry.itemHash}\n${entry.day}\n${entry.prevHash}`
}

/** `GET /api/admin/chain?after=<seq>`: entries with a larger seq, in order; an empty list at the end. */
export const IntakeChainPage = z.object({ entries: z.array(IntakeChainEntry) }).strict()
export type IntakeChainPage = z.infer<typeof IntakeChainPage>

/** A stored submission, or a quarantined one (a second, different submission on a used token). */
export const PulledItem = z
  .object({
    /** The seq of the item's chain entry. */
    seq: z.number().int().min(1),
    kind: z.enum(['submission', 'quarantine']),
    id: IntakeItemId,
    /** The invite it came with, so quarantined items can be reviewed beside the token's first one. */
    tokenHash: TokenHash,
    sha256: Sha256Hex,
    day: IsoDay,
    /** The age file, standard base64. */
    ciphertext: z.base64(),
  })
  .strict()
export type PulledItem = z.infer<typeof PulledItem>

/** `GET /api/admin/submissions?after=<seq>`: items with a larger seq, in order, a page at a time. */
export const PulledItemsPage = z.object({ items: z.array(PulledItem) }).strict()
export type PulledItemsPage = z.infer<typeof PulledItemsPage>

/**
 * `POST /api/admin/submissions/delete`: item ids and upload ids the workbench has imported. The
 * server deletes those it holds and records one deletion entry in its chain.
 */
export const DeleteItemsRequest = z
  .object({ ids: z.array(z.string().regex(/^[0-9abcdefghjkmnpqrstvwxyz]{26}$/)).min(1).max(10_000) })
  .strict()
export type DeleteItemsRequest = z.infer<typeof DeleteItemsRequest>

/** The answer to {@link DeleteItemsRequest}: the ids that were deleted (sorted). */
export const DeleteItemsResult = z
  .object({ deleted: z.array(z.string()), seq: z.number().int().min(1).nullable() })
  .strict()
export type DeleteItemsResult = z.infer<typeof DeleteItemsResult>

/** `POST /api/chunks/status`: which chunks of an upload the server holds, so an upload resumes. */
export const ChunkStatusRequest = z.object({ v: z.literal(1), token: InviteToken, upload: UploadId }).strict()
export type ChunkStatusRequest = z.infer<typeof ChunkStatusRequest>

/** The answer to {@link ChunkStatusRequest}: indices held (empty for an unknown upload or invite). */
export const ChunkStatus = z.object({ received: z.array(z.number().int().min(0)) }).strict()
export type ChunkStatus = z.infer<typeof ChunkStatus>
