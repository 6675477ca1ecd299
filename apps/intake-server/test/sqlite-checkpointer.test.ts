import { spawnSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers'
import { describe, expect, it } from 'vitest'
import { sha256Hex } from '../src/index.ts'
import { openSqliteStore, SQLITE_FILE } from '../src/storage/sqlite-store.ts'
import { newRandomId, newToken, signedQuestionnaire, tokenHashOf } from './support/fixtures.ts'

/**
 * Checkpoints run on their own thread (docs/decisions/0020): commits never copy the WAL into the
 * main file themselves, yet the main file catches up soon after, and everything committed is
 * there after a close and a reopen.
 */
const DAY = '2026-11-26'
const Q = 'checkpoint-q'
const LIMITS = { uploadsPerInvite: 10, quarantinePerInvite: 5 }

describe('intake store checkpoints', () => {
  it('copies committed pages into the main file off the commit path, and loses nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amanat-intake-checkpoint-'))
    try {
      const store = await openSqliteStore(dir, LIMITS)
      const file = join(dir, SQLITE_FILE)
      await store.publishQuestionnaire(Q, JSON.stringify(signedQuestionnaire(Q, [])), 2, DAY)
      const tokens = Array.from({ length: 300 }, newToken)
      await store.addInvites(Q, tokens.map((t) => ({ tokenHash: tokenHashOf(t), expiresOn: '2026-12-31' })))
      const before = statSync(file).size
      for (let at = 0; at < tokens.length; at += 30) {
        const writes = tokens.slice(at, at + 30).map((token) => {
          const body = randomBytes(4096)
          return { kind: 'submission' as const, tokenHash: tokenHashOf(token), clientId: newRandomId(), recipients: 2, body, bodyHash: sha256Hex(body) }
        })
        expect(new Set(await store.applyBatch(writes, DAY))).toEqual(new Set(['stored']))
      }
      // 1.2 MB of submissions went into the WAL; the worker moves them into the main file.
      await expect.poll(() => statSync(file).size - before, { timeout: 10_000 }).toBeGreaterThan(1_000_000)
      await store.close()

      const reader = new BetterSqlite3(file, { readonly: true })
      try {
        expect(reader.pragma('integrity_check', { simple: true })).toBe('ok')
      } finally {
        reader.close()
      }
      const again = await openSqliteStore(dir, LIMITS)
      try {
        expect((await again.itemsAfter(0, 1000, 1 << 30)).length).toBe(tokens.length)
        expect((await again.check()).problems).toEqual([])
      } finally {
        await again.close()
      }
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('closing the intake store', () => {
  it('finishes in a process with nothing else to wait for (the checkpoint thread is held while it stops)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'amanat-intake-close-'))
    try {
      const script = [
        `const { openSqliteStore } = await import(${JSON.stringify(new URL('../src/storage/sqlite-store.ts', import.meta.url).href)})`,
        `const store = await openSqliteStore(${JSON.stringify(dir)}, ${JSON.stringify(LIMITS)})`,
        `await store.close()`,
        `process.stdout.write('closed')`,
      ].join('\n')
      const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8', timeout: 60_000 })
      expect({ status: run.status, stdout: run.stdout }).toEqual({ status: 0, stdout: 'closed' })
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
