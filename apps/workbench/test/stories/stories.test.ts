import { eraseRespondent, respondentFromRow } from '@amanat/database'
import { mayUse, Pseudonym, type ConsentUse, type Story } from '@amanat/domain'
import fc from 'fast-check'
import { afterEach, describe, expect, it } from 'vitest'
import { PROPERTY_RUNS } from '../../../../tools/test-support/profile.ts'
import {
  listStories,
  markStory,
  mayPublishStory,
  releasableStories,
  removeStory,
  saveStory,
} from '../../src/stories/stories.ts'
import { RUNNABLE_DIALECTS, serviceFixture, type ServiceFixture } from '../service/support.ts'

const CLEAN = 'In 2019 a caller asked for the names of community members. The respondent refused.'

describe.each(RUNNABLE_DIALECTS)('case stories (%s)', (dialect) => {
  let fixture: ServiceFixture | undefined
  afterEach(async () => {
    await fixture?.t.dispose()
    fixture = undefined
  })

  async function respondents(f: ServiceFixture) {
    return f.t.store.db
      .selectFrom('respondents')
      .select(['respondent_no', 'id', 'key', 'consent_uses', 'consent_withdrawn'])
      .orderBy('respondent_no')
      .execute()
  }

  async function setConsent(
    f: ServiceFixture,
    respondentNo: number,
    uses: readonly ConsentUse[],
    withdrawn: boolean,
  ) {
    const row = await f.t.store.db
      .selectFrom('respondents')
      .selectAll()
      .where('respondent_no', '=', respondentNo)
      .executeTakeFirstOrThrow()
    const recorded = respondentFromRow(row)
    const pseudonym = recorded.pseudonym ?? Pseudonym.parse(`Pseudo ${String(respondentNo)}`)
    const respondent = {
      ...recorded,
      pseudonym,
      consent: { ...recorded.consent, uses: [...uses], withdrawn },
    }
    await f.t.store.append(f.first.id, { kind: 'respondent.recorded', respondent })
  }

  it('writes, lists, marks and removes a story as events about the respondent', async () => {
    fixture = await serviceFixture(dialect, 3)
    const [first] = await respondents(fixture)
    const story = await saveStory(fixture.session, {
      respondent: first!.key,
      language: 'en',
      title: 'A call',
      text: CLEAN,
      publish: false,
    })
    const listed = await listStories(fixture.t.store)
    expect(listed.map((v) => [v.story.id, v.story.publish, v.respondentKey])).toEqual([
      [story.id, false, first!.key],
    ])
    await markStory(fixture.session, story.id, true)
    expect((await listStories(fixture.t.store, first!.key))[0]?.story.publish).toBe(true)
    const events = await fixture.t.store.events({ afterSeq: 0, limit: 10_000 })
    expect(events.filter((e) => e.kind === 'story.recorded').every((e) => e.subject === first!.id)).toBe(true)
    await removeStory(fixture.session, story.id)
    expect(await listStories(fixture.t.store)).toEqual([])
    await expect(markStory(fixture.session, story.id, true)).rejects.toMatchObject({
      code: 'story.not_found',
    })
  })

  it('refuses a revision, mark or removal made from an older listing: a redaction or an unmarking stays', async () => {
    fixture = await serviceFixture(dialect, 3)
    const [first] = await respondents(fixture)
    const written = await saveStory(fixture.session, {
      respondent: first!.key,
      language: 'en',
      title: 'A call',
      text: `${CLEAN} It happened in a small village.`,
      publish: true,
    })
    // Two tabs list the story at the same version.
    const [listed] = await listStories(fixture.t.store, first!.key)
    expect(listed?.version).toBe(written.version)
    const stale = written.version
    // One takes the village out and unmarks the story...
    const redacted = await saveStory(fixture.session, {
      respondent: first!.key,
      storyId: written.id,
      language: 'en',
      title: 'A call',
      text: CLEAN,
      publish: false,
      version: stale,
    })
    // ...the other, from the older listing, can neither put its text back, nor mark it, nor remove it.
    const code = { code: 'record.changed' }
    await expect(
      saveStory(fixture.session, {
        respondent: first!.key,
        storyId: written.id,
        language: 'en',
        title: 'A call, edited',
        text: `${CLEAN} It happened in a small village.`,
        publish: true,
        version: stale,
      }),
    ).rejects.toMatchObject(code)
    await expect(markStory(fixture.session, written.id, true, stale)).rejects.toMatchObject(code)
    await expect(removeStory(fixture.session, written.id, stale)).rejects.toMatchObject(code)
    const [now] = await listStories(fixture.t.store, first!.key)
    expect(now?.story).toEqual({
      id: written.id,
      language: 'en',
      title: 'A call',
      text: CLEAN,
      publish: false,
    })
    // From the current listing each goes through, and each answer carries the next version.
    const marked = await markStory(fixture.session, written.id, true, redacted.version)
    expect(marked.version).toBeGreaterThan(redacted.version)
    await removeStory(fixture.session, written.id, marked.version)
    expect(await listStories(fixture.t.store, first!.key)).toEqual([])
  })

  it('erasing the respondent deletes their stories and makes the story events unreadable', async () => {
    fixture = await serviceFixture(dialect, 3)
    const [first, second] = await respondents(fixture)
    await saveStory(fixture.session, {
      respondent: first!.key,
      language: 'en',
      title: 'Gone',
      text: CLEAN,
      publish: true,
    })
    const kept = await saveStory(fixture.session, {
      respondent: second!.key,
      language: 'en',
      title: 'Kept',
      text: CLEAN,
      publish: false,
    })
    await eraseRespondent(fixture.t.store, fixture.first.id, first!.id)
    expect((await listStories(fixture.t.store)).map((v) => v.story.id)).toEqual([kept.id])
    const events = await fixture.t.store.events({ afterSeq: 0, limit: 10_000 })
    const erased = events.filter((e) => e.kind === 'story.recorded' && e.subject === first!.id)
    expect(erased).toHaveLength(1)
    expect(erased.every((e) => e.body === null)).toBe(true)
  })

  it('holds back a marked story without consent and blocks one that names an identifier', async () => {
    fixture = await serviceFixture(dialect, 3)
    const [a, b] = await respondents(fixture)
    await setConsent(fixture, a!.respondent_no, ['aggregate'], false)
    await setConsent(fixture, b!.respondent_no, ['aggregate', 'anonymised_story'], false)
    await saveStory(fixture.session, {
      respondent: a!.key,
      language: 'en',
      title: 'Held back',
      text: CLEAN,
      publish: true,
    })
    const published = await saveStory(fixture.session, {
      respondent: b!.key,
      language: 'en',
      title: 'Told',
      text: CLEAN,
      publish: true,
    })
    const release = await releasableStories(fixture.t.store, null)
    expect(release.stories.map((s) => s.id)).toEqual([published.id])
    expect(release.withheld).toEqual([{ reason: 'no_consent' }])

    await saveStory(fixture.session, {
      respondent: b!.key,
      storyId: published.id,
      language: 'en',
      title: 'Told',
      text: `${CLEAN} Ask ${b!.key} for more.`,
      publish: true,
    })
    await expect(releasableStories(fixture.t.store, null)).rejects.toMatchObject({ code: 'story.blocked' })
    const vault = { termsFor: (id: string) => Promise.resolve(id === b!.id ? ['Amina Testova'] : []) }
    await saveStory(fixture.session, {
      respondent: b!.key,
      storyId: published.id,
      language: 'en',
      title: 'Told',
      text: `${CLEAN} amina testova said so.`,
      publish: true,
    })
    await expect(releasableStories(fixture.t.store, vault)).rejects.toMatchObject({ code: 'story.blocked' })
  })

  it('never releases a story without its consent (property)', async () => {
    fixture = await serviceFixture(dialect, 4)
    const f = fixture
    const rows = await respondents(f)
    const stories: Story[] = []
    for (const row of rows)
      stories.push(
        await saveStory(f.session, {
          respondent: row.key,
          language: 'en',
          title: `A story told in ${String(2010 + stories.length)}`,
          text: CLEAN,
          publish: true,
        }),
      )
    const use = fc.constantFrom<ConsentUse>('aggregate', 'anonymised_story', 'quote', 'share_with_lawyer')
    const state = fc.record({
      uses: fc.uniqueArray(use, { maxLength: 4 }),
      withdrawn: fc.boolean(),
      publish: fc.boolean(),
    })
    await fc.assert(
      fc.asyncProperty(
        fc.array(state, { minLength: rows.length, maxLength: rows.length }),
        async (states) => {
          for (const [i, s] of states.entries()) {
            await setConsent(f, rows[i]!.respondent_no, s.uses, s.withdrawn)
            await markStory(f.session, stories[i]!.id, s.publish)
          }
          const released = new Set((await releasableStories(f.t.store, null)).stories.map((s) => s.id))
          for (const [i, s] of states.entries()) {
            const consent = {
              uses: s.uses,
              withdrawn: s.withdrawn,
              form: 'online' as const,
              recordedOn: '2020-01-01',
            }
            const allowed = s.publish && (mayUse(consent, 'anonymised_story') || mayUse(consent, 'quote'))
            expect(released.has(stories[i]!.id)).toBe(allowed)
            expect(mayPublishStory(consent)).toBe(
              !s.withdrawn && (s.uses.includes('anonymised_story') || s.uses.includes('quote')),
            )
          }
        },
      ),
      { numRuns: Math.min(PROPERTY_RUNS, 25) },
    )
  })
})
