import {
  DeleteItemsRequest,
  IssueInvitesRequest,
  RevokeInvitesRequest,
  UploadId,
  type DeleteItemsResult,
  type IntakeChainPage,
  type IssueInvitesResult,
  type PulledItemsPage,
  type RevokeInvitesResult,
} from '@amanat/domain'
import type { Context, Hono } from 'hono'
import type { z } from 'zod'
import { withBody } from '../http/body.ts'
import { matchesHash } from '../invites/token-hash.ts'
import { problems } from '../problems.ts'
import type { RouteContext } from './context.ts'

/**
 * The analysts' routes (docs/intake-protocol.md §2, §4), all behind the credential
 * (`Authorization: Bearer <credential>`). Nothing else on the server returns stored content.
 */

const ADMIN_BODY_BYTES = 4 * 1024 * 1024
const CHAIN_PAGE = 1000
const ITEMS_PAGE = 200
const ITEMS_PAGE_BYTES = 16 * 1024 * 1024

/** Reads and parses a JSON admin request body. */
async function readJson<S extends z.ZodType>(ctx: RouteContext, c: Context, schema: S): Promise<z.infer<S>> {
  return withBody(c, ADMIN_BODY_BYTES, ctx.budget, (body) => {
    let value: unknown
    try {
      value = JSON.parse(body.toString('utf8'))
    } catch {
      throw problems.badAdminRequest()
    }
    const parsed = schema.safeParse(value)
    if (!parsed.success) throw problems.badAdminRequest()
    return parsed.data
  })
}

/** `?after=<seq>`: a whole number, 0 when absent. */
function afterParam(c: Context): number {
  const text = c.req.query('after') ?? '0'
  if (!/^\d{1,15}$/.test(text)) throw problems.badAdminRequest()
  return Number(text)
}

/** Runs a store write for an admin route; a failed write stops the server like a failed commit. */
async function adminWrite<T>(ctx: RouteContext, write: () => Promise<T>): Promise<T> {
  if (ctx.committer.failed) throw problems.unavailable()
  try {
    return await write()
  } catch (error) {
    ctx.failClosed(error)
    throw problems.unavailable()
  }
}

/** Runs a store read for an admin route; a failed read is a 503 for this request only. */
async function adminRead<T>(read: () => Promise<T>): Promise<T> {
  try {
    return await read()
  } catch {
    throw problems.unavailable()
  }
}

/** Refuses every `/api/admin/*` request without the analyst credential; registered before any route. */
export function adminAuth(app: Hono, ctx: RouteContext): void {
  app.use('/api/admin/*', async (c, next) => {
    const match = /^Bearer ([\x21-\x7e]{1,200})$/.exec(c.req.header('authorization') ?? '')
    if (match?.[1] === undefined || !matchesHash(match[1], ctx.credentialHash)) throw problems.unauthorized()
    await next()
  })
}

export function adminRoutes(app: Hono, ctx: RouteContext): void {

  app.post('/api/admin/invites', async (c) => {
    const request = await readJson(ctx, c, IssueInvitesRequest)
    const added = await adminWrite(ctx, () => ctx.store.addInvites(request.questionnaireId, request.invites))
    if (added === null) throw problems.unknownQuestionnaire()
    return c.json({ added } satisfies IssueInvitesResult)
  })

  app.post('/api/admin/invites/revoke', async (c) => {
    const request = await readJson(ctx, c, RevokeInvitesRequest)
    const revoked = await adminWrite(ctx, () => ctx.store.revokeInvites(request.tokenHashes))
    return c.json({ revoked } satisfies RevokeInvitesResult)
  })

  app.get('/api/admin/chain', async (c) => {
    const after = afterParam(c)
    const entries = await adminRead(() => ctx.store.chainAfter(after, CHAIN_PAGE))
    return c.json({ entries } satisfies IntakeChainPage)
  })

  app.get('/api/admin/submissions', async (c) => {
    const after = afterParam(c)
    const items = await adminRead(() => ctx.store.itemsAfter(after, ITEMS_PAGE, ITEMS_PAGE_BYTES))
    const page: PulledItemsPage = {
      items: items.map((item) => ({
        seq: item.seq,
        kind: item.kind,
        id: item.id as PulledItemsPage['items'][number]['id'],
        tokenHash: item.tokenHash as PulledItemsPage['items'][number]['tokenHash'],
        sha256: item.sha256,
        day: item.day,
        ciphertext: item.body.toString('base64'),
      })),
    }
    return c.json(page)
  })

  app.get('/api/admin/uploads/:uploadId', async (c) => {
    const uploadId = UploadId.safeParse(c.req.param('uploadId'))
    if (!uploadId.success) throw problems.notFound()
    const file = await adminRead(() => ctx.store.findUpload(uploadId.data))
    if (file === null) throw problems.notFound()
    c.header('Content-Type', 'application/octet-stream')
    // Buffers from Buffer.concat sit on a plain ArrayBuffer, never a SharedArrayBuffer.
    return c.body(file as Uint8Array<ArrayBuffer>, 200)
  })

  app.post('/api/admin/submissions/delete', async (c) => {
    const request = await readJson(ctx, c, DeleteItemsRequest)
    const result = await adminWrite(ctx, () => ctx.store.deleteItems(request.ids, ctx.clock()))
    return c.json(result satisfies DeleteItemsResult)
  })
}
