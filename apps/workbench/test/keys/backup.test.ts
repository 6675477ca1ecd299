import { execFileSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { unlockIdentity } from '@amanat/crypto/open'
import { describe, expect, it } from 'vitest'
import { ageCliAvailable } from '../../../../tools/test-support/services.ts'
import { restoreBackup } from '../../src/keys/backup.ts'
import { openWorkspace } from '../../src/workspace/workspace.ts'
import { PASSPHRASES, TEST_BACKUP_PASSPHRASE, TEST_PASSPHRASE, amanat, tempDir } from '../support.ts'
import { decryptedDump, markedWorkspace, occurrences, workspaceKeys } from './support.ts'

async function backedUp() {
  const { dir, marked } = await markedWorkspace({ respondents: 10, markers: ['BACKUPMARK4'] })
  const out = join(tempDir(), 'ws.backup')
  const run = await amanat(['backup', '--workspace', dir, '--out', out, '--json'], PASSPHRASES)
  expect(run.stderr.filter((l) => !l.includes('warning'))).toEqual([])
  expect(run.code).toBe(0)
  return {
    dir,
    out,
    marked,
    report: JSON.parse(run.stdout[0]!) as { head: string; sha256: string; events: number },
  }
}

describe('amanat backup and restore (T20)', () => {
  it('restores on a clean folder with only the backup, the backup identity and its passphrase: same head, verifies', async () => {
    const { dir, out, marked, report } = await backedUp()
    expect(readFileSync(out).includes(Buffer.from(marked[0]!.marker))).toBe(false)
    // Only the backup identity file travels to the "clean machine"; the workspace passphrase is not given.
    const identity = join(tempDir(), 'backup-identity.age')
    writeFileSync(identity, readFileSync(join(dir, 'backup-identity.age')))
    const target = join(tempDir(), 'restored')
    const run = await amanat(['restore', '--backup', out, '--identity', identity, '--to', target, '--json'], {
      AMANAT_BACKUP_PASSPHRASE: TEST_BACKUP_PASSPHRASE,
    })
    expect(run.stderr).toEqual([])
    expect(run.code).toBe(0)
    expect(JSON.parse(run.stdout[0]!)).toMatchObject({ head: report.head, events: report.events })

    const restored = await openWorkspace(target, TEST_PASSPHRASE)
    const original = await openWorkspace(dir, TEST_PASSPHRASE)
    try {
      const verify = await restored.store.verify()
      expect(verify).toMatchObject({ ok: true, head: report.head })
      const restoredCounts = await restored.store.counts()
      const originalCounts = await original.store.counts()
      // The original gained one event (backup.made) after the snapshot; every table else is equal.
      expect(restoredCounts).toEqual({ ...originalCounts, events: originalCounts.events - 1 })
      expect((await original.store.events({ afterSeq: report.events })).map((e) => e.body)).toEqual([
        { kind: 'backup.made', sha256: report.sha256, head: report.head, recipients: 2 },
      ])
      const found = await restored.store.db
        .selectFrom('respondents')
        .select('key')
        .where('id', '=', marked[0]!.id)
        .execute()
      expect(found).toEqual([{ key: marked[0]!.key }])
    } finally {
      await restored.close()
      await original.close()
    }
  })

  it('refuses a damaged backup, a wrong passphrase and a non-empty target, creating nothing', async () => {
    const { dir, out } = await backedUp()
    const identity = join(dir, 'backup-identity.age')
    const bytes = readFileSync(out)
    bytes[bytes.length - 100] = (bytes[bytes.length - 100] ?? 0) ^ 1
    const damaged = join(tempDir(), 'damaged.backup')
    writeFileSync(damaged, bytes)
    const target = join(tempDir(), 'restored')
    const env = { AMANAT_BACKUP_PASSPHRASE: TEST_BACKUP_PASSPHRASE }
    const bad = await amanat(['restore', '--backup', damaged, '--identity', identity, '--to', target], env)
    expect(bad.code).toBe(3)
    expect(bad.stderr.join('\n')).toMatch(/amanat: backup.corrupt: /)
    expect(existsSync(target)).toBe(false)
    const wrong = await amanat(['restore', '--backup', out, '--identity', identity, '--to', target], {
      AMANAT_BACKUP_PASSPHRASE: 'not it at all, sorry',
    })
    expect(wrong.code).toBe(1)
    const occupied = await amanat(['restore', '--backup', out, '--identity', identity, '--to', dir], env)
    expect(occupied.stderr.join('\n')).toMatch(/amanat: restore.exists: /)
    expect(await amanat(['backup', '--workspace', dir, '--out', out], PASSPHRASES)).toMatchObject({ code: 1 })
  })

  it('never removes what arrives in the empty target while the restore runs, nor a restore that finished first', async () => {
    const { dir, out } = await backedUp()
    const restore = (to: string) =>
      restoreBackup({ backup: out, identityFile: readFileSync(join(dir, 'backup-identity.age')), backupPassphrase: TEST_BACKUP_PASSPHRASE, to })
    // The folder is checked, then the identity is unlocked (scrypt): the file arrives then.
    const target = tempDir()
    const restoring = restore(target)
    writeFileSync(join(target, 'notes.txt'), 'saved meanwhile')
    await expect(restoring).rejects.toMatchObject({ code: 'restore.exists' })
    expect(readdirSync(target)).toEqual(['notes.txt'])
    expect(readdirSync(dirname(target)).filter((name) => name.includes('.restoring-'))).toEqual([])

    // Two restores into one new folder at once: one is refused, the other's workspace is whole.
    const shared = join(tempDir(), 'restored')
    const results = await Promise.allSettled([restore(shared), restore(shared)])
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    expect(results.find((r) => r.status === 'rejected')).toMatchObject({ reason: { code: 'restore.exists' } })
    const restored = await openWorkspace(shared, TEST_PASSPHRASE)
    try {
      expect((await restored.store.verify()).ok).toBe(true)
    } finally {
      await restored.close()
    }
  })

  it('erases again, on restore, a respondent erased after the backup was made, from the mark the erasure left beside it', async () => {
    const { dir, marked } = await markedWorkspace({ respondents: 10, markers: ['ERASEDLATER5K', 'STAYS8M'] })
    const [gone, stays] = marked
    const folder = tempDir()
    const out = join(folder, 'before-erasure.backup')
    expect((await amanat(['backup', '--workspace', dir, '--out', out], PASSPHRASES)).code).toBe(0)
    const marks = () => readdirSync(folder).filter((name) => name.startsWith('amanat-erasure-'))
    expect(marks()).toEqual([])

    const erased = await amanat(['erase', '--workspace', dir, '--respondent', gone!.key], PASSPHRASES)
    expect(erased.code).toBe(0)
    expect(erased.stdout).toContain(`marked beside the backups in ${folder}: a restore from there erases again`)
    // One sealed mark, naming nobody in clear; a later backup into the folder adds none.
    expect(marks()).toHaveLength(1)
    const mark = readFileSync(join(folder, marks()[0]!))
    expect(mark.subarray(0, 21).toString('latin1')).toBe('age-encryption.org/v1')
    expect(mark.includes(Buffer.from(gone!.id))).toBe(false)
    expect((await amanat(['backup', '--workspace', dir, '--out', join(folder, 'after.backup')], PASSPHRASES)).code).toBe(0)
    expect(marks()).toHaveLength(1)

    // The backup made before the erasure, restored: the respondent is erased again before the
    // folder appears; the other one is there; the chain verifies and records the erasure.
    const target = join(tempDir(), 'restored')
    const env = { AMANAT_BACKUP_PASSPHRASE: TEST_BACKUP_PASSPHRASE }
    const identity = join(dir, 'backup-identity.age')
    const run = await amanat(['restore', '--backup', out, '--identity', identity, '--to', target], env)
    expect(run.code).toBe(0)
    expect(run.stdout).toContain('erased again: 1 (respondents erased after this backup was made, from the marks beside it)')
    const restored = await openWorkspace(target, TEST_PASSPHRASE)
    try {
      expect(await restored.store.respondentNo(gone!.id)).toBeNull()
      expect(await restored.store.respondentNo(stays!.id)).not.toBeNull()
      expect((await restored.store.verify()).ok).toBe(true)
      const erasures = (await restored.store.events({ limit: 10_000 })).filter((e) => e.kind === 'respondent.erased')
      expect(erasures.map((e) => (e.body?.kind === 'respondent.erased' ? e.body.respondentId : null))).toEqual([gone!.id])
    } finally {
      await restored.close()
    }
    const keys = await workspaceKeys(target)
    const dump = decryptedDump(join(target, 'workspace.db'), keys.storeKey)
    expect(occurrences(dump, gone!.marker)).toBe(0)
    expect(occurrences(dump, stays!.marker)).toBeGreaterThan(0)

    // Without the marks beside it, the restore says what it cannot know.
    const alone = join(tempDir(), 'alone.backup')
    writeFileSync(alone, readFileSync(out))
    const unmarked = await amanat(['restore', '--backup', alone, '--identity', identity, '--to', join(tempDir(), 'r2')], env)
    expect(unmarked.code).toBe(0)
    expect(unmarked.stdout.at(-1)).toMatch(/^erasure marks: none beside the backup/)
  })

  it.runIf(ageCliAvailable() || process.env.CI === 'true')(
    "Debian's age decrypts the backup with the backup identity (needs age)",
    async () => {
      const { dir, out } = await backedUp()
      const { identity } = await unlockIdentity(
        readFileSync(join(dir, 'backup-identity.age')),
        TEST_BACKUP_PASSPHRASE,
      )
      const keyFile = join(tempDir(), 'backup.key')
      writeFileSync(keyFile, `${identity}\n`, { mode: 0o600 })
      const plain = execFileSync('age', ['-d', '-i', keyFile, out])
      expect(plain.subarray(0, 17).toString('utf8')).toBe('AMANAT-BACKUP v1\n')
    },
  )
})
