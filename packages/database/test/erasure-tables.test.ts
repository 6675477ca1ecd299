import type { AnalystId } from '@amanat/domain'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { eraseRespondent } from '../src/erase.ts'
import { PROJECTION_TABLES, TABLE_SPECS, type TableName } from '../src/schema/database.ts'
import type { WorkspaceEventInput } from '../src/store.ts'
import { POSTGRES_TYPES, SQLITE_TYPES } from '../src/migrations/column-types.ts'
import { LEFTOVER_TABLES } from '../src/migrations/0008_erasure_leftovers.ts'
import { VERSIONED_TABLES } from '../src/migrations/0011_written_seq.ts'
import { workspaceMigrations } from '../src/migrations/index.ts'
import { freshStore, rawExecute, RUNNABLE_DIALECTS, type TestStore } from './setup.ts'
import { BodyBuilder } from './support.ts'

/** Every table of the workspace with a `respondent_no` column: where a respondent's rows can be. */
const RESPONDENT_KEYED = (Object.keys(TABLE_SPECS) as TableName[]).filter((table) =>
  (TABLE_SPECS[table].columns as readonly string[]).includes('respondent_no'),
)

/**
 * Takes away what the migrations after 0010 added (0011: written_seq; 0012: vault_entries), for a
 * workspace made to look older than they are.
 */
async function undoMigrationsAfter0010(t: TestStore): Promise<void> {
  for (const table of VERSIONED_TABLES) await rawExecute(t, `alter table ${table} drop column written_seq`)
  await rawExecute(t, 'drop table vault_entries')
}

/** Rows per respondent-keyed table for one respondent number. */
async function rowsOf(t: TestStore, no: number): Promise<Record<string, number>> {
  const out: Record<string, number> = {}
  for (const table of RESPONDENT_KEYED) {
    const row = await t.store.db
      .selectFrom(table)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('respondent_no', '=', no)
      .executeTakeFirstOrThrow()
    out[table] = Number(row.n)
  }
  return out
}

describe('the tables erasure covers', () => {
  it('are every table keyed by respondent but their key itself (which the shred destroys)', () => {
    const projected: readonly string[] = PROJECTION_TABLES
    expect(RESPONDENT_KEYED.filter((table) => !projected.includes(table))).toEqual(['subject_keys'])
  })
})

/**
 * Erasure deletes a respondent's rows from every table their events project into, the workflow's
 * (status and its note, independent codings, pseudonym, attachments) as well as the account's,
 * and a replay afterwards brings none of them back.
 */
