import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { POSTGRES_URL, postgresAvailable } from '../../../tools/test-support/services.ts'
import { readCodebook } from '../src/workspace/codebook-file.ts'
import { createWorkspace, openWorkspace } from '../src/workspace/workspace.ts'
import { PASSPHRASES, TEST_BACKUP_PASSPHRASE, TEST_PASSPHRASE, amanat, anyFileContains, tempDir } from './support.ts'

const BIN = new URL('../bin/amanat.mjs', import.meta.url).pathname
const hasPostgres = await postgresAvailable()

async function initTestWorkspace(extra: string[] = []): Promise<string> {
  const dir = join(tempDir(), 'ws')
  const run = await amanat(['init', '--test-only-weak-keys', '--analyst', 'tester', ...extra, dir], PASSPHRASES)
  expect(run.stderr.filter((l) => /^amanat: (?!warning:)[a-z_.]+: /.test(l))).toEqual([])
  expect(run.code).toBe(0)
  return dir
}

describe('amanat (the CLI conventions)', () => {
  it('lists every command with --help and exits 0', async () => {
    const run = await amanat(['--help'])
    expect(run.code).toBe(0)
    for (const name of ['init', 'verify', 'demo']) expect(run.stdout.join('\n')).toMatch(new RegExp(`^  ${name} `, 'm'))
  })

  it('gives every command its own --help', async () => {
    for (const name of ['init', 'verify', 'demo']) {
      const run = await amanat([name, '--help'])
      expect(run.code).toBe(0)
      expect(run.stdout.join('\n')).toMatch(new RegExp(`^Usage: amanat ${name}`))
    }
  })

  it('refuses an unknown command and an unknown option as usage errors (exit 2)', async () => {
    const unknown = await amanat(['frobnicate'])
    expect(unknown.code).toBe(2)
    expect(unknown.stderr[0]).toMatch(/^amanat: usage\.unknown_command: /)
    const badOption = await amanat(['verify', '--no-such-flag'])
    expect(badOption.code).toBe(2)
    expect(badOption.stderr[0]).toMatch(/^amanat: usage\.bad_option: /)
    const noWorkspace = await amanat(['verify'])
    expect(noWorkspace.code).toBe(2)
    expect(noWorkspace.stderr[0]).toMatch(/^amanat: usage\.no_workspace: /)
  })

  it('runs as a real process: errors on stderr, nothing on stdout, exit codes kept', () => {
    const dir = tempDir()
    const result = spawnSync(process.execPath, [BIN, 'verify', '--workspace', dir], {
      encoding: 'utf8',
      env: { ...process.env, AMANAT_PASSPHRASE: 'whatever' },
    })
    expect(result.status).toBe(1)
    expect(result.stdout).toBe('')
    expect(result.stderr).toMatch(/^amanat: workspace\.not_found: No Amanat workspace at /)
  })
})

