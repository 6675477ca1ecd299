import { ChunkHeader, ChunkStatusRequest, SubmissionHeader } from '@amanat/domain'
import type { Context, Hono } from 'hono'
import { inspectAgeFile, inspectAgeHeader } from '../age-header.ts'
import { withBody } from '../http/body.ts'
import { splitFrame } from '../http/frame.ts'
import { hashToken } from '../invites/token-hash.ts'
import { CHUNK_BYTES } from '../limits.ts'
import { problems } from '../problems.ts'
import { sha256Hex } from '../storage/chain.ts'
import { acknowledge, commitWrite, type RouteContext } from './context.ts'

/**
 * The respondent's routes (docs/intake-protocol.md §3). What the invite is (fresh, used,
 * expired, revoked, forged) is decided only inside the group commit, and every case gets the same
 * acknowledgement after the same commit (T16). What is refused here (400, 413, 415, 429) is
 * refused on grounds that do not depend on the invite.
 */

const SEALED_TYPE = 'application/x-amanat-sealed'
const STATUS_BODY_BYTES = 1024

/** Checks what every intake POST must pass before its body is read. */
function admit(ctx: RouteContext, c: Context, type: string): void {
  if (ctx.committer.failed) throw problems.unavailable()
  const contentType = (c.req.header('content-type') ?? '').split(';')[0]?.trim().toLowerCase()
  if (contentType !== type) throw problems.wrongType()
  if (!ctx.global.take()) throw problems.rateLimited()
}

function limitInvite(ctx: RouteContext, tokenHash: string): void {
  if (!ctx.perInvite.take(tokenHash)) throw problems.rateLimited()
}

async function knownRecipientCount(ctx: RouteContext, recipients: number): Promise<boolean> {
  return (await ctx.recipientCounts.get()).has(recipients)
}

export function intakeRoutes(app: Hono, ctx: RouteContext): void {
  app.post('/api/submissions', async (c) => {
    admit(ctx, c, SEALED_TYPE)
    if (ctx.discardSubmissions) return withBody(c, ctx.bytes.submissionBody, ctx.budget, () => acknowledge(c, true))
    return withBody(c, ctx.bytes.submissionBody, ctx.budget, async (body) => {
      const frame = splitFrame(body)
      const header = SubmissionHeader.safeParse(frame?.header)
      if (frame === null || !header.success) throw problems.rejected()
      const tokenHash = hashToken(header.data.token)
      limitInvite(ctx, tokenHash)
      if (frame.payload.length > ctx.bytes.sealedSubmission) throw problems.tooLarge()
      const shape = inspectAgeFile(frame.payload, ctx.bytes.maxRecipients)
      if (shape === null || !(await knownRecipientCount(ctx, shape.recipients))) throw problems.rejected()
      await commitWrite(ctx, {
        kind: 'submission',
        tokenHash,
        clientId: header.data.id,
        recipients: shape.recipients,
        body: frame.payload,
        bodyHash: sha256Hex(frame.payload),
      })
      return acknowledge(c, true)
    })
  })

  app.post('/api/chunks', async (c) => {
    admit(ctx, c, SEALED_TYPE)
    return withBody(c, ctx.bytes.chunkBody, ctx.budget, async (body) => {
      const frame = splitFrame(body)
      const header = ChunkHeader.safeParse(frame?.header)
      if (frame === null || !header.success) throw problems.rejected()
      const { token, upload, index, count } = header.data
      const tokenHash = hashToken(token)
      limitInvite(ctx, tokenHash)
      if (count > ctx.bytes.chunksPerUpload) throw problems.tooLarge()
      const size = frame.payload.length
      const last = index === count - 1
      // Chunks are slices of one age file: all full but the last, which holds the rest.
      if (index >= count || size === 0 || size > CHUNK_BYTES || (!last && size !== CHUNK_BYTES)) throw problems.rejected()
      if (index === 0) {
        const shape = count === 1
          ? inspectAgeFile(frame.payload, ctx.bytes.maxRecipients)
          : inspectAgeHeader(frame.payload, ctx.bytes.maxRecipients)
        if (shape === null || !(await knownRecipientCount(ctx, shape.recipients))) throw problems.rejected()
      }
      await commitWrite(ctx, { kind: 'chunk', tokenHash, uploadId: upload, index, count, body: frame.payload })
      return acknowledge(c, false)
    })
  })

  app.post('/api/chunks/status', async (c) => {
    admit(ctx, c, 'application/json')
    return withBody(c, STATUS_BODY_BYTES, ctx.budget, async (body) => {
      let request: ChunkStatusRequest
      try {
        request = ChunkStatusRequest.parse(JSON.parse(body.toString('utf8')))
      } catch {
        throw problems.rejected()
      }
      const tokenHash = hashToken(request.token)
      limitInvite(ctx, tokenHash)
      let received: number[]
      try {
        received = await ctx.store.uploadProgress(tokenHash, request.upload, ctx.clock())
        await ctx.committer.barrier()
      } catch {
        throw problems.unavailable()
      }
      return c.json({ received })
    })
  })
}
