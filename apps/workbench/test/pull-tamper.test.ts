import { join } from 'node:path'
import { sealBytes } from '@amanat/crypto'
import { chainHash, sha256Hex, SQLITE_FILE } from '@amanat/intake-server'
import Database from 'better-sqlite3-multiple-ciphers'
import { generateX25519Identity, identityToRecipient } from 'age-encryption'
import { afterEach, describe, expect, it } from 'vitest'
import { tokenHash } from '../src/intake/invites.ts'
import { readQuestionnaireFile } from '../src/intake/questionnaire-file.ts'
import { readCodebook } from '../src/workspace/codebook-file.ts'
import { openWorkspace } from '../src/workspace/workspace.ts'
import {
  amanat,
  amanatOk,
  defaultSubmission,
  initWorkspace,
  marker,
  paddedJson,
  PASSPHRASE,
  postSubmission,
  randomId,
  restartTestServer,
  sealSubmission,
  startTestServer,
  tempDir,
  testEnv,
  tokenOf,
  workspaceKeys,
  type TestServer,
} from './support/intake-fixtures.ts'

/**
 * T17 (without the bundle-integrity monitor): what a compromised intake server can do to its
 * storage — delete, modify, swap, reorder, inject, rewrite its chain, or collect submissions sealed
 * to a swapped key — is flagged at pull, 100%, and nothing tampered with becomes a testimony.
 * The tampering is done on the server's SQLite file directly, with the server stopped.
 */
const questionnaire = readQuestionnaireFile('default', readCodebook()).questionnaire

interface Scene {
  readonly ws: string
  readonly dataDir: string
  server: TestServer
  readonly recipients: string[]
  readonly links: string[]
  readonly stories: string[]
  cleanup(): Promise<void>
}

const scenes: Scene[] = []
afterEach(async () => {
  for (const scene of scenes.splice(0)) await scene.cleanup()
})

/** A workspace and a server holding `n` genuine submissions. */
async function scene(n: number): Promise<Scene> {
  const temp = tempDir('tamper')
  const ws = join(temp.dir, 'ws')
  const dataDir = join(temp.dir, 'intake')
  await initWorkspace(ws)
  const server = await startTestServer(dataDir)
  await amanatOk(['publish', 'default', '--workspace', ws, '--server', server.url, '--credential', server.credential])
  const links = (await amanatOk(['invite', '--workspace', ws, '--server', server.url, '--count', String(n + 5)])).stdout
  const keys = workspaceKeys(ws)
  const recipients = [keys.analystRecipient, keys.backupRecipient]
  const stories: string[] = []
  for (let i = 0; i < n; i++) {
    const story = `genuine ${String(i)} ${marker()}`
    stories.push(story)
    await postSubmission(server.url, tokenOf(links[i] ?? ''), await sealSubmission(defaultSubmission(questionnaire, story), recipients))
  }
  const s: Scene = {
    ws,
    dataDir,
    server,
    recipients,
    links,
    stories,
    cleanup: async () => {
      await s.server.close()
      temp.cleanup()
    },
  }
  scenes.push(s)
  return s
}

/** Stops the server, runs `edit` on its SQLite file, and starts it again. */
async function tamper(s: Scene, edit: (db: Database.Database) => void): Promise<void> {
  await s.server.close()
  const db = new Database(join(s.dataDir, SQLITE_FILE))
  try {
    edit(db)
  } finally {
    db.close()
  }
  s.server = await restartTestServer(s.server, s.dataDir)
}

interface ItemRow { id: string; seq: number; body: Buffer }
interface ChainRow { seq: number; kind: string; item_id: string; item_hash: string; day: string; prev_hash: string; hash: string; deleted_ids: string | null }

const itemRows = (db: Database.Database) => db.prepare('select id, seq, body from items order by seq').all() as ItemRow[]

/** Appends an item with a chain entry that links correctly: what a server with full control can do. */
function appendConsistently(db: Database.Database, body: Buffer, tokenHashHex: string): void {
  const head = db.prepare('select * from chain order by seq desc limit 1').get() as ChainRow
  const id = randomId()
  const link = { seq: head.seq + 1, kind: 'submission' as const, itemId: id, itemHash: sha256Hex(body), day: head.day, prevHash: head.hash }
  db.prepare('insert into chain (seq, kind, item_id, item_hash, day, prev_hash, hash, deleted_ids) values (?, ?, ?, ?, ?, ?, ?, null)').run(link.seq, link.kind, id, link.itemHash, link.day, link.prevHash, chainHash(link))
  db.prepare('insert into items (id, seq, kind, token_hash, client_id, body, body_hash, day) values (?, ?, ?, ?, ?, ?, ?, ?)').run(id, link.seq, 'submission', tokenHashHex, randomId(), body, link.itemHash, link.day)
}

