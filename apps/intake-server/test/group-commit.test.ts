import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { GroupCommitter, openSqliteStore, type GroupCommitOptions, type IntakeStore } from '../src/index.ts'
import { TODAY, overriding } from './support/harness.ts'

/**
 * The group committer's scheduling, over a real SQLite store whose `applyBatch` is wrapped to
 * record each batch's size and, when a test holds the gate, to wait before committing.
 */

let dir: string
let store: IntakeStore
let batches: number[]
let gate: Promise<void> | null

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'amanat-group-commit-'))
  const real = await openSqliteStore(dir, { uploadsPerInvite: 10, quarantinePerInvite: 5 })
  batches = []
  gate = null
  store = overriding(real, {
    applyBatch: async (...args) => {
      batches.push(args[0].length)
      if (gate !== null) await gate
      return real.applyBatch(...args)
    },
  })
})

afterEach(async () => {
  vi.useRealTimers()
  await store.close()
  rmSync(dir, { recursive: true, force: true })
})

const committer = (options: Partial<GroupCommitOptions> = {}) =>
  new GroupCommitter(store, () => TODAY, { maxDelayMs: 0, maxBatch: 512, maxBatchBytes: 1 << 24, ...options })

describe('group commit', () => {
  it('commits the writes made in one turn of the event loop together', async () => {
    const c = committer()
    await Promise.all(Array.from({ length: 10 }, () => c.barrier()))
    expect(batches).toEqual([10])
  })

  it('commits a lone write without waiting on a timer', async () => {
    // Timers never fire here: a committer that waited on one would never commit.
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] })
    const c = committer()
    await c.barrier()
    expect(batches).toEqual([1])
  })

  it('waits the configured delay when one is set', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] })
    const c = committer({ maxDelayMs: 50 })
    let done = false
    const first = c.barrier().then(() => {
      done = true
    })
    await new Promise((resolve) => setImmediate(resolve))
    expect(batches).toEqual([])
    expect(done).toBe(false)
    await vi.advanceTimersByTimeAsync(50)
    await first
    expect(batches).toEqual([1])
  })

  it('holds the writes that arrive during a commit for the next one, and answers none early', async () => {
    const c = committer()
    let release = () => {}
    gate = new Promise((resolve) => {
      release = resolve
    })
    const settled: string[] = []
    const first = Array.from({ length: 3 }, (_, i) => c.barrier().then(() => settled.push(`first ${String(i)}`)))
    await vi.waitFor(() => {
      expect(batches).toEqual([3])
    })
    const second = Array.from({ length: 5 }, (_, i) => c.barrier().then(() => settled.push(`second ${String(i)}`)))
    await new Promise((resolve) => setImmediate(resolve))
    expect(batches).toEqual([3])
    expect(settled).toEqual([])
    gate = null
    release()
    await Promise.all([...first, ...second])
    expect(batches).toEqual([3, 5])
    expect(settled.slice(0, 3).every((s) => s.startsWith('first'))).toBe(true)
  })

  it('splits what waits into batches of at most maxBatch', async () => {
    const c = committer({ maxBatch: 3 })
    await Promise.all(Array.from({ length: 7 }, () => c.barrier()))
    expect(batches).toEqual([3, 3, 1])
  })
})
