import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { POSTGRES_URL, postgresAvailable } from '../../../../tools/test-support/services.ts'
import { SEARCH_INDEX_FILE, searchIndexKey } from '@amanat/search'
import { openWorkspace } from '../../src/workspace/workspace.ts'
import { PASSPHRASES, TEST_PASSPHRASE, amanat } from '../support.ts'
import { decryptedDump, markedWorkspace, occurrences, workspaceKeys } from './support.ts'

const hasPostgres = await postgresAvailable()

describe('amanat erase (crypto-shredding, issue #4 part 5)', () => {
  it('leaves 0 markers of the erased respondent in any decrypted page, free pages and WAL included; the chain verifies', async () => {
    const { dir, marked } = await markedWorkspace({ respondents: 30, markers: ['GONEMARK7Q', 'KEPTMARK3Z'] })
    const [gone, kept] = marked
    const file = join(dir, 'workspace.db')
    const keys = await workspaceKeys(dir)

    // Before: the decrypting dump sees both (so a 0 later is the erasure's doing, not a broken decrypter).
    const before = decryptedDump(file, keys.storeKey)
    expect(occurrences(before, gone!.marker)).toBeGreaterThan(0)
    expect(occurrences(before, kept!.marker)).toBeGreaterThan(0)
    expect(readFileSync(file).includes(Buffer.from(gone!.marker))).toBe(false)
    // A search builds the index beside the store; erasure must reach into it too.
    expect((await amanat(['search', '--workspace', dir, gone!.marker], PASSPHRASES)).code).toBe(0)
    const indexFile = join(dir, SEARCH_INDEX_FILE)
    const indexKey = searchIndexKey(keys.storeKey)
    // The index stores terms prefix-compressed, so the scan looks for a term's tail, and for the id.
    const indexed = (marker: string) => [marker.toLowerCase().slice(-6)]
    const beforeIndex = decryptedDump(indexFile, indexKey)
    for (const needle of [...indexed(gone!.marker), gone!.id]) expect(occurrences(beforeIndex, needle)).toBeGreaterThan(0)

    const run = await amanat(['erase', '--workspace', dir, '--respondent', gone!.key], PASSPHRASES)
    expect(run.stderr.filter((l) => !l.includes('warning'))).toEqual([])
    expect(run.code).toBe(0)
    const out = run.stdout.join('\n')
    expect(out).toMatch(/key destroyed/)
    expect(out).toMatch(/search index purged/)
    expect(out).toMatch(/chain ok/)
    expect(out).toMatch(/backups made before now/)
    expect(out).toMatch(/PostgreSQL/)

    const after = decryptedDump(file, keys.storeKey)
    expect(occurrences(after, gone!.marker)).toBe(0)
    expect(occurrences(after, gone!.id)).toBeGreaterThan(0) // the log keeps the id in clear: the event subject, no content
    expect(occurrences(after, kept!.marker)).toBeGreaterThan(0)
    const index = decryptedDump(indexFile, indexKey)
    for (const needle of [...indexed(gone!.marker), gone!.id]) expect(occurrences(index, needle)).toBe(0)
    expect(occurrences(index, indexed(kept!.marker)[0]!)).toBeGreaterThan(0)

    const verify = await amanat(['verify', '--workspace', dir], PASSPHRASES)
    expect(verify.code).toBe(0)
    const workspace = await openWorkspace(dir, TEST_PASSPHRASE)
    try {
      const events = await workspace.store.events({ limit: 10_000 })
      expect(events.filter((e) => e.subject === gone!.id).every((e) => e.body === null)).toBe(true)
      expect(events.at(-1)?.body).toEqual({
        kind: 'respondent.erased',
        respondentId: gone!.id,
        respondentNo: expect.any(Number),
      })
      const rows = await workspace.store.db
        .selectFrom('respondents')
        .select('id')
        .where('id', '=', gone!.id)
        .execute()
      expect(rows).toEqual([])
      await workspace.store.replayProjections()
      expect(
        await workspace.store.db.selectFrom('respondents').select('id').where('id', '=', gone!.id).execute(),
      ).toEqual([])
      expect((await workspace.store.verify()).ok).toBe(true)
    } finally {
      await workspace.close()
    }

    // Idempotent: the key is gone, the respondent cannot be found by key, and by id the erasure finishes cleanly.
    expect((await amanat(['erase', '--workspace', dir, '--respondent', gone!.key], PASSPHRASES)).code).toBe(1)
    const again = await amanat(['erase', '--workspace', dir, '--respondent', gone!.id, '--json'], PASSPHRASES)
    expect(again.code).toBe(0)
    expect(JSON.parse(again.stdout[0]!)).toMatchObject({
      recorded: false,
      keyDestroyed: false,
      chainOk: true,
    })
  })

  it('refuses an unknown respondent and a missing --respondent', async () => {
    const { dir } = await markedWorkspace({ respondents: 2 })
    const unknown = await amanat(['erase', '--workspace', dir, '--respondent', 'nobody'], PASSPHRASES)
    expect(unknown.code).toBe(1)
    expect(unknown.stderr.join('\n')).toMatch(/amanat: respondent.not_found: /)
    expect((await amanat(['erase', '--workspace', dir], PASSPHRASES)).code).toBe(2)
  })

  it.skipIf(!hasPostgres && process.env.CI !== 'true')(
    'on PostgreSQL: rows gone, bodies unreadable, chain verifies (needs PostgreSQL)',
    async () => {
      const schema = `keys_erase_${String(process.pid)}_${String(Date.now())}`
      const { dir, marked } = await markedWorkspace({
        respondents: 5,
        markers: ['PGGONE5X'],
        postgres: { url: POSTGRES_URL, schema },
      })
      const gone = marked[0]!
      const run = await amanat(['erase', '--workspace', dir, '--respondent', gone.key], PASSPHRASES)
      expect(run.code).toBe(0)
      const workspace = await openWorkspace(dir, TEST_PASSPHRASE)
      try {
        const { store } = workspace
        expect(
          await store.db.selectFrom('respondents').select('id').where('id', '=', gone.id).execute(),
        ).toEqual([])
        for (const table of ['testimonies', 'incidents', 'relatives', 'identifiers'] as const) {
          expect(
            await store.db.selectFrom(table).select('id').where('respondent_id', '=', gone.id).execute(),
          ).toEqual([])
        }
        const events = await store.events({ limit: 10_000 })
        expect(events.filter((e) => e.subject === gone.id).every((e) => e.body === null)).toBe(true)
        expect(
          await store.db.selectFrom('subject_keys').selectAll().where('subject', '=', gone.id).execute(),
        ).toEqual([])
        expect((await store.verify()).ok).toBe(true)
      } finally {
        await workspace.close()
      }
    },
  )
})
