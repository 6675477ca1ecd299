import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { parseCodebook } from '@amanat/domain'
import { defaultCodebookPath } from '../../src/workspace/codebook-file.ts'
import { openWorkspace } from '../../src/workspace/workspace.ts'
import type { RunningWorkbench } from '../../src/server/workbench-server.ts'
import { newInviteToken, tokenHash } from '../../src/intake/invites.ts'
import { anyFileContains, filesBelow } from '../support.ts'
import { amanat, tempDir } from '../support/intake-fixtures.ts'
import {
  codebookWithNewType,
  PASSPHRASE,
  pageWrite,
  rawRequest,
  sessionCookie,
  startTestWorkbench,
  workspaceWithPulledTestimony,
  pageSession,
  type IntakeStage,
} from './support.ts'

/** An incident as the coding form sends it. */
const INCIDENT = {
  type: 'death_threat',
  channel: 'phone_call',
  perpetrator: null,
  target: 'self',
  relativeId: null,
  receivedIn: { country: 'TR' },
  originatedIn: { country: null },
  date: { precision: 'year', value: '2021' },
  confidence: 'high',
  note: null,
}

/**
 * The workbench server's gates, over real sockets: the one-time link token, the session cookie,
 * the Host and Origin checks, the lock with its idle timer, and analyst profiles recorded as the
 * authors of changes. The browser test drives the page; this one proves each refusal exactly.
 */
describe('amanat workbench: the local server', () => {
  const temp = tempDir('wb-server')
  const ws = `${temp.dir}/ws`
  let workbench: RunningWorkbench

  beforeAll(async () => {
    await (await workspaceWithPulledTestimony(ws, `${temp.dir}/intake`)).close()
    workbench = await startTestWorkbench(ws, 1500)
  })
  afterAll(async () => {
    await workbench.close()
    temp.cleanup()
  })

  it('listens on 127.0.0.1 only and serves the page with a strict CSP and no third-party anything', async () => {
    expect(workbench.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/)
    const page = await rawRequest(workbench.origin, '/')
    expect(page.status).toBe(200)
    expect(page.headers['content-security-policy']).toContain("default-src 'self'")
    expect(page.headers['content-security-policy']).toContain("script-src 'self'")
    expect(page.headers['content-security-policy']).not.toContain('unsafe-inline')
    expect(page.headers['referrer-policy']).toBe('no-referrer')
    expect(page.body).not.toMatch(/<script>|<style>|https?:\/\//)
    const script = await rawRequest(workbench.origin, '/app.js')
    expect(script.status).toBe(200)
    expect(script.headers['content-type']).toContain('text/javascript')
  })

  it('refuses another Host header (DNS rebinding), even for the page', async () => {
    const port = new URL(workbench.origin).port
    for (const host of ['evil.example', `localhost:${port}`, `127.0.0.1.nip.io:${port}`]) {
      const response = await rawRequest(workbench.origin, '/', { headers: { host } })
      expect(response.status).toBe(403)
      expect(JSON.parse(response.body)).toMatchObject({ error: 'host.refused' })
    }
  })

  it('exchanges the link token once: a wrong token is 403, a reused one is 403, no cookie is 401', async () => {
    expect((await rawRequest(workbench.origin, '/api/state')).status).toBe(401)
    const token = new URL(workbench.url).hash.slice('#token='.length)
    const wrong = await rawRequest(workbench.origin, '/api/session', {
      method: 'POST',
      headers: pageWrite(workbench.origin),
      // The last character changed (to A, or to B when it already is A: 1 link in 64).
      body: { token: `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}` },
    })
    expect(wrong.status).toBe(403)
    expect(JSON.parse(wrong.body)).toMatchObject({ error: 'session.bad_token' })

    const cookie = await sessionCookie(workbench)
    const reused = await rawRequest(workbench.origin, '/api/session', {
      method: 'POST',
      headers: pageWrite(workbench.origin),
      body: { token },
    })
    expect(reused.status).toBe(403)
    expect((await rawRequest(workbench.origin, '/api/state', { headers: { cookie } })).status).toBe(200)
    expect(
      (
        await rawRequest(workbench.origin, '/api/state', {
          headers: { cookie: `amanat-session=${'x'.repeat(43)}` },
        })
      ).status,
    ).toBe(401)
  })

  it('takes writes only from its own origin, as JSON', async () => {
    // No cookie needed: these are refused before the session is even looked at.
    const body = { passphrase: PASSPHRASE }
    const crossSite = await rawRequest(workbench.origin, '/api/unlock', {
      method: 'POST',
      headers: pageWrite('http://evil.example'),
      body,
    })
    expect(crossSite.status).toBe(403)
    expect(JSON.parse(crossSite.body)).toMatchObject({ error: 'origin.refused' })
    const noOrigin = await rawRequest(workbench.origin, '/api/unlock', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    })
    expect(noOrigin.status).toBe(403)
    const fetchSite = await rawRequest(workbench.origin, '/api/unlock', {
      method: 'POST',
      headers: { ...pageWrite(workbench.origin), 'sec-fetch-site': 'cross-site' },
      body,
    })
    expect(fetchSite.status).toBe(403)
    const form = await rawRequest(workbench.origin, '/api/unlock', {
      method: 'POST',
      headers: { origin: workbench.origin, 'content-type': 'application/x-www-form-urlencoded' },
      body,
    })
    expect(form.status).toBe(415)
  })
})

