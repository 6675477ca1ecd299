import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sized } from '../../../../tools/test-support/profile.ts'
import type { RunningWorkbench } from '../../src/server/workbench-server.ts'
import { tempDir } from '../support/intake-fixtures.ts'
import {
  PASSPHRASE,
  pageWrite,
  rawRequest,
  sessionCookie,
  startTestWorkbench,
  workspaceWithPulledTestimony,
  type RawResponse,
} from './support.ts'

/**
 * "Bad input gets a clear error": every route of the workbench's API, sent bodies of every wrong
 * shape (hand-picked near misses, then random JSON), answers with a refusal that names a code —
 * never a 500, which would mean a service used a value it had not parsed. An identifier whose
 * value was an object used to reach the phone-number parser and crash it.
 */
describe('the workbench API refuses malformed requests with a code, never a crash', () => {
  const temp = tempDir('wb-refusals')
  const ws = `${temp.dir}/ws`
  let workbench: RunningWorkbench
  let cookie: string
  let routes: (readonly [string, string])[] = []

  const send = (method: string, path: string, body?: unknown): Promise<RawResponse> =>
    rawRequest(workbench.origin, path, {
      method,
      headers: pageWrite(workbench.origin, cookie),
      ...(body === undefined ? {} : { body }),
    })

  beforeAll(async () => {
    await (await workspaceWithPulledTestimony(ws, `${temp.dir}/intake`)).close()
    workbench = await startTestWorkbench(ws, 600_000)
    cookie = await sessionCookie(workbench)
    await send('POST', '/api/unlock', { passphrase: PASSPHRASE })
    const state = JSON.parse((await send('GET', '/api/state')).body) as { profiles: { id: string }[] }
    await send('POST', '/api/profile', { analystId: state.profiles[0]?.id })
    const listed = JSON.parse((await send('GET', '/api/testimonies')).body) as {
      items: { respondentId: string; testimonyId: string }[]
    }
    const r = listed.items[0]?.respondentId ?? ''
    const t = listed.items[0]?.testimonyId ?? ''
    const none = '0'.repeat(26)
    routes = [
      ['POST', `/api/testimonies/${r}/${t}/incidents`],
      ['POST', `/api/testimonies/${r}/${t}/status`],
      ['POST', `/api/testimonies/${r}/${t}/independent`],
      ['POST', `/api/testimonies/${r}/${t}/translation`],
      ['DELETE', `/api/respondents/${r}/incidents/${none}`],
      ['POST', `/api/respondents/${r}/relatives`],
      ['DELETE', `/api/respondents/${r}/relatives/${none}`],
      ['POST', `/api/respondents/${r}/identifiers`],
      ['DELETE', `/api/respondents/${r}/identifiers/${none}`],
      ['POST', `/api/respondents/${r}/impacts`],
      ['POST', `/api/respondents/${r}/consent`],
      ['POST', `/api/respondents/${r}/disclosure`],
      ['POST', `/api/respondents/${r}/stories`],
      ['POST', `/api/respondents/${r}/stories/${none}/mark`],
      ['POST', `/api/respondents/${r}/vault`],
      ['POST', '/api/recode'],
      ['POST', '/api/interviews'],
      ['POST', '/api/profile'],
    ]
  })
  afterAll(async () => {
    await workbench.close()
    temp.cleanup()
  })

  /** The routes that answered `body` with anything but a coded 4xx. */
  const crashes = async (body: unknown): Promise<string[]> => {
    const out: string[] = []
    for (const [method, path] of routes) {
      const answer = await send(method, path, body)
      const coded = (JSON.parse(answer.body) as { error?: unknown }).error
      if (answer.status >= 500 || (answer.status >= 400 && typeof coded !== 'string'))
        out.push(
          `${method} ${path.replace(/[0-9a-z]{26}/g, ':id')} ${String(answer.status)} ${JSON.stringify(body)}`,
        )
    }
    return out
  }

  it('answers near misses of every body with a coded refusal', async () => {
    const nearMisses: unknown[] = [
      null,
      [],
      'text',
      7,
      { kind: 'phone', value: { nested: 1 }, incidentIds: 'one' },
      { kind: 'phone', value: '+90 555 010 99 88', incidentIds: [5] },
      { type: null, date: 'soon', receivedIn: 'TR', originatedIn: [] },
      { relation: [], status: {} },
      { uses: 'all', withdrawn: 'no', form: 1 },
      { disclosure: { x: 1 } },
      { status: 'coded', note: 5 },
      { translation: { language: 1, text: [] } },
      { types: [null] },
      { impacts: [1, 2] },
      { codebook: 123, mapping: 'x' },
      { answers: null, language: 'ug' },
      { names: 'x', contacts: {}, invite: 5 },
      { language: [], title: {}, text: null, publish: 'yes' },
      { publish: 'yes' },
      { label: ['x'], analystId: 5 },
    ]
    const found: string[] = []
    for (const body of nearMisses) found.push(...(await crashes(body)))
    expect(found).toEqual([])
  })

  it('answers any query string of the reading routes without a crash', async () => {
    const seen: string[] = []
    const reads = ['/api/testimonies', '/api/search', '/api/dashboard', '/api/agreement']
    const names = [
      'status',
      'q',
      'country',
      'year',
      'code',
      'mode',
      'consent',
      'lang',
      'limit',
      'offset',
      'sort',
    ]
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...reads),
        fc.dictionary(fc.constantFrom(...names), fc.string({ unit: 'binary', maxLength: 300 })),
        async (path, params) => {
          const answer = await send('GET', `${path}?${new URLSearchParams(params).toString()}`)
          const coded = (JSON.parse(answer.body) as { error?: unknown }).error
          const ok = answer.status < 500 && (answer.status < 400 || typeof coded === 'string')
          if (!ok) seen.push(`GET ${path} ${String(answer.status)} ${JSON.stringify(params)}`)
          return ok
        },
      ),
      { numRuns: sized(40, 500) },
    )
    expect(seen).toEqual([])
  })

  it('answers random JSON with a coded refusal', async () => {
    const seen: string[] = []
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (body) => {
        const found = await crashes(body)
        seen.push(...found)
        return found.length === 0
      }),
      { numRuns: sized(15, 200) },
    )
    expect(seen).toEqual([])
  })
})
