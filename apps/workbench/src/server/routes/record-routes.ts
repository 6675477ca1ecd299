import { CONSENT_USES, TESTIMONY_STATUSES } from '@amanat/domain'
import { Hono } from 'hono'
import { z } from 'zod'
import { history } from '../../service/history.ts'
import { listTestimonies } from '../../service/lists.ts'
import { attachmentBytes, readTestimony, setTranslation } from '../../service/reader.ts'
import { INLINE_MEDIA_TYPES } from '../../service/types.ts'
import { jsonBody, parseWith } from '../api-errors.ts'
import { SECURITY_HEADERS } from '../http-guards.ts'
import { BodyVersion, pathId, pathRef, type Work } from './route-kit.ts'

/** Reading: the codebook, the inbox and filtered lists (keyset pages), a testimony, its translation, attachments and history. */

const ListQuery = z
  .object({
    after: z.string().max(200).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
    status: z.enum(TESTIMONY_STATUSES).optional(),
    code: z.string().min(1).max(63).optional(),
    country: z.string().length(2).optional(),
    year: z.coerce.number().int().min(1900).max(2099).optional(),
    mode: z.enum(['online', 'interview', 'import']).optional(),
    consent: z.enum(CONSENT_USES).optional(),
  })
  .strict()

const Translation = z
  .object({
    translation: z
      .object({ language: z.string().max(35), text: z.string().max(2 * 1024 * 1024) })
      .strict()
      .nullable(),
    /** The testimony's version the translation was written from (the reader's `versions`). */
    version: BodyVersion.exactOptional(),
  })
  .strict()

export function recordRoutes(open: () => Work): Hono {
  const app = new Hono()
  const work = () => open().service

  app.get('/codebook', (c) => c.json({ codebook: work().codebook }))

  app.get('/testimonies', async (c) => {
    const q = parseWith(ListQuery, c.req.query())
    const filters = {
      ...(q.status === undefined ? {} : { status: q.status }),
      ...(q.code === undefined ? {} : { code: q.code }),
      ...(q.country === undefined ? {} : { country: q.country }),
      ...(q.year === undefined ? {} : { year: q.year }),
      ...(q.mode === undefined ? {} : { collectionMode: q.mode }),
      ...(q.consent === undefined ? {} : { consent: q.consent }),
    }
    return c.json(
      await listTestimonies(work(), {
        filters,
        limit: q.limit,
        ...(q.after === undefined ? {} : { after: q.after }),
      }),
    )
  })

  app.get('/testimonies/:respondentId/:testimonyId', async (c) =>
    c.json(await readTestimony(work(), pathRef(c.req.param()))),
  )
  app.post('/testimonies/:respondentId/:testimonyId/translation', async (c) => {
    const { translation, version } = await jsonBody(c, Translation)
    return c.json({ version: await setTranslation(work(), pathRef(c.req.param()), translation, version) })
  })
  app.get('/respondents/:respondentId/history', async (c) =>
    c.json(await history(work(), pathId(c.req.param('respondentId')))),
  )
  app.get('/respondents/:respondentId/attachments/:id', async (c) => {
    const file = await attachmentBytes(work(), pathId(c.req.param('respondentId')), pathId(c.req.param('id')))
    return attachmentResponse(file.mediaType, file.bytes)
  })

  return app
}

/**
 * An attachment's bytes, from this server only. Shown inline only when it is a raster image; the
 * response is sandboxed in any case, so a file that is not what it claims to be runs nothing.
 */
function attachmentResponse(mediaType: string, bytes: Uint8Array): Response {
  const inline = INLINE_MEDIA_TYPES.has(mediaType)
  return new Response(bytes as Uint8Array<ArrayBuffer>, {
    headers: {
      ...SECURITY_HEADERS,
      'Content-Type': inline ? mediaType : 'application/octet-stream',
      'Content-Disposition': inline ? 'inline' : 'attachment',
      'Content-Security-Policy': "default-src 'none'; sandbox",
    },
  })
}