describe('amanat workbench: unlocking, profiles and the idle lock', () => {
  const temp = tempDir('wb-lock')
  const ws = `${temp.dir}/ws`
  let workbench: RunningWorkbench
  let cookie: string

  beforeAll(async () => {
    await (await workspaceWithPulledTestimony(ws, `${temp.dir}/intake`)).close()
    workbench = await startTestWorkbench(ws, 1500)
    cookie = await sessionCookie(workbench)
  })
  afterAll(async () => {
    await workbench.close()
    temp.cleanup()
  })

  const post = (path: string, body: unknown) =>
    rawRequest(workbench.origin, path, { method: 'POST', headers: pageWrite(workbench.origin, cookie), body })
  const get = (path: string) => rawRequest(workbench.origin, path, { headers: { cookie } })
  /** Unlocks as the first profile; the paths of the workspace's first testimony and its respondent. */
  const openFirstTestimony = async () => {
    await post('/api/unlock', { passphrase: PASSPHRASE })
    const state = JSON.parse((await get('/api/state')).body) as { profiles: { id: string }[] }
    await post('/api/profile', { analystId: state.profiles[0]?.id })
    const [row] = (
      JSON.parse((await get('/api/testimonies')).body) as {
        items: { respondentId: string; testimonyId: string }[]
      }
    ).items
    return {
      respondentId: row?.respondentId ?? '',
      base: `/api/testimonies/${row?.respondentId ?? ''}/${row?.testimonyId ?? ''}`,
      respondentBase: `/api/respondents/${row?.respondentId ?? ''}`,
    }
  }

  it('refuses a wrong passphrase, unlocks with the right one, and records a new profile as the author of its changes', async () => {
    const wrong = await post('/api/unlock', { passphrase: 'not the passphrase' })
    expect(wrong.status).toBe(400)
    expect(JSON.parse(wrong.body)).toMatchObject({ error: 'workspace.wrong_passphrase' })
    expect(JSON.parse((await get('/api/state')).body)).toMatchObject({ locked: true, profiles: [] })

    const unlocked = await post('/api/unlock', { passphrase: PASSPHRASE })
    expect(unlocked.status).toBe(200)
    expect((await get('/api/testimonies')).status).toBe(409)
    const chosen = JSON.parse((await post('/api/profile', { label: 'second coder' })).body) as {
      analyst: { id: string; label: string }
    }
    expect(chosen.analyst.label).toBe('second coder')

    const list = JSON.parse((await get('/api/testimonies?status=new')).body) as {
      items: { respondentId: string; testimonyId: string }[]
    }
    expect(list.items).toHaveLength(1)
    const [row] = list.items
    const base = `/api/testimonies/${row?.respondentId ?? ''}/${row?.testimonyId ?? ''}`
    const saved = await post(`${base}/status`, { status: 'in_progress', note: null })
    expect(saved.status).toBe(200)

    await post('/api/lock', {})
    const workspace = await openWorkspace(ws, PASSPHRASE)
    try {
      const events = await workspace.store.events({ limit: 10_000 })
      const last = events.at(-1)
      expect(last?.kind).toBe('testimony.status_set')
      expect(last?.author).toBe(chosen.analyst.id)
      expect(
        events.some(
          (e) =>
            e.kind === 'analyst.added' &&
            e.body?.kind === 'analyst.added' &&
            e.body.analyst.label === 'second coder',
        ),
      ).toBe(true)
    } finally {
      await workspace.close()
    }
  })

  it('serves an attachment from this server only, sandboxed, and edits and removes coded records', async () => {
    const { base, respondentId } = await openFirstTestimony()
    const view = JSON.parse((await get(base)).body) as {
      attachments: { id: string; available: boolean; inline: boolean }[]
      incidents: { id: string }[]
    }
    const [attachment] = view.attachments
    expect(attachment?.available).toBe(true)
    expect(attachment?.inline).toBe(true)
    const image = await get(`/api/respondents/${respondentId}/attachments/${attachment?.id ?? ''}`)
    expect(image.status).toBe(200)
    expect(image.headers['content-type']).toBe('image/png')
    expect(image.headers['content-security-policy']).toBe("default-src 'none'; sandbox")
    expect((await get(`/api/respondents/${respondentId}/attachments/${'0'.repeat(26)}`)).status).toBe(400)

    const draft = INCIDENT
    const created = JSON.parse((await post(`${base}/incidents`, draft)).body) as { incident: { id: string } }
    const edited = await post(`${base}/incidents`, {
      ...draft,
      id: created.incident.id,
      type: 'surveillance',
    })
    expect(edited.status).toBe(200)
    const afterEdit = JSON.parse((await get(base)).body) as { incidents: { id: string; type: string }[] }
    expect(afterEdit.incidents.find((i) => i.id === created.incident.id)?.type).toBe('surveillance')
    expect(afterEdit.incidents).toHaveLength(view.incidents.length + 1)
    const bad = await post(`${base}/incidents`, { ...draft, type: 'no_such_type' })
    expect(bad.status).toBe(400)
    expect(JSON.parse(bad.body)).toMatchObject({ error: 'codebook.unknown_code' })

    const removed = await rawRequest(
      workbench.origin,
      `/api/respondents/${respondentId}/incidents/${created.incident.id}`,
      { method: 'DELETE', headers: pageWrite(workbench.origin, cookie), body: {} },
    )
    expect(removed.status).toBe(200)
    expect((JSON.parse((await get(base)).body) as { incidents: unknown[] }).incidents).toHaveLength(
      view.incidents.length,
    )
  })

  it('recodes to a pasted codebook version through the mapping, and reports agreement per type', async () => {
    const yaml = readFileSync(defaultCodebookPath(), 'utf8').replace(/^version: 1\.0\.0$/m, 'version: 1.1.0')
    const refused = await post('/api/recode', { codebook: 'id: [not a codebook', mapping: {} })
    expect(refused.status).toBe(400)
    const report = await post('/api/recode', {
      codebook: yaml,
      mapping: { threat_to_relatives: 'death_threat' },
    })
    expect(report.status).toBe(200)
    expect(JSON.parse(report.body)).toMatchObject({ codebookRef: 'amanat-default@1.1.0' })
    expect(JSON.parse((await get('/api/codebook')).body)).toMatchObject({ codebook: { version: '1.1.0' } })
    const agreement = JSON.parse((await get('/api/agreement')).body) as { types: unknown[] }
    expect(Array.isArray(agreement.types)).toBe(true)
  })

  it('codes under a codebook another workbench adopted meanwhile (a team store), not the one it started with', async () => {
    const { base } = await openFirstTestimony()
    const before = JSON.parse((await get('/api/codebook')).body) as { codebook: { version: string } }
    // Another process adopts the next version, with one more harassment type (synthetic).
    const next = parseCodebook(codebookWithNewType('9.0.0'), 'next.yaml')
    const other = await openWorkspace(ws, PASSPHRASE)
    try {
      await other.store.append(other.analyst.id, { kind: 'codebook.adopted', codebook: next })
    } finally {
      await other.close()
    }
    expect(before.codebook.version).not.toBe('9.0.0')
    const coded = await post(`${base}/incidents`, { ...INCIDENT, type: 'synthetic_new_type' })
    expect(coded.status, coded.body).toBe(200)
    expect(JSON.parse(coded.body)).toMatchObject({ incident: { codebook: 'amanat-default@9.0.0' } })
    expect(JSON.parse((await get('/api/codebook')).body)).toMatchObject({ codebook: { version: '9.0.0' } })
    expect(JSON.parse((await get(base)).body)).toMatchObject({ codebookRef: 'amanat-default@9.0.0' })
  })

  it('builds the report from the page as a release, and an unchanged rebuild records nothing', async () => {
    const first = await post('/api/report', { lang: 'zh' })
    expect(first.status).toBe(200)
    const built = JSON.parse(first.body) as { outDir: string; files: number; recorded: boolean }
    expect(built).toMatchObject({ outDir: join(ws, 'report', 'zh'), recorded: true })
    expect(built.files).toBeGreaterThan(5)
    for (const file of ['index.html', 'data.json', 'disclosure-log.json', 'tables.xlsx'])
      expect(existsSync(join(built.outDir, file)), file).toBe(true)
    const html = readFileSync(join(built.outDir, 'index.html'), 'utf8')
    expect(html).toContain('lang="zh"')
    const again = JSON.parse((await post('/api/report', { lang: 'zh' })).body) as { recorded: boolean }
    expect(again.recorded).toBe(false)
    expect((await post('/api/report', { lang: 'xx' })).status).toBe(400)
  })

  it('writes, lists, checks, marks and removes a case story, and says what consent allows', async () => {
    const { respondentBase } = await openFirstTestimony()
    const stories = `${respondentBase}/stories`
    const phone = await post(`${respondentBase}/identifiers`, {
      kind: 'phone',
      value: '+90 532 123 45 67',
      incidentIds: [],
    })
    expect(phone.status).toBe(200)
    const list = async () =>
      JSON.parse((await get(stories)).body) as {
        publication: string
        stories: { id: string; title: string; publish: boolean; findings: unknown[] }[]
      }

    const draft = { language: 'en', title: 'A call from the police', publish: false }
    const saved = await post(stories, {
      ...draft,
      text: 'Synthetic: the caller used 0532 123 45 67 in 2019.',
    })
    expect(saved.status).toBe(200)
    const { story } = JSON.parse(saved.body) as { story: { id: string; publish: boolean } }
    expect(story.publish).toBe(false)
    const phoneFinding = { problem: 'identifying_term', source: 'identifier', kind: 'phone' }
    // The synthetic respondent consented to aggregate statistics only.
    expect(await list()).toMatchObject({
      publication: 'no_consent',
      stories: [{ id: story.id, title: draft.title, publish: false, findings: [phoneFinding] }],
    })
    const check = await get(`${stories}/${story.id}/check`)
    expect(JSON.parse(check.body)).toEqual({ findings: [phoneFinding] })
    for (const fragment of ['532', '123 45', '1234567']) expect(check.body).not.toContain(fragment)

    const revised = await post(stories, { ...draft, storyId: story.id, text: 'Synthetic: a call in 2019.' })
    expect(revised.status).toBe(200)
    expect(JSON.parse((await get(`${stories}/${story.id}/check`)).body)).toEqual({ findings: [] })
    expect(JSON.parse((await post(`${stories}/${story.id}/mark`, { publish: true })).body)).toMatchObject({
      story: { id: story.id, publish: true },
    })
    await post(`${respondentBase}/consent`, { uses: ['anonymised_story'], withdrawn: false, form: 'online' })
    expect(await list()).toMatchObject({
      publication: 'allowed',
      stories: [{ id: story.id, publish: true, findings: [] }],
    })
    await post(`${respondentBase}/consent`, { uses: ['anonymised_story'], withdrawn: true, form: 'online' })
    expect((await list()).publication).toBe('withdrawn')

    const refusals: [string, unknown, string][] = [
      [stories, { ...draft, title: ' ', text: 'x' }, 'input.invalid'],
      [stories, { ...draft, language: 'English', text: 'x' }, 'input.invalid'],
      [stories, { ...draft, text: 'x', storyId: '0'.repeat(26) }, 'story.not_found'],
      [stories, { ...draft, text: 'x', author: 'someone' }, 'request.invalid'],
      [`${stories}/${story.id}/mark`, { publish: 'yes' }, 'request.invalid'],
      [`${stories}/${'0'.repeat(26)}/mark`, { publish: true }, 'story.not_found'],
      [`${stories}/not-an-id/mark`, { publish: true }, 'request.invalid'],
    ]
    for (const [path, body, code] of refusals) {
      const refused = await post(path, body)
      expect(refused.status, code).toBe(400)
      expect(JSON.parse(refused.body)).toMatchObject({ error: code })
    }
    expect((await list()).stories).toHaveLength(1)

    const remove = (id: string) =>
      rawRequest(workbench.origin, `${stories}/${id}`, {
        method: 'DELETE',
        headers: pageWrite(workbench.origin, cookie),
        body: {},
      })
    expect((await remove(story.id)).status).toBe(200)
    expect((await list()).stories).toEqual([])
    expect(JSON.parse((await remove(story.id)).body)).toMatchObject({ error: 'story.not_found' })
  })

  it("keeps a respondent's identifying details in the vault: read, set, checked against stories, removed", async () => {
    const { respondentBase } = await openFirstTestimony()
    const vault = `${respondentBase}/vault`
    expect(JSON.parse((await get(vault)).body)).toEqual({ entry: null, version: null })

    // Synthetic details, with marker strings that must never reach the workspace in clear.
    const token = newInviteToken()
    const details = {
      names: ['Vaultmarker Qadirova'],
      contacts: [{ kind: 'phone', value: '+7 701 555 01 23' }],
      address: 'Vaultmarker street 7, Almaty',
      documents: [{ kind: 'passport', number: 'VM0042317' }],
      relativeNames: ['Vaultmarker Senior'],
    }
    const set = await post(vault, { ...details, invite: `https://intake.invalid/#q=x&t=${token}&f=y` })
    expect(set.status).toBe(200)
    const kept = { ...details, inviteTokenHash: tokenHash(token) }
    const { version: first } = JSON.parse(set.body) as { version: string }
    expect(first).toMatch(/^[0-9a-f]{64}$/)
    expect(JSON.parse(set.body)).toEqual({ entry: kept, version: first })
    expect(JSON.parse((await get(vault)).body)).toEqual({ entry: kept, version: first })
    for (const marker of ['Vaultmarker', 'VM0042317', '701 555', token])
      expect(anyFileContains(ws, marker), marker).toBeNull()
    // Sending the hash back, as the page does when the invite is left alone, keeps it.
    const again = await post(vault, {
      ...details,
      names: ['Vaultmarker Q.'],
      invite: tokenHash(token),
      version: first,
    })
    expect(JSON.parse(again.body)).toMatchObject({
      entry: { names: ['Vaultmarker Q.'], inviteTokenHash: tokenHash(token) },
    })
    // A colleague's tab still showing the first version, or none, can neither write over the entry
    // nor remove it: the name just changed would be lost from every story check.
    for (const version of [first, null]) {
      const stale = await post(vault, { ...details, invite: null, version })
      expect(stale.status).toBe(400)
      expect(JSON.parse(stale.body)).toMatchObject({ error: 'record.changed' })
    }
    const staleRemoval = await rawRequest(workbench.origin, `${vault}?version=${first}`, {
      method: 'DELETE',
      headers: pageWrite(workbench.origin, cookie),
      body: {},
    })
    expect(JSON.parse(staleRemoval.body)).toMatchObject({ error: 'record.changed' })
    expect(JSON.parse((await get(vault)).body)).toMatchObject({ entry: { names: ['Vaultmarker Q.'] } })

    // The story check now knows the name and the phone number from the vault (one finding per
    // source and kind, so each is checked on its own), and passes a text with neither.
    const stories = `${respondentBase}/stories`
    const storyWith = async (text: string, storyId?: string) => {
      const saved = await post(stories, {
        language: 'en',
        title: 'A call',
        text,
        publish: false,
        ...(storyId === undefined ? {} : { storyId }),
      })
      const { story } = JSON.parse(saved.body) as { story: { id: string } }
      const check = JSON.parse((await get(`${stories}/${story.id}/check`)).body) as {
        findings: { source: string }[]
      }
      return { id: story.id, vault: check.findings.filter((f) => f.source === 'vault').length }
    }
    const written = await storyWith('Synthetic: Vaultmarker Q. was called.')
    expect(written.vault).toBe(1)
    expect((await storyWith('Synthetic: someone was called on 7015550123.', written.id)).vault).toBe(1)
    expect((await storyWith('Synthetic: someone was called.', written.id)).vault).toBe(0)

    const refusals: [string, unknown, string][] = [
      [vault, { ...details, invite: 'not an invite' }, 'invite.unrecognised'],
      [vault, { ...details, contacts: [{ kind: 'pager', value: '123' }], invite: null }, 'request.invalid'],
      [vault, { ...details, names: [' '], invite: null }, 'request.invalid'],
      [vault, { ...details, invite: null, inviteTokenHash: null }, 'request.invalid'],
      [`/api/respondents/${'0'.repeat(26)}/vault`, { ...details, invite: null }, 'respondent.not_found'],
    ]
    for (const [path, body, code] of refusals) {
      const refused = await post(path, body)
      expect(refused.status, code).toBe(400)
      expect(JSON.parse(refused.body)).toMatchObject({ error: code })
      expect(refused.body).not.toContain('Vaultmarker')
    }
    expect(JSON.parse((await get(vault)).body)).toMatchObject({ entry: { names: ['Vaultmarker Q.'] } })

    const remove = () =>
      rawRequest(workbench.origin, vault, {
        method: 'DELETE',
        headers: pageWrite(workbench.origin, cookie),
        body: {},
      })
    expect(JSON.parse((await remove()).body)).toEqual({ removed: true })
    expect(JSON.parse((await get(vault)).body)).toEqual({ entry: null, version: null })
    expect(JSON.parse((await remove()).body)).toEqual({ removed: false })
    expect(filesBelow(join(ws, 'vault'))).toEqual([])
    await rawRequest(workbench.origin, `${stories}/${written.id}`, {
      method: 'DELETE',
      headers: pageWrite(workbench.origin, cookie),
      body: {},
    })
  })

  it('locks itself after idling: data routes answer 423 and the state says locked', async () => {
    await post('/api/unlock', { passphrase: PASSPHRASE })
    const profiles = JSON.parse((await get('/api/state')).body) as { profiles: { id: string }[] }
    await post('/api/profile', { analystId: profiles.profiles[0]?.id })
    expect((await get('/api/testimonies')).status).toBe(200)
    // Polling the state is not activity: it must not keep the workspace open.
    for (let i = 0; i < 4; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500))
      await get('/api/state')
    }
    expect(JSON.parse((await get('/api/state')).body)).toMatchObject({ locked: true })
    const after = await get('/api/testimonies')
    expect(after.status).toBe(423)
    expect(JSON.parse(after.body)).toMatchObject({ error: 'session.locked' })
  })

  it('refuses a bad --idle-minutes as a usage error', async () => {
    const { code, terminal } = await amanat(['workbench', '--workspace', ws, '--idle-minutes', '0'])
    expect(code).toBe(2)
    expect(terminal.stderr.join('\n')).toContain('usage.bad_idle_minutes')
  })
})