describe.each(RUNNABLE_DIALECTS)('erasure on %s reaches every table keyed by respondent', (dialect) => {
  let t: TestStore

  beforeEach(async () => {
    t = await freshStore(dialect)
  })
  afterEach(async () => {
    await t.dispose()
  })

  it('leaves no row of the erased respondent anywhere, and the other respondent whole', async () => {
    const build = new BodyBuilder(`erasure-tables-${dialect}`)
    const analyst = build.analystId() as AnalystId
    const gone = build.account({ incidents: 2 })
    const kept = build.account({ incidents: 1 })
    const everything = (account: typeof gone, name: string): WorkspaceEventInput[] => {
      const respondentId = account.respondent.id
      const testimonyId = account.testimony.id
      return [
        account,
        {
          kind: 'testimony.status_set',
          respondentId,
          testimonyId,
          status: 'coded',
          note: `checked with ${name}`,
        },
        {
          kind: 'coding.independent',
          respondentId,
          testimonyId,
          types: ['surveillance'],
          codebook: 'amanat-default@1.0.0',
        },
        { kind: 'pseudonym.assigned', respondentId, pseudonym: `Pseudonym ${name}` },
        {
          kind: 'story.recorded',
          respondentId,
          story: {
            id: build.id(),
            language: 'en',
            title: 'A story',
            text: `Told by ${name}.`,
            publish: false,
          },
        },
        { kind: 'vault.keyed', respondentId, key: Buffer.alloc(32, 9).toString('base64') },
        {
          kind: 'attachment.imported',
          respondentId,
          testimonyId,
          attachmentId: build.id(),
          sha256: '0'.repeat(64),
          content: Buffer.from(`a photo from ${name}`).toString('base64'),
        },
      ]
    }
    await t.store.appendBatch(analyst, [
      { kind: 'workspace.created', name: 'w' },
      { kind: 'analyst.added', analyst: { id: analyst, label: 'a' } },
      ...everything(gone, 'Gone'),
      ...everything(kept, 'Kept'),
    ])
    const goneNo = (await t.store.respondentNo(gone.respondent.id)) ?? -1
    const keptNo = (await t.store.respondentNo(kept.respondent.id)) ?? -1
    const keptBefore = await rowsOf(t, keptNo)
    // Every table this test means to cover holds a row of theirs before the erasure.
    const before = await rowsOf(t, goneNo)
    for (const table of [
      'testimony_status',
      'testimony_coded',
      'independent_codings',
      'pseudonyms',
      'stories',
      'vault_keys',
      'attachment_events',
    ]) {
      expect({ table, rows: before[table] }).toEqual({ table, rows: expect.any(Number) })
      expect(before[table]).toBeGreaterThan(0)
    }

    await eraseRespondent(t.store, analyst, gone.respondent.id)
    const nothing = Object.fromEntries(RESPONDENT_KEYED.map((table) => [table, 0]))
    expect(await rowsOf(t, goneNo)).toEqual(nothing)
    expect(await rowsOf(t, keptNo)).toEqual(keptBefore)

    await t.store.replayProjections()
    expect(await rowsOf(t, goneNo)).toEqual(nothing)
    expect(await rowsOf(t, keptNo)).toEqual(keptBefore)
  })

  it('removes what an erasure before 0008 left in the workflow tables, when the workspace is upgraded', async () => {
    // The workspace as the version before 0008 made it.
    const all = workspaceMigrations(dialect === 'sqlite' ? SQLITE_TYPES : POSTGRES_TYPES)
    const before = Object.fromEntries(Object.entries(all).filter(([name]) => name < '0008'))
    await t.store.close()
    await rawExecute(t, `delete from kysely_migration where name >= '0008'`)
    // And without what the migrations after 0008 made (0009: intake_pulls; 0010's table goes
    // below, once that version's writes, which this version's code makes, are done).
    await rawExecute(t, 'drop table intake_pulls')
    const old = await t.reopen({ migrations: before })
    const build = new BodyBuilder(`erasure-leftovers-${dialect}`)
    const analyst = build.analystId() as AnalystId
    const [gone, kept] = [build.account({ incidents: 1 }), build.account({ incidents: 1 })]
    const workflow = (account: typeof gone, name: string): WorkspaceEventInput[] => [
      account,
      {
        kind: 'testimony.status_set',
        respondentId: account.respondent.id,
        testimonyId: account.testimony.id,
        status: 'coded',
        note: `about ${name}`,
      },
      { kind: 'pseudonym.assigned', respondentId: account.respondent.id, pseudonym: `Pseudonym ${name}` },
    ]
    await old.appendBatch(analyst, [...workflow(gone, 'Gone'), ...workflow(kept, 'Kept')])
    const goneNo = (await old.respondentNo(gone.respondent.id)) ?? -1
    const keptNo = (await old.respondentNo(kept.respondent.id)) ?? -1
    await old.close()
    // What that version's erasure did: the account's rows and the key went, the workflow's stayed.
    const leftBehind: readonly string[] = LEFTOVER_TABLES
    for (const table of RESPONDENT_KEYED.filter((name) => !leftBehind.includes(name))) {
      await rawExecute(t, `delete from ${table} where respondent_no = $1`, [goneNo])
    }
    await rawExecute(t, 'drop table erased_respondents')
    await undoMigrationsAfter0010(t)
    const upgraded = await t.reopen()
    const leftovers = async (no: number) => {
      let n = 0
      for (const table of LEFTOVER_TABLES) {
        const row = await upgraded.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('respondent_no', '=', no)
          .executeTakeFirstOrThrow()
        n += Number(row.n)
      }
      return n
    }
    expect(await leftovers(goneNo)).toBe(0)
    expect(await leftovers(keptNo)).toBe(3)
  })

  it('records nothing more about an erased respondent: no new key brings them back under their old id', async () => {
    const build = new BodyBuilder(`erased-stays-${dialect}`)
    const analyst = build.analystId() as AnalystId
    const [gone, kept] = [build.account({ incidents: 2 }), build.account({ incidents: 1 })]
    await t.store.appendBatch(analyst, [gone, kept])
    await eraseRespondent(t.store, analyst, gone.respondent.id)
    const before = await t.store.counts()
    // A coding saved as the erasure ran, a story, the same account imported again.
    const late: WorkspaceEventInput[] = [
      { kind: 'incident.recorded', incident: { ...gone.incidents[0]!, note: 'after the erasure' } },
      {
        kind: 'story.recorded',
        respondentId: gone.respondent.id,
        story: {
          id: build.id(),
          language: 'en',
          title: 'T',
          text: 'Written after the erasure.',
          publish: false,
        },
      },
      gone,
    ]
    for (const event of late) {
      const refused = await t.store.append(analyst, event).then(
        () => null,
        (error: unknown) => error,
      )
      expect(refused).toMatchObject({ code: 'respondent.erased' })
    }
    // Refused whole, even in a batch with an event about someone else.
    await expect(t.store.appendBatch(analyst, [kept, late[0]!])).rejects.toMatchObject({
      code: 'respondent.erased',
    })
    expect(await t.store.counts()).toEqual(before)
    expect(await t.store.respondentNo(gone.respondent.id)).toBeNull()
    // The rule is a projection of the log: a replay keeps it.
    await t.store.replayProjections()
    await expect(t.store.append(analyst, late[0]!)).rejects.toMatchObject({ code: 'respondent.erased' })
    // Everyone else is written as before.
    const [keptIncident] = kept.incidents
    if (keptIncident === undefined) throw new Error('expected an incident')
    const written = await t.store.append(analyst, {
      kind: 'incident.recorded',
      incident: { ...keptIncident, note: 'still fine' },
    })
    expect(written.seq).toBeGreaterThan(0)
  })

  it('refuses them already between the erasure being recorded and their key being destroyed', async () => {
    const build = new BodyBuilder(`erased-window-${dialect}`)
    const analyst = build.analystId() as AnalystId
    const gone = build.account({ incidents: 1 })
    await t.store.appendBatch(analyst, [gone])
    const respondentNo = (await t.store.respondentNo(gone.respondent.id)) ?? -1
    // An erasure interrupted after its first step: recorded, rows deleted, key still stored.
    await t.store.append(analyst, {
      kind: 'respondent.erased',
      respondentId: gone.respondent.id,
      respondentNo,
    })
    expect(await t.store.respondentNo(gone.respondent.id)).toBe(respondentNo)
    const before = await t.store.counts()
    await expect(
      t.store.append(analyst, {
        kind: 'incident.recorded',
        incident: { ...gone.incidents[0]!, note: 'late' },
      }),
    ).rejects.toMatchObject({ code: 'respondent.erased' })
    expect(await t.store.counts()).toEqual(before)
    expect(await eraseRespondent(t.store, analyst, gone.respondent.id)).toMatchObject({
      recorded: false,
      keyDestroyed: true,
    })
  })

  it('knows the respondents erased before 0010 once the workspace is upgraded', async () => {
    const build = new BodyBuilder(`erased-upgrade-${dialect}`)
    const analyst = build.analystId() as AnalystId
    const gone = build.account({ incidents: 1 })
    await t.store.appendBatch(analyst, [gone])
    await eraseRespondent(t.store, analyst, gone.respondent.id)
    // The workspace as the version before 0010 left it.
    await t.store.close()
    await rawExecute(t, `delete from kysely_migration where name >= '0010'`)
    await rawExecute(t, 'drop table erased_respondents')
    await undoMigrationsAfter0010(t)
    const upgraded = await t.reopen()
    await expect(
      upgraded.append(analyst, {
        kind: 'incident.recorded',
        incident: { ...gone.incidents[0]!, note: 'late' },
      }),
    ).rejects.toMatchObject({ code: 'respondent.erased' })
  })
})
