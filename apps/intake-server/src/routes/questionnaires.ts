import { IsoDay, QuestionnaireId, SIGNED_QUESTIONNAIRE_FORMAT } from '@amanat/domain'
import type { Hono } from 'hono'
import { z } from 'zod'
import { withBody } from '../http/body.ts'
import { problems } from '../problems.ts'
import type { RouteContext } from './context.ts'

/**
 * Publishing and serving signed questionnaires (docs/intake-protocol.md §1). The server does not
 * verify the signature (the page does, against the fingerprint in its invite, which the server
 * never sees): it checks the shape it relies on, records how many recipients the document names
 * (for the stanza check), and serves the JSON exactly as it was published.
 */

const QUESTIONNAIRE_BYTES = 2 * 1024 * 1024

/** A plain X25519 age recipient as text: `age1` and 58 Bech32 characters. The page checks the key itself. */
const AGE_RECIPIENT = /^age1[qpzry9x8gf2tvdw0s3jn54khce6mua7l]{58}$/
const BASE64URL = (length: number) => new RegExp(`^[A-Za-z0-9_-]{${String(length)}}$`)

/** What the server needs of a signed questionnaire; the rest of the document is kept as it is. */
const PublishedQuestionnaire = (maxRecipients: number) =>
  z
    .object({
      document: z.looseObject({
        format: z.literal(SIGNED_QUESTIONNAIRE_FORMAT),
        questionnaire: z.looseObject({ id: QuestionnaireId }),
        recipients: z
          .array(z.string().regex(AGE_RECIPIENT))
          .min(1)
          .max(maxRecipients)
          .refine((list) => new Set(list).size === list.length),
        publishedOn: IsoDay,
      }),
      publicKey: z.string().regex(BASE64URL(43)),
      signature: z.string().regex(BASE64URL(86)),
    })
    .strict()

export function questionnaireRoutes(app: Hono, ctx: RouteContext): void {
  const schema = PublishedQuestionnaire(ctx.bytes.maxRecipients)

  app.get('/q/:id', async (c) => {
    const id = QuestionnaireId.safeParse(c.req.param('id'))
    if (!id.success) throw problems.notFound()
    let document: string | null
    try {
      document = await ctx.store.findQuestionnaire(id.data)
    } catch {
      throw problems.unavailable()
    }
    if (document === null) throw problems.notFound()
    c.header('Content-Type', 'application/json')
    return c.body(document, 200)
  })

  app.put('/api/admin/questionnaires/:id', async (c) => {
    const id = QuestionnaireId.safeParse(c.req.param('id'))
    if (!id.success) throw problems.badAdminRequest()
    return withBody(c, QUESTIONNAIRE_BYTES, ctx.budget, async (body) => {
      const text = body.toString('utf8')
      let parsed: z.infer<ReturnType<typeof PublishedQuestionnaire>>
      try {
        parsed = schema.parse(JSON.parse(text))
      } catch {
        throw problems.badAdminRequest()
      }
      if (parsed.document.questionnaire.id !== id.data) throw problems.questionnaireMismatch()
      if (ctx.committer.failed) throw problems.unavailable()
      try {
        await ctx.store.publishQuestionnaire(id.data, text, parsed.document.recipients.length, ctx.clock())
      } catch (error) {
        ctx.failClosed(error)
        throw problems.unavailable()
      }
      ctx.recipientCounts.invalidate()
      return c.json({ questionnaireId: id.data, recipients: parsed.document.recipients.length })
    })
  })
}
