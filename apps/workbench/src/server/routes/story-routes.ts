import { inputError } from '@amanat/domain'
import { Hono } from 'hono'
import { z } from 'zod'
import { loadRespondent } from '../../service/records.ts'
import type { StoryFinding } from '../../stories/story-check.ts'
import {
  checkStory,
  listStories,
  markStory,
  mayPublishStory,
  removeStory,
  saveStory,
  type StoryView,
  type WithheldStory,
} from '../../stories/stories.ts'
import { jsonBody } from '../api-errors.ts'
import { BodyVersion, pathId, queryVersion, type Work } from './route-kit.ts'

/**
 * Case stories of one respondent (src/stories): list them with what the release check finds in
 * each, write or revise one, mark or unmark it for publication, remove it, check it again. The
 * check's findings are kinds only (`a phone from the identifier`), never the text they matched,
 * so nothing identifying travels back to the page a second time. The story's own id and the
 * respondent's id in the path must belong together, or the answer is `story.not_found`.
 */

const StoryBody = z
  .object({
    storyId: z.string().max(26).exactOptional(),
    language: z.string().max(35),
    title: z.string().max(1000),
    text: z.string().max(100_000),
    publish: z.boolean().default(false),
    version: BodyVersion.exactOptional(),
  })
  .strict()
const MarkBody = z.object({ publish: z.boolean(), version: BodyVersion.exactOptional() }).strict()

/** A story as the page gets it: the story and the release check's findings about its text. */
export interface StoryItem {
  readonly id: string
  readonly language: string
  readonly title: string
  readonly text: string
  readonly publish: boolean
  /** Sent back with a revision, mark or removal: refused (`record.changed`) if the story changed since. */
  readonly version: number
  readonly findings: readonly StoryFinding[]
}

/**
 * A respondent's stories, and whether their consent lets a marked story leave the team: `allowed`,
 * or why not (the reasons a release withholds a story for).
 */
export interface StoryList {
  readonly publication: 'allowed' | WithheldStory['reason']
  readonly stories: readonly StoryItem[]
}

export function storyRoutes(open: () => Work): Hono {
  const app = new Hono()
  const base = '/respondents/:respondentId/stories'

  app.get(base, async (c) => {
    const work = open()
    const respondentId = pathId(c.req.param('respondentId'))
    const { respondent } = await loadRespondent(work.service, respondentId)
    const views = await listStories(work.service.store, respondentId)
    const stories: StoryItem[] = []
    for (const view of views)
      stories.push({ ...view.story, version: view.version, findings: await findingsOf(work, view) })
    const { consent } = respondent
    const publication = mayPublishStory(consent) ? 'allowed' : consent.withdrawn ? 'withdrawn' : 'no_consent'
    return c.json({ publication, stories } satisfies StoryList)
  })
  app.post(base, async (c) => {
    const body = await jsonBody(c, StoryBody)
    const respondent = pathId(c.req.param('respondentId'))
    // saveStory refuses a revision of a story that is not this respondent's.
    return c.json({ story: await saveStory(open().service, { ...body, respondent }) })
  })
  app.post(`${base}/:storyId/mark`, async (c) => {
    const { publish, version } = await jsonBody(c, MarkBody)
    const work = open()
    const view = await storyOf(work, pathId(c.req.param('respondentId')), pathId(c.req.param('storyId')))
    return c.json({ story: await markStory(work.service, view.story.id, publish, version) })
  })
  app.delete(`${base}/:storyId`, async (c) => {
    const work = open()
    const view = await storyOf(work, pathId(c.req.param('respondentId')), pathId(c.req.param('storyId')))
    await removeStory(work.service, view.story.id, queryVersion(c.req.query('version')))
    return c.json({ ok: true })
  })
  app.get(`${base}/:storyId/check`, async (c) => {
    const work = open()
    const view = await storyOf(work, pathId(c.req.param('respondentId')), pathId(c.req.param('storyId')))
    return c.json({ findings: await findingsOf(work, view) })
  })

  return app
}

/** The release check on a story's title and text, with the respondent's vault entry. */
function findingsOf(work: Work, view: StoryView): Promise<StoryFinding[]> {
  return checkStory(work.service.store, view, work.vault)
}

/** The respondent's story with that id; input `story.not_found` when they have none. */
async function storyOf(work: Work, respondentId: string, storyId: string): Promise<StoryView> {
  const view = (await listStories(work.service.store, respondentId)).find((v) => v.story.id === storyId)
  if (view === undefined) throw inputError('story.not_found', 'This respondent has no story with that id.')
  return view
}
