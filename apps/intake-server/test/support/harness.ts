import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Hono } from 'hono'
import {
  createIntakeApp,
  ensureCredential,
  openSqliteStore,
  type AppDeps,
  type GroupCommitter,
  type IntakeStore,
} from '../../src/index.ts'
import { framed, newRandomId, signedQuestionnaire, tokenHashOf } from './fixtures.ts'

/**
 * The real intake app in-process, over a real SQLite store in a temporary directory, with helpers
 * that speak the protocol. No mocks: `app.request` goes through every middleware and route.
 */

export const SEALED = 'application/x-amanat-sealed'
export const TODAY = '2026-11-26'

export interface Harness {
  readonly app: Hono
  readonly store: IntakeStore
  readonly committer: GroupCommitter
  readonly credential: string
  readonly dir: string
  /** Sets the day the server believes it is. */
  setDay(day: string): void
  /** An authenticated admin request with a JSON body. */
  admin(method: string, path: string, body?: unknown): Promise<Response>
  publish(id: string, recipients: readonly string[]): Promise<void>
  invite(questionnaireId: string, tokens: readonly string[], expiresOn?: string): Promise<void>
  revoke(tokens: readonly string[]): Promise<void>
  submit(token: string, sealed: Uint8Array, id?: string): Promise<Response>
  chunk(token: string, upload: string, index: number, count: number, bytes: Uint8Array): Promise<Response>
  close(): Promise<void>
}

export interface HarnessOptions extends Partial<Omit<AppDeps, 'store' | 'credentialHash' | 'clock'>> {
  /** Wraps the store (to inject faults or count calls). */
  readonly wrapStore?: (store: IntakeStore) => IntakeStore
}

export async function openHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), 'amanat-intake-test-'))
  const real = await openSqliteStore(dir, { uploadsPerInvite: 10, quarantinePerInvite: 5 })
  const store = options.wrapStore?.(real) ?? real
  const { created, hash } = await ensureCredential(store)
  if (created === null) throw new Error('a fresh store must make a credential')
  let day = TODAY
  const { app, committer } = createIntakeApp({ ...options, store, credentialHash: hash, clock: () => day })
  const admin = async (method: string, path: string, body?: unknown) =>
    app.request(path, {
      method,
      headers: { authorization: `Bearer ${created}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    })
  const expectOk = async (response: Response, what: string) => {
    if (response.status !== 200) throw new Error(`${what}: ${String(response.status)} ${await response.text()}`)
  }
  return {
    app,
    store,
    committer,
    credential: created,
    dir,
    setDay: (next) => {
      day = next
    },
    admin,
    publish: async (id, recipients) => {
      await expectOk(await admin('PUT', `/api/admin/questionnaires/${id}`, signedQuestionnaire(id, recipients)), 'publish')
    },
    invite: async (questionnaireId, tokens, expiresOn = '2027-01-31') => {
      const invites = tokens.map((token) => ({ tokenHash: tokenHashOf(token), expiresOn }))
      await expectOk(await admin('POST', '/api/admin/invites', { questionnaireId, invites }), 'invite')
    },
    revoke: async (tokens) => {
      await expectOk(await admin('POST', '/api/admin/invites/revoke', { tokenHashes: tokens.map(tokenHashOf) }), 'revoke')
    },
    submit: async (token, sealed, id = newRandomId()) =>
      app.request('/api/submissions', {
        method: 'POST',
        headers: { 'content-type': SEALED },
        body: framed({ v: 1, token, id }, sealed),
      }),
    chunk: async (token, upload, index, count, bytes) =>
      app.request('/api/chunks', {
        method: 'POST',
        headers: { 'content-type': SEALED },
        body: framed({ v: 1, token, upload, index, count }, bytes),
      }),
    close: async () => {
      if (!committer.failed) await committer.drain()
      await real.close()
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** `store` with some methods replaced (the rest still run on the real store). */
export function overriding(store: IntakeStore, methods: Partial<IntakeStore>): IntakeStore {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (Object.hasOwn(methods, property)) return methods[property as keyof IntakeStore]
      const value: unknown = Reflect.get(target, property, receiver)
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value
    },
  })
}
