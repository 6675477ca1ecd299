import { isAmanatError, RespondentId, type AnalystId } from '@amanat/domain'
import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { defaultCodebook } from '../../domain/test/support.ts'
import { identifierFromRow } from '../src/projections/identifier.projection.ts'
import { incidentFromRow } from '../src/projections/incident.projection.ts'
import { relativeFromRow } from '../src/projections/relative.projection.ts'
import { respondentFromRow } from '../src/projections/respondent.projection.ts'
import { testimonyFromRow } from '../src/projections/testimony.projection.ts'
import { projectionSnapshot, rawExecute, freshStore, RUNNABLE_DIALECTS, type TestStore } from './setup.ts'
import { BodyBuilder, thrown } from './support.ts'

describe.each(RUNNABLE_DIALECTS)('the workspace store on %s', (dialect) => {
  let t: TestStore
  let build: BodyBuilder
  let analyst: AnalystId

  beforeEach(async () => {
    t = await freshStore(dialect)
    build = new BodyBuilder(`store-${dialect}`)
    analyst = build.analystId() as AnalystId
  })
  afterEach(async () => {
    await t.dispose()
  })

  it('projects a whole imported account into the tables, readable back as the same domain records', async () => {
    const { store } = t
    await store.appendBatch('system', [
      { kind: 'workspace.created', name: 'Test workspace' },
      { kind: 'analyst.added', analyst: { id: analyst, label: 'first analyst' } },
      { kind: 'codebook.adopted', codebook: defaultCodebook() },
    ])
    const account = build.account({ incidents: 3 })
    await store.append(analyst, account)

    const counts = await store.counts()
    expect(counts).toMatchObject({
      events: 4,
      subject_keys: 1,
      workspace: 1,
      analysts: 1,
      codebooks: 1,
      respondents: 1,
      testimonies: 1,
      incidents: 3,
      relatives: 1,
      identifiers: 1,
      identifier_incidents: 1,
    })
    const respondent = await store.db.selectFrom('respondents').selectAll().executeTakeFirstOrThrow()
    expect(respondentFromRow(respondent)).toEqual(account.respondent)
    const testimony = await store.db.selectFrom('testimonies').selectAll().executeTakeFirstOrThrow()
    expect(testimonyFromRow(testimony)).toEqual(account.testimony)
    const incidents = await store.db.selectFrom('incidents').selectAll().execute()
    expect(incidents.map(incidentFromRow).sort(byId)).toEqual([...account.incidents].sort(byId))
    const relatives = await store.db.selectFrom('relatives').selectAll().execute()
    expect(relatives.map(relativeFromRow)).toEqual(account.relatives)
    const identifier = await store.db.selectFrom('identifiers').selectAll().executeTakeFirstOrThrow()
    const links = await store.db.selectFrom('identifier_incidents').select('incident_id').execute()
    expect(
      identifierFromRow(
        identifier,
        links.map((l) => l.incident_id),
      ),
    ).toEqual(account.identifiers[0])
    const workspace = await store.db.selectFrom('workspace').selectAll().executeTakeFirstOrThrow()
    expect(workspace.name).toBe('Test workspace')
    const codebook = await store.db.selectFrom('codebooks').selectAll().executeTakeFirstOrThrow()
    expect(codebook.ref).toBe(`${defaultCodebook().id}@${defaultCodebook().version}`)
  })

  it('returns decoded events in order, chained from the genesis hash, page by page', async () => {
    const { store } = t
    const at = new Date('2024-05-01T09:30:00.000Z')
    const bodies = [{ kind: 'workspace.created', name: 'w' } as const, build.account(), build.account()]
    const appended = await store.appendBatch(analyst, bodies, { at })
    expect(appended.map((e) => e.seq)).toEqual([1, 2, 3])

    const events = await store.events()
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3])
    expect(events[0]?.prevHash).toBe('0'.repeat(64))
    for (let i = 1; i < events.length; i += 1) expect(events[i]?.prevHash).toBe(events[i - 1]?.hash)
    expect(events.map((e) => e.hash)).toEqual(appended.map((e) => e.hash))
    expect(events.map((e) => e.id)).toEqual(appended.map((e) => e.id))
    expect(events[1]?.body).toEqual(bodies[1])
    expect(events[1]?.subject).toBe(bodies[1]?.kind === 'testimony.imported' ? bodies[1].respondent.id : null)
    expect(events[0]?.subject).toBeNull()
    expect(events.every((e) => e.author === analyst && e.recordedAt.getTime() === at.getTime())).toBe(true)

    const page = await store.events({ afterSeq: 1, limit: 1 })
    expect(page.map((e) => e.seq)).toEqual([2])
  })

  it("stores a respondent's event body sealed, and a workspace-level body as plain JSON", async () => {
    const { store } = t
    const marker = 'PTM-SEALED-BODY-MARKER'
    const account = build.account({ marker })
    await store.appendBatch('system', [{ kind: 'workspace.created', name: 'plain name' }, account])
    const rows = await store.db
      .selectFrom('events')
      .select(['seq', 'body', 'subject'])
      .orderBy('seq')
      .execute()
    const [plain, sealed] = rows
    expect(JSON.parse(Buffer.from(plain?.body ?? []).toString('utf8'))).toEqual({
      kind: 'workspace.created',
      name: 'plain name',
    })
    const bytes = Buffer.from(sealed?.body ?? [])
    expect(sealed?.subject).toBe(account.respondent.id)
    expect(bytes.includes(Buffer.from(marker))).toBe(false)
    expect(bytes.includes(Buffer.from(account.respondent.id))).toBe(false)
    expect(bytes.includes(Buffer.from('"kind"'))).toBe(false)
    expect(() => JSON.parse(bytes.toString('utf8')) as unknown).toThrow()
  })

  it('refuses an invalid body or author before writing anything', async () => {
    const { store } = t
    await store.append('system', { kind: 'workspace.created', name: 'w' })
    const bad = { ...build.account(), respondent: { ...build.account().respondent, residenceCountry: 'XX' } }
    const error = await thrown(store.appendBatch('system', [build.account(), bad]))
    expect(isAmanatError(error, 'input.invalid')).toBe(true)
    expect(isAmanatError(error) && error.details.index).toBe(1)
    expect(
      isAmanatError(await thrown(store.append('not-an-analyst', build.account())), 'input.invalid'),
    ).toBe(true)
    expect((await store.counts()).events).toBe(1)
  })

  it('leaves nothing behind when a batch fails half-way, and keeps no key it created', async () => {
    const { store } = t
    await store.append('system', { kind: 'workspace.created', name: 'w' })
    const accounts = [build.account(), build.account(), build.account()]
    // A damaged key row for the third account's respondent makes the batch fail inside its
    // transaction, after the first two events and their projections were written.
    await rawExecute(
      t,
      'insert into subject_keys (subject, respondent_no, wrapped_key) values ($1, $2, $3)',
      [accounts[2]?.respondent.id, 99, Buffer.alloc(61, 7)],
    )
    const before = await projectionSnapshot(store)
    const error = await thrown(store.appendBatch('system', accounts))
    expect(isAmanatError(error, 'workspace.corrupt')).toBe(true)
    expect(await projectionSnapshot(store)).toEqual(before)
    expect(await store.counts()).toMatchObject({ events: 1, subject_keys: 1 })

    await rawExecute(t, 'delete from subject_keys')
    await store.appendBatch('system', accounts)
    const events = await store.events()
    expect(events.map((e) => e.body)).toEqual([{ kind: 'workspace.created', name: 'w' }, ...accounts])
    expect(await store.verify()).toMatchObject({ ok: true, events: 4 })
  })

  it('replaces the rows of an earlier import when the same testimony is imported again', async () => {
    const { store } = t
    const first = build.account({ incidents: 3 })
    await store.append('system', first)
    const again = build.account({
      incidents: 1,
      respondentId: first.respondent.id,
      testimonyId: first.testimony.id,
    })
    const other = build.account({ incidents: 2, respondentId: first.respondent.id })
    await store.appendBatch('system', [other, again])

    const incidents = await store.db.selectFrom('incidents').select(['id', 'testimony_id']).execute()
    expect(incidents.filter((i) => i.testimony_id === first.testimony.id).map((i) => i.id)).toEqual(
      again.incidents.map((i) => i.id),
    )
    expect(incidents.filter((i) => i.testimony_id === other.testimony.id)).toHaveLength(2)
    const relatives = await store.db.selectFrom('relatives').select('id').execute()
    expect(relatives.map((r) => r.id).sort()).toEqual(
      [...other.relatives, ...again.relatives].map((r) => r.id).sort(),
    )
    expect((await store.counts()).respondents).toBe(1)
    expect((await store.counts()).subject_keys).toBe(1)
  })

  it('applies recordings and removals of single records', async () => {
    const { store } = t
    const account = build.account({ incidents: 2 })
    await store.append('system', account)
    const [kept, removed] = account.incidents
    const identifier = account.identifiers[0]
    if (kept === undefined || removed === undefined || identifier === undefined) throw new Error('fixture')
    await store.appendBatch(analyst, [
      { kind: 'incident.recorded', incident: { ...kept, confidence: 'high', note: 'recoded' } },
      { kind: 'incident.removed', respondentId: account.respondent.id, incidentId: removed.id },
      { kind: 'identifier.recorded', identifier: { ...identifier, incidentIds: [kept.id] } },
      {
        kind: 'relative.removed',
        respondentId: account.respondent.id,
        relativeId: account.relatives[0]?.id ?? '',
      },
    ])
    const incidents = await store.db.selectFrom('incidents').selectAll().execute()
    expect(incidents.map((i) => [i.id, i.confidence, i.note])).toEqual([[kept.id, 'high', 'recoded']])
    const links = await store.db.selectFrom('identifier_incidents').selectAll().execute()
    expect(links.map((l) => [l.identifier_id, l.incident_id, l.source_testimony_id])).toEqual([
      [identifier.id, kept.id, null],
    ])
    expect((await store.counts()).relatives).toBe(0)
    await store.append(analyst, {
      kind: 'identifier.removed',
      respondentId: account.respondent.id,
      identifierId: identifier.id,
    })
    expect(await store.counts()).toMatchObject({ identifiers: 0, identifier_incidents: 0 })
  })

  it('rebuilds the same projections from the log', async () => {
    const { store } = t
    const a = build.account({ incidents: 3 })
    const b = build.account({ incidents: 2 })
    await store.appendBatch(analyst, [
      { kind: 'workspace.created', name: 'w' },
      { kind: 'analyst.added', analyst: { id: analyst, label: 'a' } },
      a,
      b,
    ])
    await store.appendBatch(analyst, [
      build.account({ incidents: 1, respondentId: a.respondent.id, testimonyId: a.testimony.id }),
      { kind: 'incident.removed', respondentId: b.respondent.id, incidentId: b.incidents[0]?.id ?? '' },
      { kind: 'respondent.recorded', respondent: { ...b.respondent, occupation: 'teacher' } },
      { kind: 'relative.recorded', relative: { ...(b.relatives[0] ?? a.relatives[0]!), status: 'released' } },
    ])
    const incremental = await projectionSnapshot(store)
    await rawExecute(t, 'delete from incidents')
    await rawExecute(t, 'update respondents set occupation = $1', ['tampered'])
    await store.replayProjections()
    expect(await projectionSnapshot(store)).toEqual(incremental)
  })

  it('verifies an intact chain and reports its head, with progress', async () => {
    const { store } = t
    const appended = await store.appendBatch('system', [build.account(), build.account(), build.account()])
    const progress: [number, number][] = []
    const report = await store.verify({ onProgress: (done, total) => progress.push([done, total]) })
    expect(report).toEqual({ ok: true, events: 3, head: appended[2]?.hash })
    expect(progress.at(-1)).toEqual([3, 3])
    expect(await store.hasHead(appended[1]?.hash ?? '')).toBe(true)
    expect(await store.hasHead('ab'.repeat(32))).toBe(false)
    expect(await store.hasHead('not a hash')).toBe(false)
  })

  describe('detects tampering through a raw connection', () => {
    beforeEach(async () => {
      await t.store.appendBatch('system', [
        build.account(),
        build.account(),
        build.account(),
        build.account(),
        build.account(),
      ])
    })

    it('an edited event', async () => {
      await rawExecute(t, 'update events set author = $1 where seq = $2', [analyst, 3])
      expect(await t.store.verify()).toEqual({
        ok: false,
        events: 5,
        firstBroken: { seq: 3, reason: 'edited' },
      })
    })

    it('an edited body', async () => {
      const row = await t.store.db
        .selectFrom('events')
        .select('body')
        .where('seq', '=', 2)
        .executeTakeFirstOrThrow()
      const body = Buffer.from(row.body)
      body[body.length - 1] = (body[body.length - 1] ?? 0) ^ 1
      await rawExecute(t, 'update events set body = $1 where seq = $2', [body, 2])
      expect(await t.store.verify()).toMatchObject({ ok: false, firstBroken: { seq: 2, reason: 'edited' } })
    })

    it('a deleted event', async () => {
      await rawExecute(t, 'delete from events where seq = $1', [3])
      expect(await t.store.verify()).toEqual({
        ok: false,
        events: 4,
        firstBroken: { seq: 3, reason: 'missing' },
      })
    })

    it('a deleted event with the rest renumbered', async () => {
      await rawExecute(t, 'delete from events where seq = $1', [3])
      for (const seq of [4, 5])
        await rawExecute(t, 'update events set seq = $1 where seq = $2', [seq - 1, seq])
      expect(await t.store.verify()).toMatchObject({ ok: false, firstBroken: { seq: 3, reason: 'missing' } })
    })

    it('two events swapped', async () => {
      await rawExecute(t, 'update events set seq = $1 where seq = $2', [100, 3])
      await rawExecute(t, 'update events set seq = $1 where seq = $2', [3, 4])
      await rawExecute(t, 'update events set seq = $1 where seq = $2', [4, 100])
      expect(await t.store.verify()).toMatchObject({
        ok: false,
        firstBroken: { seq: 3, reason: 'reordered' },
      })
    })

    it('an event rewritten with its own hash recomputed: the next link breaks', async () => {
      const { eventHash } = await import('../src/events/hash-chain.ts')
      const row = await t.store.db
        .selectFrom('events')
        .selectAll()
        .where('seq', '=', 3)
        .executeTakeFirstOrThrow()
      const forged = { ...row, author: analyst }
      const hash = eventHash({ ...forged, recordedAt: forged.recorded_at, prevHash: forged.prev_hash })
      await rawExecute(t, 'update events set author = $1, hash = $2 where seq = $3', [analyst, hash, 3])
      expect(await t.store.verify()).toMatchObject({
        ok: false,
        firstBroken: { seq: 4, reason: 'chain_mismatch' },
      })
    })
  })

  it('keeps the first vault key of a respondent: a second one recorded at the same time changes nothing', async () => {
    const { store } = t
    const account = build.account({ incidents: 1 })
    await store.append(analyst, account)
    const keyed = (fill: number) => ({
      kind: 'vault.keyed' as const,
      respondentId: account.respondent.id,
      key: Buffer.alloc(32, fill).toString('base64'),
    })
    const stored = async () =>
      (await store.db.selectFrom('vault_keys').select('key').execute()).map((row) => Buffer.from(row.key)[0])
    await store.append(analyst, keyed(1))
    await store.append(analyst, keyed(2))
    expect(await stored()).toEqual([1])
    // Within one batch too (PostgreSQL writes a batch's rows together), and after a replay.
    const other = build.account({ incidents: 1 })
    await store.appendBatch(analyst, [
      other,
      { ...keyed(3), respondentId: other.respondent.id },
      { ...keyed(4), respondentId: other.respondent.id },
    ])
    expect((await stored()).sort()).toEqual([1, 3])
    await store.replayProjections()
    expect((await stored()).sort()).toEqual([1, 3])
  })

  it('shreds a respondent: content gone for good, the chain still verifies, others untouched', async () => {
    const { store } = t
    const gone = build.account({ incidents: 2 })
    const stays = build.account({ incidents: 1 })
    await store.appendBatch('system', [gone, stays])
    await store.append(analyst, {
      kind: 'incident.recorded',
      incident: { ...(gone.incidents[0] ?? stays.incidents[0]!), note: 'later' },
    })
    // Every table holding rows of theirs, not just the account's: a case story and a vault key too.
    await store.appendBatch(analyst, [
      {
        kind: 'story.recorded',
        respondentId: gone.respondent.id,
        story: { id: build.id(), language: 'en', title: 'A story', text: 'Told under a pseudonym.', publish: false },
      },
      { kind: 'vault.keyed', respondentId: gone.respondent.id, key: Buffer.alloc(32, 7).toString('base64') },
    ])
    expect(await store.counts()).toMatchObject({ stories: 1, vault_keys: 1 })
    expect(await store.shredSubject(gone.respondent.id)).toBe(true)

    const events = await store.events()
    expect(events.filter((e) => e.subject === gone.respondent.id).map((e) => e.body)).toEqual([null, null, null, null])
    expect(events.find((e) => e.subject === stays.respondent.id)?.body).toEqual(stays)
    expect(await store.counts()).toMatchObject({
      respondents: 1,
      testimonies: 1,
      incidents: 1,
      relatives: 1,
      subject_keys: 1,
      stories: 0,
      vault_keys: 0,
    })
    expect(await store.verify()).toMatchObject({ ok: true, events: 5 })
    await store.replayProjections()
    expect(await store.counts()).toMatchObject({ respondents: 1, incidents: 1 })
    expect(await store.shredSubject(gone.respondent.id)).toBe(false)
    expect(await store.respondentNo(gone.respondent.id)).toBeNull()
    expect(
      isAmanatError(await thrown(Promise.resolve().then(() => store.shredSubject('nope'))), 'input.invalid'),
    ).toBe(true)
  })

  it('serialises concurrent batches into one unbroken chain', async () => {
    const { store } = t
    await Promise.all(
      Array.from({ length: 5 }, () => store.appendBatch('system', [build.account(), build.account()])),
    )
    const events = await store.events()
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(await store.verify()).toMatchObject({ ok: true, events: 10 })
  })

  it('shares respondents with another store open on the same workspace', async () => {
    const other = await t.reopen()
    const account = build.account()
    await other.append('system', account)
    // The first store has never seen this respondent: it must find the key the other one stored.
    await t.store.append(analyst, {
      kind: 'incident.recorded',
      incident: { ...account.incidents[0]!, note: 'seen here' },
    })
    expect(await t.store.counts()).toMatchObject({ subject_keys: 1, respondents: 1 })
    expect((await t.store.events()).map((e) => e.body !== null)).toEqual([true, true])
    expect(await other.shredSubject(account.respondent.id)).toBe(true)
    expect((await t.store.events()).map((e) => e.body)).toEqual([null, null])
    expect(await t.store.respondentNo(account.respondent.id)).toBeNull()
    expect(await t.store.verify()).toMatchObject({ ok: true, events: 2 })
  })

  it('refuses to work once closed', async () => {
    await t.store.close()
    expect(
      isAmanatError(await thrown(Promise.resolve().then(() => t.store.counts())), 'workspace.closed'),
    ).toBe(true)
  })

  it("keeps its schema in the dialect's own terms", async () => {
    const tables = await t.store.db.introspection.getTables()
    const names = tables
      .filter((table) => t.schema === null || table.schema === t.schema)
      .map((table) => table.name)
    expect(names).toEqual(
      expect.arrayContaining(['events', 'subject_keys', 'respondents', 'incidents', 'identifier_incidents']),
    )
    if (dialect === 'sqlite') {
      const mode = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(t.store.db)
      expect(mode.rows[0]?.journal_mode).toBe('wal')
    }
  })

  it('numbers respondents by their first event and keeps their rows under that number', async () => {
    const { store } = t
    const a = build.account()
    await store.appendBatch('system', [{ kind: 'workspace.created', name: 'w' }, a])
    const respondent = await store.db
      .selectFrom('respondents')
      .select(['respondent_no', 'id'])
      .executeTakeFirstOrThrow()
    expect(respondent).toEqual({ respondent_no: 2, id: RespondentId.parse(a.respondent.id) })
    const no = await store.respondentNo(a.respondent.id)
    expect(no).toBe(2)
    const found = await store.db
      .selectFrom('respondents')
      .select('key')
      .where('respondent_no', '=', no ?? -1)
      .executeTakeFirstOrThrow()
    expect(found.key).toBe(a.respondent.key)
  })
})

function byId(a: { id: string }, b: { id: string }): number {
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0
}