async function pull(s: Scene, extra: string[] = []) {
  return amanat(['pull', '--workspace', s.ws, '--server', s.server.url, '--json', ...extra])
}

async function workspaceFacts(ws: string) {
  const workspace = await openWorkspace(ws, PASSPHRASE)
  try {
    const events = await workspace.store.events({ limit: 10_000 })
    const stories = events.flatMap((e) => (e.body?.kind === 'testimony.imported' ? [e.body.testimony.narratives[0]?.text ?? ''] : []))
    const asides = events.flatMap((e) => (e.body?.kind === 'submission.set_aside' ? [e.body] : []))
    return { stories, asides, testimonies: (await workspace.store.counts()).testimonies }
  } finally {
    await workspace.close()
  }
}

describe('T17: a compromised intake server is caught at pull', () => {
  it('flags deleted, modified, swapped and injected items, imports only the genuine rest, and deletes the server copies', async () => {
    const s = await scene(20)
    const forged = await sealSubmission(defaultSubmission(questionnaire, `forged ${marker()}`), s.recipients)
    let deletedId = ''
    let modified: Buffer = Buffer.alloc(0)
    await tamper(s, (db) => {
      const rows = itemRows(db)
      deletedId = rows[2]?.id ?? ''
      db.prepare('delete from items where id = ?').run(deletedId)
      modified = Buffer.from(rows[4]?.body ?? [])
      const middle = modified.length >> 1
      modified[middle] = (modified[middle] ?? 0) ^ 0x01
      db.prepare('update items set body = ? where id = ?').run(modified, rows[4]?.id)
      db.prepare('update items set body = ? where id = ?').run(rows[9]?.body, rows[8]?.id)
      db.prepare('update items set body = ? where id = ?').run(rows[8]?.body, rows[9]?.id)
      const head = (db.prepare('select max(seq) as seq from chain').get() as { seq: number }).seq
      for (let i = 0; i < 3; i++) {
        db.prepare('insert into items (id, seq, kind, token_hash, client_id, body, body_hash, day) values (?, ?, ?, ?, ?, ?, ?, ?)').run(
          randomId(), head + 10 + i, 'submission', tokenHash(tokenOf(s.links[20 + i] ?? '')), randomId(), Buffer.from(forged), sha256Hex(forged), '2026-01-01',
        )
      }
    })

    const { code, terminal } = await pull(s)
    expect(code).toBe(3)
    expect(terminal.stderr.at(-1)).toMatch(/^amanat: intake\.flagged: 7 item/)
    const report = JSON.parse(terminal.stdout[0] ?? '{}') as { imported: number; setAside: Record<string, number>; flagged: number; deleted: number }
    expect(report.imported).toBe(16)
    expect(report.setAside).toEqual({ missing: 1, hash_mismatch: 3, not_in_chain: 3 })
    expect(report.flagged).toBe(7)

    const facts = await workspaceFacts(s.ws)
    expect(facts.testimonies).toBe(16)
    expect(facts.stories.some((story) => story.startsWith('forged'))).toBe(false)
    expect(new Set(facts.stories)).toEqual(new Set(s.stories.filter((_, i) => ![2, 4, 8, 9].includes(i))))
    // What was set aside is kept as the server returned it (the missing one has nothing to keep).
    const missing = facts.asides.find((a) => a.reason === 'missing')
    expect(missing?.itemId).toBe(deletedId)
    expect(missing?.ciphertext).toBeNull()
    expect(facts.asides.some((a) => a.reason === 'hash_mismatch' && a.ciphertext !== null && Buffer.from(a.ciphertext, 'base64').equals(modified))).toBe(true)
    // Everything the workspace now holds is gone from the server.
    expect(report.deleted).toBe(22)
    expect(await s.server.running.store.itemsAfter(0, 1000, 1 << 26)).toEqual([])
  })

  it('stops at a reordered chain: imports only the entries before it, deletes nothing after it', async () => {
    const s = await scene(8)
    await tamper(s, (db) => {
      const rows = db.prepare('select * from chain where seq in (5, 6) order by seq').all() as ChainRow[]
      const [five, six] = rows as [ChainRow, ChainRow]
      const set = db.prepare('update chain set kind = ?, item_id = ?, item_hash = ?, day = ?, prev_hash = ?, hash = ? where seq = ?')
      set.run(six.kind, six.item_id, six.item_hash, six.day, six.prev_hash, six.hash, 5)
      set.run(five.kind, five.item_id, five.item_hash, five.day, five.prev_hash, five.hash, 6)
    })
    const { code, terminal } = await pull(s)
    expect(code).toBe(3)
    expect(terminal.stderr.at(-1)).toMatch(/^amanat: intake\.chain_broken: .* entry 5 /)
    const report = JSON.parse(terminal.stdout[0] ?? '{}') as { imported: number; checkpoint: { seq: number } }
    expect(report.imported).toBe(4)
    expect(report.checkpoint.seq).toBe(4)
    expect((await workspaceFacts(s.ws)).testimonies).toBe(4)
    expect((await s.server.running.store.itemsAfter(0, 1000, 1 << 26)).map((i) => i.seq)).toEqual([5, 6, 7, 8])
  })

  it('stops when the server rewrote or cut its chain behind the workspace\'s checkpoint', async () => {
    const s = await scene(3)
    await amanatOk(['pull', '--workspace', s.ws, '--server', s.server.url])
    // A consistent rewrite of the whole chain (every hash recomputed) no longer holds the checkpoint.
    await tamper(s, (db) => {
      const rows = db.prepare('select * from chain order by seq').all() as ChainRow[]
      let prev = '0'.repeat(64)
      for (const row of rows) {
        const link = { seq: row.seq, kind: row.kind as 'submission', itemId: row.item_id, itemHash: row.seq === 2 ? sha256Hex('rewritten') : row.item_hash, day: row.day, prevHash: prev }
        prev = chainHash(link)
        db.prepare('update chain set item_hash = ?, prev_hash = ?, hash = ? where seq = ?').run(link.itemHash, link.prevHash, prev, row.seq)
      }
    })
    const rewritten = await pull(s)
    expect(rewritten.code).toBe(3)
    expect(rewritten.terminal.stderr.at(-1)).toMatch(/^amanat: intake\.chain_broken: /)

    await tamper(s, (db) => db.prepare('delete from chain where seq >= 3').run())
    const cut = await pull(s)
    expect(cut.code).toBe(3)
    expect(cut.terminal.stderr.at(-1)).toMatch(/^amanat: intake\.chain_broken: .*no longer holds/)
  })

  it('flags a submission sealed to a swapped backup key (with --check-backup) and one missing a recipient', async () => {
    const s = await scene(1)
    const attacker = await identityToRecipient(await generateX25519Identity())
    const [analyst] = s.recipients as [string, string]
    // The key-swapped page seals to the analyst and the attacker: same count, so the server accepts it.
    await postSubmission(s.server.url, tokenOf(s.links[1] ?? ''), await sealSubmission(defaultSubmission(questionnaire, `swapped ${marker()}`), [analyst, attacker]))
    const missingRecipient = Buffer.from(await sealBytes(paddedJson(defaultSubmission(questionnaire, `one recipient ${marker()}`)), [analyst]))
    await tamper(s, (db) => appendConsistently(db, missingRecipient, tokenHash(tokenOf(s.links[2] ?? ''))))

    const { code, terminal } = await pull(s, ['--check-backup', join(s.ws, 'backup-identity.age')])
    expect(code).toBe(3)
    const report = JSON.parse(terminal.stdout[0] ?? '{}') as { imported: number; setAside: Record<string, number> }
    expect(report.imported).toBe(1)
    expect(report.setAside).toEqual({ backup_cannot_open: 1, recipients_mismatch: 1 })
    const facts = await workspaceFacts(s.ws)
    expect(facts.stories).toEqual([s.stories[0]])
  })

  it('refuses --check-backup with a key that is not the workspace\'s backup', async () => {
    const s = await scene(0)
    const { code, terminal } = await amanat(['pull', '--workspace', s.ws, '--server', s.server.url, '--check-backup', join(s.ws, 'keys', 'analyst.age')], testEnv({ AMANAT_BACKUP_PASSPHRASE: PASSPHRASE }))
    expect(code).toBe(1)
    expect(terminal.stderr.at(-1)).toMatch(/^amanat: keys\.not_backup: /)
  })
})