describe('amanat init', () => {
  it('creates a workspace whose files hold no secret key in clear, and records the test-only setting', async () => {
    const dir = await initTestWorkspace()
    for (const file of ['workspace.json', 'workspace.db', 'keys/analyst.age', 'keys/signing.age', 'backup-identity.age']) {
      expect(existsSync(join(dir, file)), file).toBe(true)
    }
    expect(anyFileContains(dir, 'AGE-SECRET-KEY-')).toBeNull()
    const config = JSON.parse(readFileSync(join(dir, 'workspace.json'), 'utf8')) as { testOnly: boolean; analyst: { label: string } }
    expect(config.testOnly).toBe(true)
    expect(config.analyst.label).toBe('tester')
    expect(readFileSync(join(dir, 'workspace.db')).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0')
  })

  it('warns on every command that opens a test-only workspace', async () => {
    const dir = await initTestWorkspace()
    const run = await amanat(['verify', '--workspace', dir], PASSPHRASES)
    expect(run.code).toBe(0)
    expect(run.stderr.join('\n')).toMatch(/warning: .*TEST-ONLY/)
  })

  it('never creates a workspace over existing files', async () => {
    const dir = tempDir()
    writeFileSync(join(dir, 'notes.txt'), 'someone else\'s file')
    const run = await amanat(['init', '--test-only-weak-keys', dir], PASSPHRASES)
    expect(run.code).toBe(1)
    expect(run.stderr.at(-1)).toMatch(/^amanat: workspace\.exists: /)
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('someone else\'s file')
  })

  it('never removes a file saved into the empty target folder while the keys were being derived', async () => {
    const dir = tempDir()
    // createWorkspace checks the folder, then waits for the key derivation: the file arrives then.
    const creating = createWorkspace({ dir, name: 'late', passphrase: TEST_PASSPHRASE, backupPassphrase: TEST_BACKUP_PASSPHRASE, analystLabel: 'tester', codebook: readCodebook(), testOnly: true })
    writeFileSync(join(dir, 'notes.txt'), 'saved meanwhile')
    await expect(creating).rejects.toMatchObject({ code: 'workspace.exists' })
    expect(readFileSync(join(dir, 'notes.txt'), 'utf8')).toBe('saved meanwhile')
    // Nothing of the refused workspace stays behind, beside the folder or in it.
    expect(readdirSync(dir)).toEqual(['notes.txt'])
    expect(readdirSync(dirname(dir)).filter((name) => name.includes('.creating-'))).toEqual([])
  })

  it('of two inits of one folder at once, keeps the one that finished first and refuses the other', async () => {
    const dir = join(tempDir(), 'ws')
    const first = { AMANAT_PASSPHRASE: 'the first passphrase here', AMANAT_BACKUP_PASSPHRASE: 'the first backup passphrase' }
    const second = { AMANAT_PASSPHRASE: 'the second passphrase here', AMANAT_BACKUP_PASSPHRASE: 'the second backup passphrase' }
    const runs = await Promise.all([
      amanat(['init', '--test-only-weak-keys', '--name', 'first', dir], first),
      amanat(['init', '--test-only-weak-keys', '--name', 'second', dir], second),
    ])
    expect(runs.map((r) => r.code).sort()).toEqual([0, 1])
    const winner = runs[0]?.code === 0 ? first : second
    const loser = runs[0]?.code === 0 ? runs[1] : runs[0]
    expect(loser?.stderr.at(-1)).toMatch(/^amanat: workspace\.exists: /)
    // The workspace that was reported created is the one in the folder, whole.
    const workspace = await openWorkspace(dir, winner.AMANAT_PASSPHRASE)
    await workspace.close()
    expect((await amanat(['verify', '--workspace', dir], winner)).code).toBe(0)
  })

  it('refuses a short passphrase and a backup passphrase equal to the workspace one', async () => {
    const short = await amanat(['init', join(tempDir(), 'a')], { AMANAT_PASSPHRASE: 'short', AMANAT_BACKUP_PASSPHRASE: 'another long passphrase' })
    expect(short.code).toBe(1)
    expect(short.stderr[0]).toMatch(/^amanat: passphrase\.too_short: /)
    const same = await amanat(['init', '--test-only-weak-keys', join(tempDir(), 'b')], { AMANAT_PASSPHRASE: 'same words twice', AMANAT_BACKUP_PASSPHRASE: 'same words twice' })
    expect(same.code).toBe(1)
    expect(same.stderr.at(-1)).toMatch(/^amanat: passphrase\.reused: /)
  })

  it('prints JSON alone on stdout with --json', async () => {
    const dir = join(tempDir(), 'ws')
    const run = await amanat(['init', '--test-only-weak-keys', '--json', dir], PASSPHRASES)
    expect(run.code).toBe(0)
    expect(run.stdout).toHaveLength(1)
    const result = JSON.parse(run.stdout[0] ?? '') as { store: string; recipients: { analyst: string; backup: string } }
    expect(result.store).toBe('sqlite')
    expect(result.recipients.analyst).toMatch(/^age1/)
    expect(result.recipients.backup).not.toBe(result.recipients.analyst)
  })
})

describe('amanat verify', () => {
  it('reports an intact chain and its head, and accepts that head as a checkpoint', async () => {
    const dir = await initTestWorkspace()
    const run = await amanat(['verify', '--workspace', dir], PASSPHRASES)
    expect(run.code).toBe(0)
    expect(run.stdout[0]).toMatch(/^chain ok: 3 events$/)
    const head = /^head: ([0-9a-f]{64})$/.exec(run.stdout[1] ?? '')?.[1]
    expect(head).toBeDefined()
    const again = await amanat(['verify', '--workspace', dir, '--expect-head', head ?? ''], PASSPHRASES)
    expect(again.code).toBe(0)
    const wrong = await amanat(['verify', '--workspace', dir, '--expect-head', 'f'.repeat(64)], PASSPHRASES)
    expect(wrong.code).toBe(3)
    expect(wrong.stderr.at(-1)).toMatch(/^amanat: workspace\.checkpoint_missing: /)
  })

  it('refuses a wrong passphrase with a clear error and changes nothing', async () => {
    const dir = await initTestWorkspace()
    const before = readFileSync(join(dir, 'workspace.db'))
    const run = await amanat(['verify', '--workspace', dir], { AMANAT_PASSPHRASE: 'not the passphrase at all' })
    expect(run.code).toBe(1)
    expect(run.stderr.at(-1)).toBe('amanat: workspace.wrong_passphrase: That passphrase does not open this workspace.')
    expect(readFileSync(join(dir, 'workspace.db')).equals(before)).toBe(true)
  })

  it('exits 3 and names the first broken link when an event was edited in the store', async () => {
    const dir = await initTestWorkspace()
    const workspace = await openWorkspace(dir, TEST_PASSPHRASE)
    try {
      // An attacker who holds the key rewrites who wrote the second event.
      await workspace.store.db.updateTable('events').set({ author: 'system-forged' }).where('seq', '=', 2).execute()
    } finally {
      await workspace.close()
    }
    const run = await amanat(['verify', '--workspace', dir], PASSPHRASES)
    expect(run.code).toBe(3)
    expect(run.stderr.at(-1)).toMatch(/^amanat: workspace\.chain_broken: The event log is broken at event 2: /)
    expect(run.stdout).toEqual([])
  })

  it('prints the report as JSON alone on stdout with --json', async () => {
    const dir = await initTestWorkspace()
    const run = await amanat(['verify', '--workspace', dir, '--json'], PASSPHRASES)
    expect(run.code).toBe(0)
    expect(run.stdout).toHaveLength(1)
    expect(JSON.parse(run.stdout[0] ?? '')).toMatchObject({ ok: true, events: 3 })
  })

  it('takes the workspace from AMANAT_WORKSPACE', async () => {
    const dir = await initTestWorkspace()
    const run = await amanat(['verify'], { ...PASSPHRASES, AMANAT_WORKSPACE: dir })
    expect(run.code).toBe(0)
  })
})

describe.skipIf(!hasPostgres)('amanat init --postgres', () => {
  it('keeps the store in a PostgreSQL schema and verifies it', async () => {
    const schema = `wb_${Math.random().toString(36).slice(2, 10)}`
    const dir = await initTestWorkspace(['--postgres', POSTGRES_URL, '--schema', schema])
    expect(existsSync(join(dir, 'workspace.db'))).toBe(false)
    const run = await amanat(['verify', '--workspace', dir], PASSPHRASES)
    expect(run.code).toBe(0)
    expect(run.stdout[0]).toBe('chain ok: 3 events')
    const { default: pg } = await import('pg')
    const client = new pg.Client({ connectionString: POSTGRES_URL })
    await client.connect()
    try {
      await client.query(`drop schema ${schema} cascade`)
    } finally {
      await client.end()
    }
  })
})
