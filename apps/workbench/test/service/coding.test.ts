import { extendCodebook, isAmanatError, type Incident } from '@amanat/domain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  addAnalyst,
  agreement,
  attachmentBytes,
  enterInterview,
  history,
  listAnalysts,
  listInbox,
  pseudonymFor,
  readTestimony,
  recode,
  recordIdentifier,
  recordIncident,
  recordIndependentCoding,
  recordRelative,
  removeIdentifier,
  removeIncident,
  removeRelative,
  setConsent,
  setDisclosure,
  setImpacts,
  setStatus,
  setTranslation,
  type IncidentDraft,
  type TestimonyRef,
} from '../../src/service/index.ts'
import { incidentFromRow } from '@amanat/database'
import { WorkbenchSession } from '../../src/service/session.ts'
import { RUNNABLE_DIALECTS, serviceFixture, type ServiceFixture } from './support.ts'

const draft: IncidentDraft = {
  type: 'threat_to_relatives',
  channel: 'wechat',
  perpetrator: 'home_police',
  target: 'self',
  relativeId: null,
  receivedIn: { country: 'TR', locality: 'Istanbul' },
  originatedIn: { country: 'CN' },
  date: { precision: 'month', value: '2019-03' },
  confidence: 'high',
  note: 'synthetic note',
}

const code = (error: unknown) => (isAmanatError(error) ? error.code : String(error))

