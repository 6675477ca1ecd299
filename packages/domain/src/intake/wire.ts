import { z } from 'zod'

/**
 * The sealed-intake wire protocol (docs/intake-protocol.md): what travels between the respondent's
 * page, the blind intake server and the analyst's workbench. Every shape that crosses the network
 * is here, parsed at each end. Nothing in clear but opaque random ids, hashes and ciphertext.
 */

/** 128-bit random values in lowercase Crockford base32 (26 characters): tokens, submission ids, upload ids. */
const random128 = (what: string) =>
  z.string().regex(/^[0-9abcdefghjkmnpqrstvwxyz]{26}$/, { error: `expected a ${what} of 26 base32 characters` })

/** An invite token: 128 bits from the CSPRNG, made by the workbench. The server only ever sees its hash. */
export const InviteToken = random128('invite token').brand<'InviteToken'>()
export type InviteToken = z.infer<typeof InviteToken>

/** A submission id chosen by the page (128 random bits), so a retry of the same submission is recognised. */
export const SubmissionId = random128('submission id').brand<'SubmissionId'>()
export type SubmissionId = z.infer<typeof SubmissionId>

/** An attachment upload id chosen by the page. */
export const UploadId = random128('upload id').brand<'UploadId'>()
export type UploadId = z.infer<typeof UploadId>

/** Lowercase hex SHA-256 of a token (what the server stores and compares). */
export const TokenHash = z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected a hex SHA-256' }).brand<'TokenHash'>()
export type TokenHash = z.infer<typeof TokenHash>

/** A questionnaire id: short, public, in invite links. */
export const QuestionnaireId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,40}$/, { error: 'expected a questionnaire id of lowercase letters, digits and dashes' })
  .brand<'QuestionnaireId'>()
export type QuestionnaireId = z.infer<typeof QuestionnaireId>

/**
 * The header of a sealed submission's POST body. The body is this JSON on one line, a newline,
 * then the age file's bytes (application/x-amanat-sealed). The token is in the body, never in a URL.
 */
export const SubmissionHeader = z
  .object({ v: z.literal(1), token: InviteToken, id: SubmissionId })
  .strict()
export type SubmissionHeader = z.infer<typeof SubmissionHeader>

/** The header of one attachment chunk's POST body (then a newline, then the chunk's bytes). */
export const ChunkHeader = z
  .object({
    v: z.literal(1),
    token: InviteToken,
    upload: UploadId,
    index: z.number().int().min(0).max(4095),
    count: z.number().int().min(1).max(4096),
  })
  .strict()
export type ChunkHeader = z.infer<typeof ChunkHeader>

/** The format marker of a signed questionnaire's document (docs/intake-protocol.md §1). */
export const SIGNED_QUESTIONNAIRE_FORMAT = 'amanat-questionnaire-signed/1'

/**
 * The signature context of a signed questionnaire: the organisation key signs this, a line feed,
 * then the canonical JSON of the document (@amanat/crypto `documentMessage`).
 */
export const QUESTIONNAIRE_SIGNATURE_CONTEXT = 'amanat/questionnaire/v1'

/** The one acknowledgement every submission and chunk POST gets, whatever happened to it. */
export const CONSTANT_ACK = '{"ok":true}'