describe('amanat workbench: a lock pressed while a pull is under way', () => {
  const temp = tempDir('wb-lock-pull')
  const ws = `${temp.dir}/ws`
  let stage: IntakeStage
  let workbench: RunningWorkbench

  beforeAll(async () => {
    stage = await workspaceWithPulledTestimony(ws, `${temp.dir}/intake`)
    for (let i = 0; i < 40; i++) await stage.submit(`Synthetic account ${String(i)} waiting to be pulled.`)
    workbench = await startTestWorkbench(ws)
  })
  afterAll(async () => {
    await workbench.close()
    await stage.close()
    temp.cleanup()
  })

  it('lets the pull finish, then locks: nothing fails half way and nothing is pulled twice', async () => {
    const { get, post, unlockAsFirstProfile } = await pageSession(workbench)
    await unlockAsFirstProfile()
    const order: string[] = []
    const pulling = post('/api/intake/pull', { server: stage.url }).then((response) => {
      order.push('pulled')
      return response
    })
    // The lock comes while the pull is being answered (40 submissions take it longer than this).
    await new Promise((resolve) => setTimeout(resolve, 100))
    const locked = await post('/api/lock', {})
    order.push('locked')
    const pulled = await pulling
    expect(pulled.status, pulled.body).toBe(200)
    expect(JSON.parse(pulled.body)).toMatchObject({ imported: 40 })
    expect(locked.status).toBe(200)
    expect(order).toEqual(['pulled', 'locked'])
    expect((await get('/api/testimonies')).status).toBe(423)

    await unlockAsFirstProfile()
    const again = JSON.parse((await post('/api/intake/pull', { server: stage.url })).body) as {
      imported: number
    }
    expect(again.imported).toBe(0)
    const list = JSON.parse((await get('/api/testimonies?limit=100')).body) as { items: unknown[] }
    expect(list.items).toHaveLength(41)
  })
})