describe.each(RUNNABLE_DIALECTS)('coding, review and respondents on %s', (dialect) => {
  let f: ServiceFixture
  let refs: TestimonyRef[]
  beforeAll(async () => {
    f = await serviceFixture(dialect, 12, 'coding-tests')
    refs = [...(await listInbox(f.session, { limit: 12 })).items]
  })
  afterAll(async () => {
    await f.t.dispose()
  })
  const ref = (i: number): TestimonyRef => {
    const r = refs[i]
    if (r === undefined) throw new Error('expected a testimony')
    return { respondentId: r.respondentId, testimonyId: r.testimonyId }
  }

  it('records, edits and removes an incident, with the codebook version it used', async () => {
    const incident = await recordIncident(f.session, ref(0), draft)
    expect(incident.codebook).toBe('amanat-default@1.0.0')
    let view = await readTestimony(f.session, ref(0))
    expect(view.incidents.find((i) => i.id === incident.id)).toEqual(incident)
    await recordIncident(f.session, ref(0), { ...draft, id: incident.id, confidence: 'low' })
    view = await readTestimony(f.session, ref(0))
    expect(view.incidents.find((i) => i.id === incident.id)?.confidence).toBe('low')
    await removeIncident(f.session, ref(0).respondentId, incident.id)
    view = await readTestimony(f.session, ref(0))
    expect(view.incidents.some((i) => i.id === incident.id)).toBe(false)
    await expect(removeIncident(f.session, ref(0).respondentId, incident.id)).rejects.toSatisfy(
      (e) => code(e) === 'incident.not_found',
    )
  })

  it('refuses an edit or removal made from an older read, and never brings a removed record back', async () => {
    const r = ref(3)
    const incident = await recordIncident(f.session, r, draft)
    const relative = await recordRelative(f.session, r.respondentId, {
      relation: 'sibling',
      status: 'detained',
      since: { precision: 'year', value: '2018' },
      lastContact: { precision: 'unknown' },
      note: null,
    })
    const identifier = await recordIdentifier(f.session, r.respondentId, {
      kind: 'wechat',
      value: 'wxid_versions',
      incidentIds: [incident.id],
    })
    // Two tabs (or two analysts) read the same versions.
    const read = await readTestimony(f.session, r)
    const version = (id: string): number => {
      const v = read.versions[id]
      if (v === undefined) throw new Error(`no version for ${id}`)
      return v
    }
    expect(version(incident.id)).toBeGreaterThan(0)
    // The first edit from that read is saved...
    await recordIncident(f.session, r, {
      ...draft,
      id: incident.id,
      version: version(incident.id),
      note: 'first tab',
    })
    // ...the second is refused and changes nothing.
    const before = (await f.t.store.counts()).events
    await expect(
      recordIncident(f.session, r, {
        ...draft,
        id: incident.id,
        version: version(incident.id),
        note: 'second tab',
      }),
    ).rejects.toSatisfy((e) => code(e) === 'record.changed')
    await expect(
      removeIncident(f.session, r.respondentId, incident.id, version(incident.id)),
    ).rejects.toSatisfy((e) => code(e) === 'record.changed')
    expect((await f.t.store.counts()).events).toBe(before)
    let now = await readTestimony(f.session, r)
    expect(now.incidents.find((i) => i.id === incident.id)?.note).toBe('first tab')
    // Removed from the current read; an edit from the older one does not bring it back.
    await removeIncident(f.session, r.respondentId, incident.id, now.versions[incident.id] ?? -1)
    await expect(
      recordIncident(f.session, r, {
        ...draft,
        id: incident.id,
        version: version(incident.id),
        note: 'stale',
      }),
    ).rejects.toSatisfy((e) => code(e) === 'record.changed')
    now = await readTestimony(f.session, r)
    expect(now.incidents.some((i) => i.id === incident.id)).toBe(false)
    // The same for relatives and identifiers.
    const relativeDraft = {
      relation: 'sibling',
      status: 'released',
      since: { precision: 'unknown' as const },
      lastContact: { precision: 'unknown' as const },
      note: null,
    }
    await recordRelative(f.session, r.respondentId, {
      ...relativeDraft,
      id: relative.id,
      version: version(relative.id),
    })
    await expect(
      recordRelative(f.session, r.respondentId, {
        ...relativeDraft,
        id: relative.id,
        version: version(relative.id),
        note: 'late',
      }),
    ).rejects.toSatisfy((e) => code(e) === 'record.changed')
    await expect(
      removeRelative(f.session, r.respondentId, relative.id, version(relative.id)),
    ).rejects.toSatisfy((e) => code(e) === 'record.changed')
    // The identifier's incident was removed above, and that changed the identifier's links, not its version.
    await recordIdentifier(f.session, r.respondentId, {
      id: identifier.id,
      version: version(identifier.id),
      kind: 'wechat',
      value: 'wxid_versions_2',
      incidentIds: [],
    })
    await expect(
      removeIdentifier(f.session, r.respondentId, identifier.id, version(identifier.id)),
    ).rejects.toSatisfy((e) => code(e) === 'record.changed')
    // A version that is not a count is bad input, not a crash.
    await expect(
      recordIncident(f.session, r, { ...draft, version: 'soon' as unknown as number }),
    ).rejects.toSatisfy((e) => code(e) === 'input.invalid')
  })

  it('refuses an unknown code with a near-miss hint, and an invalid incident, before writing', async () => {
    const before = (await f.t.store.counts()).events
    const error = await recordIncident(f.session, ref(0), { ...draft, type: 'threat_to_relative' }).catch(
      (e: unknown) => e,
    )
    expect(code(error)).toBe('codebook.unknown_code')
    expect(isAmanatError(error) && error.message).toContain('threat_to_relatives')
    await expect(
      recordIncident(f.session, ref(0), { ...draft, target: 'self', relativeId: 'x' }),
    ).rejects.toSatisfy((e) => code(e) === 'input.invalid')
    expect((await f.t.store.counts()).events).toBe(before)
  })

  it('normalises phone numbers to E.164 in the incident’s received country', async () => {
    const incident = await recordIncident(f.session, ref(1), draft)
    const phone = await recordIdentifier(f.session, ref(1).respondentId, {
      kind: 'phone',
      value: '0532 123 45 67',
      incidentIds: [incident.id],
    })
    expect(phone.normalised).toBe('+905321234567')
    const wechat = await recordIdentifier(f.session, ref(1).respondentId, {
      kind: 'wechat',
      value: ' @Officer_Account ',
      incidentIds: [],
    })
    expect(wechat.normalised).toBe('officer_account')
    await expect(
      recordIdentifier(f.session, ref(1).respondentId, {
        kind: 'phone',
        value: '12',
        incidentIds: [incident.id],
      }),
    ).rejects.toSatisfy((e) => code(e) === 'identifier.bad_phone')
    const view = await readTestimony(f.session, ref(1))
    expect(view.identifiers.find((i) => i.id === phone.id)?.incidentIds).toEqual([incident.id])
  })

  it('records relatives and impacts against the codebook', async () => {
    const relative = await recordRelative(f.session, ref(2).respondentId, {
      relation: 'parent',
      status: 'detained',
      since: { precision: 'year', value: '2017' },
      lastContact: { precision: 'unknown' },
      note: null,
    })
    const linked = await recordIncident(f.session, ref(2), {
      ...draft,
      target: 'relative',
      relativeId: relative.id,
    })
    expect(linked.relativeId).toBe(relative.id)
    await setImpacts(f.session, ref(2).respondentId, ['fear', 'relocation'])
    expect((await readTestimony(f.session, ref(2))).respondent.impacts).toEqual(['fear', 'relocation'])
    await expect(setImpacts(f.session, ref(2).respondentId, ['feer'])).rejects.toSatisfy(
      (e) => code(e) === 'codebook.unknown_code',
    )
  })

  it('lets a second analyst review, never the coder', async () => {
    await expect(setStatus(f.other, ref(3), 'reviewed')).rejects.toSatisfy(
      (e) => code(e) === 'review.not_coded',
    )
    await setStatus(f.session, ref(3), 'coded')
    await expect(setStatus(f.session, ref(3), 'reviewed')).rejects.toSatisfy(
      (e) => code(e) === 'review.own_coding',
    )
    const state = await setStatus(f.other, ref(3), 'reviewed', 'checked against the audio')
    expect(state).toMatchObject({
      status: 'reviewed',
      note: 'checked against the audio',
      by: f.second,
      codedBy: f.first,
    })
  })

  it('never writes a status over one another analyst set meanwhile', async () => {
    const r = ref(11)
    const coded = await setStatus(f.session, r, 'coded')
    // The reviewer's screen shows it coded; meanwhile the coder finds a problem and flags it.
    const flagged = await setStatus(f.session, r, 'needs_attention', 'a date is wrong', coded.version)
    expect(flagged.version).toBeGreaterThan(coded.version)
    // A change the other analyst made from the older status (marking it coded again) is refused,
    // and the flag stays.
    await expect(setStatus(f.other, r, 'coded', null, coded.version)).rejects.toSatisfy(
      (e) => code(e) === 'record.changed',
    )
    expect((await readTestimony(f.session, r)).workflow).toMatchObject({
      status: 'needs_attention',
      version: flagged.version,
    })
    // From the current status it goes through.
    expect((await setStatus(f.other, r, 'in_progress', null, flagged.version)).status).toBe('in_progress')
  })

  it('computes agreement from independent double coding by a second analyst', async () => {
    await setStatus(f.session, ref(4), 'coded')
    await expect(recordIndependentCoding(f.session, ref(4), [])).rejects.toSatisfy(
      (e) => code(e) === 'review.own_coding',
    )
    const mine = (await readTestimony(f.session, ref(4))).incidents.map((i) => i.type)
    await recordIndependentCoding(f.other, ref(4), [...new Set(mine)])
    const other: string[] = (await readTestimony(f.session, ref(5))).incidents.map((i) => i.type)
    await recordIndependentCoding(f.other, ref(5), [...new Set([...other, 'smear_campaign'])])
    const rows = await agreement(f.session)
    const smear = rows.find((r) => r.type === 'smear_campaign')
    expect(smear?.n).toBe(2)
    for (const row of rows.filter((r) => r.type !== 'smear_campaign' && !other.includes(r.type)))
      expect(row.observed).toBe(1)
    await expect(recordIndependentCoding(f.other, ref(5), ['smear_campaing'])).rejects.toSatisfy(
      (e) => code(e) === 'codebook.unknown_code',
    )
  })

  it('keeps a translation and reads an attachment’s bytes from the log', async () => {
    await setTranslation(f.session, ref(6), { language: 'en', text: 'A synthetic translation.' })
    const view = await readTestimony(f.session, ref(6))
    expect(view.testimony.translation).toEqual({ language: 'en', text: 'A synthetic translation.' })
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])
    const { createHash } = await import('node:crypto')
    const sha256 = createHash('sha256').update(bytes).digest('hex')
    const attachmentId = 'abcdefghjkmnpqrstvwxyz0123'
    await f.t.store.appendBatch(f.first.id, [
      {
        kind: 'testimony.recorded',
        testimony: {
          ...view.testimony,
          attachments: [
            {
              id: attachmentId,
              mediaType: 'image/png',
              byteLength: bytes.length,
              sha256,
              originalName: null,
              metadataKept: false,
            },
          ],
        },
      },
      {
        kind: 'attachment.imported',
        respondentId: ref(6).respondentId,
        testimonyId: ref(6).testimonyId,
        attachmentId,
        sha256,
        content: Buffer.from(bytes).toString('base64'),
      },
    ])
    expect((await readTestimony(f.session, ref(6))).attachments[0]?.available).toBe(true)
    const got = await attachmentBytes(f.session, ref(6).respondentId, attachmentId)
    expect(got.mediaType).toBe('image/png')
    expect([...got.bytes]).toEqual([...bytes])
    await expect(
      attachmentBytes(f.session, ref(6).respondentId, 'bcdefghjkmnpqrstvwxyz01234'),
    ).rejects.toSatisfy((e) => code(e) === 'attachment.not_found')
  })

  it('sets consent and disclosure, and gives each respondent one stable, unique pseudonym', async () => {
    const withdrawn = await setConsent(f.session, ref(7).respondentId, {
      withdrawn: true,
      recordedOn: '2024-01-02',
    })
    expect(withdrawn.consent).toMatchObject({ withdrawn: true, recordedOn: '2024-01-02' })
    expect((await listInbox(f.session, { limit: 50 })).items.length).toBe(refs.length)
    expect((await setDisclosure(f.session, ref(7).respondentId, 'named')).disclosure).toBe('named')
    const names = await Promise.all(refs.map((r) => pseudonymFor(f.session, r.respondentId)))
    expect(new Set(names).size).toBe(refs.length)
    expect(await pseudonymFor(f.session, ref(7).respondentId)).toBe(names[7])
    expect((await readTestimony(f.session, ref(7))).respondent.pseudonym).toBe(names[7])
    await expect(setConsent(f.session, ref(7).respondentId, { uses: ['quote', 'quote'] })).rejects.toSatisfy(
      (e) => code(e) === 'input.invalid',
    )
  })

  it('never undoes a withdrawal of consent with a change made from an older read', async () => {
    const r = ref(9)
    const read = await readTestimony(f.session, r)
    const version = read.versions[r.respondentId]
    expect(version).toBeGreaterThan(0)
    // One tab records the withdrawal...
    await setConsent(f.session, r.respondentId, { withdrawn: true, version })
    // ...another, still showing the consent as it was, adds a use: refused, nothing written.
    const before = (await f.t.store.counts()).events
    await expect(
      setConsent(f.session, r.respondentId, { uses: ['quote'], withdrawn: false, version }),
    ).rejects.toSatisfy((e) => code(e) === 'record.changed')
    await expect(setDisclosure(f.session, r.respondentId, 'named', version)).rejects.toSatisfy(
      (e) => code(e) === 'record.changed',
    )
    await expect(setImpacts(f.session, r.respondentId, ['fear'], version)).rejects.toSatisfy(
      (e) => code(e) === 'record.changed',
    )
    expect((await f.t.store.counts()).events).toBe(before)
    const now = await readTestimony(f.session, r)
    expect(now.respondent.consent.withdrawn).toBe(true)
    expect(now.respondent.consent.uses).not.toContain('quote')
    // From the current read, and without a version (the CLI), changes go through.
    await setDisclosure(f.session, r.respondentId, 'anonymous', now.versions[r.respondentId])
    expect((await pseudonymFor(f.session, r.respondentId)).length).toBeGreaterThan(2)
    expect((await setConsent(f.session, r.respondentId, { withdrawn: false })).consent.withdrawn).toBe(false)
  })

  it('never writes a translation over another one saved meanwhile', async () => {
    const r = ref(10)
    const read = await readTestimony(f.session, r)
    const opened = read.versions[r.testimonyId] ?? -1
    expect(opened).toBeGreaterThan(0)
    // One analyst saves a translation; the answer is the testimony's next version.
    const first = await setTranslation(f.session, r, { language: 'en', text: 'First translation.' }, opened)
    expect(first).toBeGreaterThan(opened)
    // Another, who opened the testimony before, is refused, and the first translation stays.
    await expect(
      setTranslation(f.session, r, { language: 'en', text: 'Second translation.' }, opened),
    ).rejects.toSatisfy((e) => code(e) === 'record.changed')
    expect((await readTestimony(f.session, r)).testimony.translation?.text).toBe('First translation.')
    // From the version the first save answered with, the next save goes through.
    await setTranslation(f.session, r, { language: 'en', text: 'First, revised.' }, first)
    expect((await readTestimony(f.session, r)).testimony.translation?.text).toBe('First, revised.')
  })

  it('shows a respondent’s history, and says so when they were erased', async () => {
    await setStatus(f.session, ref(8), 'in_progress')
    await recordIncident(f.session, ref(8), draft)
    const h = await history(f.session, ref(8).respondentId)
    expect(h.erased).toBe(false)
    // The pseudonym test before this one assigned every respondent theirs.
    expect(h.entries.map((e) => e.kind)).toEqual([
      'testimony.imported',
      'pseudonym.assigned',
      'respondent.recorded',
      'testimony.status_set',
      'incident.recorded',
    ])
    expect(h.entries.map((e) => e.seq)).toEqual([...h.entries.map((e) => e.seq)].sort((a, b) => a - b))
    expect(h.entries[3]).toMatchObject({
      author: 'Coder One',
      summary: 'Status set to in progress.',
      readable: true,
    })
    expect(h.entries[4]?.summary).toContain('Incident coded: ')
    await f.t.store.shredSubject(ref(8).respondentId)
    const gone = await history(f.session, ref(8).respondentId)
    expect(gone.erased).toBe(true)
    expect(gone.entries).toHaveLength(5)
    expect(
      gone.entries.every((e) => !e.readable && e.summary === 'Content erased with the respondent.'),
    ).toBe(true)
  })

  it('enters an interview through the questionnaire’s validation and mapping', async () => {
    const entry = {
      language: 'en',
      answers: {
        residence_country: 'KZ',
        any_incidents: true,
        incidents: [
          { incident_type: 'pressure_to_return', incident_target: 'self', incident_channel: 'phone_call' },
        ],
        consent: ['aggregate'],
      },
      interviewer: 'HK',
      date: '2024-03-05',
      place: { country: 'KZ', locality: 'Almaty' },
      consentGivenOrally: true,
    }
    const { respondentId, testimonyId } = await enterInterview(f.session, entry)
    const view = await readTestimony(f.session, { respondentId, testimonyId })
    expect(view.testimony.source).toEqual({
      mode: 'interview',
      interviewer: 'HK',
      date: '2024-03-05',
      place: { country: 'KZ', locality: 'Almaty' },
      consentGivenOrally: true,
    })
    expect(view.respondent).toMatchObject({
      collectionMode: 'interview',
      residenceCountry: 'KZ',
      consent: { form: 'oral', uses: ['aggregate'] },
    })
    expect(view.incidents.map((i: Incident) => i.type)).toEqual(['pressure_to_return'])
    await expect(
      enterInterview(f.session, { ...entry, answers: { residence_country: 'Mars' } }),
    ).rejects.toSatisfy((e) => code(e) === 'submission.invalid')
  })

  it('adds analyst profiles with unique labels', async () => {
    const added = await addAnalyst(f.session, 'Reviewer Three')
    expect((await listAnalysts(f.session)).map((a) => a.label)).toContain('Reviewer Three')
    expect(added.label).toBe('Reviewer Three')
    await expect(addAnalyst(f.session, 'coder one')).rejects.toSatisfy((e) => code(e) === 'analyst.exists')
    // Twice at once (a double press, two tabs): one profile, the other refused.
    const both = await Promise.allSettled([
      addAnalyst(f.session, 'Coder Four'),
      addAnalyst(f.session, 'coder four'),
    ])
    expect(both.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected'])
    expect(
      (await listAnalysts(f.session)).filter((a) => a.label.toLowerCase() === 'coder four'),
    ).toHaveLength(1)
  })

  it('recodes to a new codebook version and flags what does not map', async () => {
    const next = extendCodebook(
      f.session.codebook,
      'extends: amanat-default@1.0.0\nid: org\nversion: 2.0.0\nsections:\n  harassment_types:\n    - code: threat_to_family\n      labels: { en: Threat to family, ug: x, zh: x, tr: x }\ndeprecate:\n  harassment_types: [threat_to_relatives, surveillance]\n',
    )
    const incidents = await f.t.store.db.selectFrom('incidents').select(['type', 'testimony_id']).execute()
    const report = await recode(f.session, {
      mapping: { threat_to_relatives: 'threat_to_family', pretext_contact: null },
      toCodebook: next,
    })
    expect(report.codebookRef).toBe('org@2.0.0')
    expect(f.session.codebookRef).toBe('org@2.0.0')
    const after = await f.t.store.db.selectFrom('incidents').select(['type', 'codebook']).execute()
    expect(after.some((i) => i.type === 'threat_to_relatives')).toBe(false)
    expect(after.filter((i) => i.type === 'threat_to_family').length).toBe(
      incidents.filter((i) => i.type === 'threat_to_relatives').length,
    )
    const flagged = new Set(
      incidents
        .filter((i) => i.type === 'pretext_contact' || i.type === 'surveillance')
        .map((i) => i.testimony_id),
    )
    expect(new Set(report.needsAttention.map((t) => t.testimonyId))).toEqual(flagged)
    expect(
      after
        .filter((i) => i.codebook !== 'org@2.0.0')
        .every((i) => i.type === 'pretext_contact' || i.type === 'surveillance'),
    ).toBe(true)
    const attention = await listInbox(f.session, { status: 'needs_attention', limit: 50 })
    expect(new Set(attention.items.map((i) => i.testimonyId))).toEqual(flagged)
  })

  it('runs one recode at a time: a second one meanwhile is refused, and the version is adopted once', async () => {
    const next = extendCodebook(f.session.codebook, 'extends: org@2.0.0\nid: org2\nversion: 1.0.0\n')
    const before = await f.t.store.events({ limit: 10_000 })
    const [first, second] = await Promise.allSettled([
      recode(f.session, { mapping: {}, toCodebook: next }),
      recode(f.session, { mapping: {}, toCodebook: next }),
    ])
    expect(first.status).toBe('fulfilled')
    expect(second.status === 'rejected' && code(second.reason)).toBe('recode.running')
    const added = (await f.t.store.events({ limit: 10_000 })).slice(before.length)
    expect(added.filter((e) => e.kind === 'codebook.adopted')).toHaveLength(1)
    expect(f.session.codebookRef).toBe('org2@1.0.0')
    // Released once done: the next recode is judged on its own (here: already the current version).
    await expect(recode(f.session, { mapping: {}, toCodebook: next })).rejects.toSatisfy(
      (e) => code(e) === 'codebook.invalid',
    )
  })

  it('keeps codings made while a recode runs: an incident edited or removed meanwhile is not brought back', async () => {
    const edited = await recordIncident(f.session, ref(2), draft)
    const removed = await recordIncident(f.session, ref(3), draft)
    const next = extendCodebook(f.session.codebook, 'extends: org2@1.0.0\nid: org3\nversion: 1.0.0\n')
    const [recoded, edit, removal] = await Promise.allSettled([
      recode(f.session, { mapping: {}, toCodebook: next }),
      recordIncident(f.session, ref(2), { ...draft, id: edited.id, confidence: 'low' }),
      removeIncident(f.session, ref(3).respondentId, removed.id),
    ])
    expect([recoded.status, edit.status, removal.status]).toEqual(['fulfilled', 'fulfilled', 'fulfilled'])
    const incidents = await f.t.store.db
      .selectFrom('incidents')
      .select(['id', 'confidence', 'codebook'])
      .execute()
    expect(incidents.some((i) => i.id === removed.id)).toBe(false)
    // The edit is kept, and under the new version whichever came first (an edit checked against
    // the old version and written after the recode had read its incidents would stay behind).
    expect(incidents.find((i) => i.id === edited.id)).toMatchObject({
      confidence: 'low',
      codebook: 'org3@1.0.0',
    })
  })

  it('carries over an incident another process edited while the recode read it, rather than writing over the edit', async () => {
    const elsewhere = await f.t.reopen()
    try {
      // Another process (a colleague's workbench on the team's store) saves an edit of an incident
      // just after the recode has read it and before it writes it again: the store's append is
      // where the two meet, so the proxy makes the edit there, once.
      let edited: string | null = null
      const store = new Proxy(f.t.store, {
        get(target, key) {
          // The store's own fields are private: everything runs on the store itself.
          const value: unknown = Reflect.get(target, key, target)
          if (typeof value !== 'function') return value
          if (key !== 'appendBatch') return (value as (...args: unknown[]) => unknown).bind(target)
          return async (...args: Parameters<typeof target.appendBatch>) => {
            const first = args[2]?.expect?.[0]
            if (edited === null && first !== undefined) {
              edited = first.id
              const row = await elsewhere.db
                .selectFrom('incidents')
                .selectAll()
                .where('id', '=', first.id)
                .executeTakeFirstOrThrow()
              const incident = { ...incidentFromRow(row), note: 'edited elsewhere' }
              await elsewhere.append(f.second.id, { kind: 'incident.recorded', incident })
            }
            return target.appendBatch(...args)
          }
        },
      })
      const session = await WorkbenchSession.open(store, f.first.id)
      const next = extendCodebook(
        session.codebook,
        `extends: ${session.codebookRef}\nid: org9\nversion: 1.0.0\n`,
      )
      await recode(session, { mapping: {}, toCodebook: next })
      expect(edited).not.toBeNull()
      const row = await f.t.store.db
        .selectFrom('incidents')
        .select(['note', 'codebook'])
        .where('id', '=', edited ?? '')
        .executeTakeFirstOrThrow()
      expect(row).toEqual({ note: 'edited elsewhere', codebook: 'org9@1.0.0' })
    } finally {
      await elsewhere.close()
    }
  })
})
