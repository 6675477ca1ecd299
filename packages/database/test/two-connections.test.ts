import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { WorkspaceStore } from '../src/store.ts'
import { freshStore, RUNNABLE_DIALECTS, type TestStore } from './setup.ts'
import { BodyBuilder } from './support.ts'

/**
 * Two connections to one workspace (the workbench's UI and a CLI command, say): what one writes,
 * the other finds, although on SQLite each keeps its subjects' numbers in memory
 * (SqliteSubjectDirectory, refreshed when `PRAGMA data_version` moves).
 */
describe.each(RUNNABLE_DIALECTS)('two connections to one workspace on %s', (dialect) => {
  let t: TestStore
  let other: WorkspaceStore
  const build = new BodyBuilder('two-connections')

  beforeEach(async () => {
    t = await freshStore(dialect)
    other = await t.reopen()
  })
  afterEach(async () => {
    await other.close()
    await t.dispose()
  })

  it("each finds the respondents and reads the events the other recorded after it looked", async () => {
    const first = build.account()
    await t.store.appendBatch('system', [first])
    // The other connection looks first: on SQLite its map of subjects is read now.
    expect(await other.respondentNo(first.respondent.id)).not.toBeNull()

    const second = build.account()
    await t.store.appendBatch('system', [second])
    expect(await other.respondentNo(second.respondent.id)).not.toBeNull()
    const seen = (await other.events({ limit: 100 })).flatMap((e) => (e.body?.kind === 'testimony.imported' ? [e.body.respondent.id] : []))
    expect(seen).toEqual([first.respondent.id, second.respondent.id])

    // And the other way round.
    const third = build.account()
    await other.appendBatch('system', [third])
    expect(await t.store.respondentNo(third.respondent.id)).not.toBeNull()
    expect((await t.store.verify()).ok).toBe(true)
  })
})
