import { isAmanatError } from '@amanat/domain'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RecordVersion } from '../src/engine.ts'
import type { WorkspaceStore } from '../src/store.ts'
import { freshStore, projectionSnapshot, RUNNABLE_DIALECTS, type TestStore } from './setup.ts'
import { BodyBuilder, thrown } from './support.ts'

/**
 * Record versions (AppendOptions.expect, migration 0011): an edit made from what someone read
 * refuses to overwrite, or bring back, what someone else changed since. Both dialects, and two
 * connections to one workspace (a workbench and a CLI, or two analysts on a team's store).
 */
describe.each(RUNNABLE_DIALECTS)('record versions on %s', (dialect) => {
  let t: TestStore
  const build = new BodyBuilder(`record-versions-${dialect}`)

  beforeEach(async () => {
    t = await freshStore(dialect)
  })
  afterEach(async () => {
    await t.dispose()
  })

  /** One imported account with an incident, a relative and an identifier; the incident's version. */
  async function account(store: WorkspaceStore = t.store) {
    const body = build.account({ incidents: 1 })
    const [event] = await store.appendBatch('system', [body])
    const incident = body.incidents[0]!
    return { body, incident, imported: event!.seq }
  }

  const versionOf = async (table: RecordVersion['table'], id: string): Promise<number | undefined> => {
    const row = await t.store.db
      .selectFrom(table)
      .select('written_seq')
      .where('id', '=', id)
      .executeTakeFirst()
    return row === undefined ? undefined : Number(row.written_seq)
  }

  const headOf = async (): Promise<string | null> => {
    const report = await t.store.verify()
    return report.ok ? report.head : null
  }

  const expectOf = (respondentId: string, id: string, writtenSeq: number): { expect: RecordVersion[] } => ({
    expect: [{ table: 'incidents', respondentId, id, writtenSeq }],
  })

  it('gives each row the seq of the event that last wrote it, and a rebuild gives the same', async () => {
    const { body, incident, imported } = await account()
    expect(await versionOf('incidents', incident.id)).toBe(imported)
    expect(await versionOf('relatives', body.relatives[0]!.id)).toBe(imported)
    expect(await versionOf('identifiers', body.identifiers[0]!.id)).toBe(imported)
    const edited = await t.store.append('system', {
      kind: 'incident.recorded',
      incident: { ...incident, note: 'edited' },
    })
    expect(await versionOf('incidents', incident.id)).toBe(edited.seq)
    const before = await projectionSnapshot(t.store)
    await t.store.replayProjections()
    expect(await projectionSnapshot(t.store)).toEqual(before)
  })

  it('writes an edit made from the current version, and refuses one made from an older one', async () => {
    const { body, incident, imported } = await account()
    const respondentId = body.respondent.id
    const first = await t.store.append(
      'system',
      { kind: 'incident.recorded', incident: { ...incident, note: 'first' } },
      expectOf(respondentId, incident.id, imported),
    )
    const head = await headOf()
    // A second edit from the same read: refused, and nothing of it written.
    const error = await thrown(
      t.store.append(
        'system',
        { kind: 'incident.recorded', incident: { ...incident, note: 'second' } },
        expectOf(respondentId, incident.id, imported),
      ),
    )
    expect(isAmanatError(error) && error.code).toBe('record.changed')
    expect(isAmanatError(error) && error.details).toEqual({
      table: 'incidents',
      id: incident.id,
      writtenSeq: first.seq,
    })
    expect(await headOf()).toEqual(head)
    const row = await t.store.db
      .selectFrom('incidents')
      .select('note')
      .where('id', '=', incident.id)
      .executeTakeFirstOrThrow()
    expect(row.note).toBe('first')
  })

  it('refuses to bring back a removed record, and refuses the whole batch with it', async () => {
    const { body, incident, imported } = await account()
    const respondentId = body.respondent.id
    await t.store.append('system', { kind: 'incident.removed', respondentId, incidentId: incident.id })
    const other = await account()
    const error = await thrown(
      t.store.appendBatch(
        'system',
        [
          { kind: 'incident.recorded', incident: { ...other.incident, note: 'alongside' } },
          { kind: 'incident.recorded', incident: { ...incident, note: 'back again' } },
        ],
        expectOf(respondentId, incident.id, imported),
      ),
    )
    expect(isAmanatError(error) && error.code).toBe('record.changed')
    expect(isAmanatError(error) && error.details).toEqual({ table: 'incidents', id: incident.id })
    expect(await versionOf('incidents', incident.id)).toBeUndefined()
    expect(await versionOf('incidents', other.incident.id)).toBe(other.imported)
  })

  it('lets one of two edits from the same read through when two connections write at once', async () => {
    const { body, incident, imported } = await account()
    const other = await t.reopen()
    try {
      const edit = (store: WorkspaceStore, note: string) =>
        store.append(
          'system',
          { kind: 'incident.recorded', incident: { ...incident, note } },
          expectOf(body.respondent.id, incident.id, imported),
        )
      const outcomes = await Promise.allSettled([edit(t.store, 'from here'), edit(other, 'from there')])
      const written = outcomes.flatMap((o, i) => (o.status === 'fulfilled' ? [i] : []))
      expect(written).toHaveLength(1)
      const refused = outcomes.find((o) => o.status === 'rejected')
      expect(refused?.status === 'rejected' && isAmanatError(refused.reason) && refused.reason.code).toBe(
        'record.changed',
      )
      const row = await t.store.db
        .selectFrom('incidents')
        .select('note')
        .where('id', '=', incident.id)
        .executeTakeFirstOrThrow()
      expect(row.note).toBe(written[0] === 0 ? 'from here' : 'from there')
      expect((await t.store.verify()).ok).toBe(true)
    } finally {
      await other.close()
    }
  })
})
