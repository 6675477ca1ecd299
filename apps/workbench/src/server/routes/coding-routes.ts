import { CONSENT_FORMS, CONSENT_USES, DISCLOSURE_WISHES, TESTIMONY_STATUSES } from '@amanat/domain'
import { Hono } from 'hono'
import { z } from 'zod'
import {
  recordIdentifier,
  recordIncident,
  recordRelative,
  removeIdentifier,
  removeIncident,
  removeRelative,
  setImpacts,
  type IdentifierDraft,
  type IncidentDraft,
  type RelativeDraft,
} from '../../service/coding.ts'
import { pseudonymFor, setConsent, setDisclosure } from '../../service/respondent-settings.ts'
import { recordIndependentCoding, setStatus } from '../../service/workflow.ts'
import { jsonBody } from '../api-errors.ts'
import { BodyVersion, Draft, pathId, pathRef, queryVersion, type Work } from './route-kit.ts'

/** Coding and review: incidents, relatives, identifiers, impacts, the workflow status, consent, disclosure and the pseudonym. */

const Version = BodyVersion.optional()
const StatusChange = z
  .object({
    status: z.enum(TESTIMONY_STATUSES),
    note: z.string().max(2000).nullable().default(null),
    version: Version,
  })
  .strict()
const Types = z.object({ types: z.array(z.string().max(63)).max(200) }).strict()
const ConsentBody = z
  .object({
    uses: z.array(z.enum(CONSENT_USES)).max(CONSENT_USES.length),
    withdrawn: z.boolean(),
    form: z.enum(CONSENT_FORMS),
    version: Version,
  })
  .strict()
const DisclosureBody = z.object({ disclosure: z.enum(DISCLOSURE_WISHES), version: Version }).strict()
const Impacts = z.object({ impacts: z.array(z.string().max(63)).max(50), version: Version }).strict()

export function codingRoutes(open: () => Work): Hono {
  const app = new Hono()
  const work = () => open().service
  // A removal names the version it was asked from, if the caller read one (`?version=`).
  const removal = (
    records: string,
    remove: (session: Work['service'], respondentId: string, id: string, version?: number) => Promise<void>,
  ) =>
    app.delete(`/respondents/:respondentId/${records}/:id`, async (c) => {
      const version = queryVersion(c.req.query('version'))
      await remove(work(), pathId(c.req.param('respondentId')), pathId(c.req.param('id')), version)
      return c.json({ ok: true })
    })

  app.post('/testimonies/:respondentId/:testimonyId/incidents', async (c) => {
    const draft = (await jsonBody(c, Draft)) as unknown as IncidentDraft
    return c.json({ incident: await recordIncident(work(), pathRef(c.req.param()), draft) })
  })
  app.post('/testimonies/:respondentId/:testimonyId/status', async (c) => {
    const { status, note, version } = await jsonBody(c, StatusChange)
    return c.json({ workflow: await setStatus(work(), pathRef(c.req.param()), status, note, version) })
  })
  app.post('/testimonies/:respondentId/:testimonyId/independent', async (c) => {
    const { types } = await jsonBody(c, Types)
    await recordIndependentCoding(work(), pathRef(c.req.param()), types)
    return c.json({ ok: true })
  })

  removal('incidents', removeIncident)
  app.post('/respondents/:respondentId/relatives', async (c) => {
    const draft = (await jsonBody(c, Draft)) as unknown as RelativeDraft
    return c.json({ relative: await recordRelative(work(), pathId(c.req.param('respondentId')), draft) })
  })
  removal('relatives', removeRelative)
  app.post('/respondents/:respondentId/identifiers', async (c) => {
    const draft = (await jsonBody(c, Draft)) as unknown as IdentifierDraft
    return c.json({ identifier: await recordIdentifier(work(), pathId(c.req.param('respondentId')), draft) })
  })
  removal('identifiers', removeIdentifier)
  app.post('/respondents/:respondentId/impacts', async (c) => {
    const { impacts, version } = await jsonBody(c, Impacts)
    await setImpacts(work(), pathId(c.req.param('respondentId')), impacts, version)
    return c.json({ ok: true })
  })

  app.post('/respondents/:respondentId/consent', async (c) => {
    const change = await jsonBody(c, ConsentBody)
    return c.json({ respondent: await setConsent(work(), pathId(c.req.param('respondentId')), change) })
  })
  app.post('/respondents/:respondentId/disclosure', async (c) => {
    const { disclosure, version } = await jsonBody(c, DisclosureBody)
    return c.json({
      respondent: await setDisclosure(work(), pathId(c.req.param('respondentId')), disclosure, version),
    })
  })
  app.post('/respondents/:respondentId/pseudonym', async (c) => {
    return c.json({ pseudonym: await pseudonymFor(work(), pathId(c.req.param('respondentId'))) })
  })

  return app
}
