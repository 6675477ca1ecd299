import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join, sep } from 'node:path'
import ExcelJS from 'exceljs'
import { describe, expect, it } from 'vitest'
import { POSTGRES_URL, postgresAvailable } from '../../../../tools/test-support/services.ts'
import { newInviteToken, tokenHash } from '../../src/intake/invites.ts'
import { unlockWithKeys } from '../../src/keys/unlock-keys.ts'
import { Vault } from '../../src/vault/vault.ts'
import { openWorkspace } from '../../src/workspace/workspace.ts'
import { PASSPHRASES, TEST_PASSPHRASE, amanat, anyFileContains, tempDir } from '../support.ts'
import { capturedTerminal } from '../support/terminal.ts'
import { decryptedDump, markedWorkspace, occurrences, workspaceKeys } from './support.ts'

const hasPostgres = await postgresAvailable()

const ENTRY = {
  names: ['Vaultname Synthetic-Qadir'],
  contacts: [{ kind: 'phone', value: '+90 555 010 9999' }],
  address: 'Vaultstreet 12, Vaulttown',
  documents: [{ kind: 'passport', number: 'VP1234567' }],
  relativeNames: ['Vaultrelative Synthetic'],
  inviteTokenHash: null,
}

async function withVaultEntry() {
  const { dir, marked } = await markedWorkspace({ respondents: 5, markers: ['VAULTTEST1'] })
  const unlocked = await unlockWithKeys(dir, capturedTerminal(PASSPHRASES))
  try {
    await unlocked.vault.set(unlocked.workspace.analyst.id, marked[0]!.id, ENTRY)
    expect(await unlocked.vault.get(marked[0]!.id)).toEqual(ENTRY)
    expect(await unlocked.vault.termsFor(marked[0]!.id)).toEqual(
      expect.arrayContaining([
        'Vaultname Synthetic-Qadir',
        'VP1234567',
        '905550109999',
        'Vaulttown',
        'Vaultrelative Synthetic',
      ]),
    )
  } finally {
    await unlocked.close()
  }
  return { dir, id: marked[0]!.id, key: marked[0]!.key }
}

describe('the vault', () => {
  it('keeps identifying details out of the store, sealed in their own folder; refuses bad entries and unknown respondents', async () => {
    const { dir, id } = await withVaultEntry()
    const keys = await workspaceKeys(dir)
    const dump = decryptedDump(join(dir, 'workspace.db'), keys.storeKey)
    expect(occurrences(dump, 'VAULTTEST1')).toBeGreaterThan(0)
    for (const term of ['Vaultname', 'VP1234567', 'Vaultstreet']) expect(occurrences(dump, term)).toBe(0)
    expect(anyFileContains(dir, 'Vaultname')).toBeNull()
    expect(readdirSync(join(dir, 'vault'))).toHaveLength(1)
    const unlocked = await unlockWithKeys(dir, capturedTerminal(PASSPHRASES))
    try {
      const author = unlocked.workspace.analyst.id
      await expect(unlocked.vault.set(author, id, { ...ENTRY, names: [''] })).rejects.toMatchObject({
        code: 'input.invalid',
      })
      await expect(unlocked.vault.set(author, '0'.repeat(26), ENTRY)).rejects.toMatchObject({
        code: 'respondent.not_found',
      })
      // Two first entries of one respondent at once: one entry key, and the last entry reads back.
      const [fresh] = (
        await unlocked.workspace.store.db
          .selectFrom('respondents')
          .select('id')
          .where('id', '!=', id)
          .limit(1)
          .execute()
      ).map((r) => r.id)
      if (fresh === undefined) throw new Error('expected another respondent')
      const second = { ...ENTRY, names: ['Vaultname Second-Synthetic'] }
      await Promise.all([unlocked.vault.set(author, fresh, ENTRY), unlocked.vault.set(author, fresh, second)])
      const keyed = (await unlocked.workspace.store.events({ limit: 10_000 })).filter(
        (e) => e.body?.kind === 'vault.keyed' && e.body.respondentId === fresh,
      )
      expect(keyed).toHaveLength(1)
      expect(await unlocked.vault.get(fresh)).toEqual(second)
      // A removal asked for while an entry is being written comes after that write, not before it.
      const [written, removed] = await Promise.all([
        unlocked.vault.set(author, fresh, ENTRY),
        unlocked.vault.remove(fresh),
      ])
      expect(written).toBeUndefined()
      expect(removed).toBe(true)
      expect(await unlocked.vault.get(fresh)).toBeNull()
    } finally {
      await unlocked.close()
    }
  })

  it('seals a first entry under the key the store kept when another process recorded one at the same time', async () => {
    const { dir, marked } = await markedWorkspace({ respondents: 2, markers: ['VAULTRACE1', 'VAULTRACE2'] })
    const [first, second] = marked
    if (first === undefined || second === undefined) throw new Error('expected two marked respondents')
    const unlocked = await unlockWithKeys(dir, capturedTerminal(PASSPHRASES))
    try {
      const store = unlocked.workspace.store
      /**
       * The store as this process sees it, with another process's first entry key for the same
       * respondent recorded just before or just after this one's: two first entries crossing.
       */
      const crossing = (otherFirst: boolean) =>
        new Proxy(store, {
          get(target, name) {
            // Bound to the store itself: its methods use private fields.
            const value = Reflect.get(target, name, target) as unknown
            if (name !== 'append')
              return typeof value === 'function' ? (value as () => unknown).bind(target) : value
            return async (...args: Parameters<typeof store.append>) => {
              const [author, body] = args
              const other = async () => {
                if (body.kind === 'vault.keyed')
                  await target.append(author, { ...body, key: Buffer.alloc(32, 9).toString('base64') })
              }
              if (otherFirst) await other()
              const appended = await target.append(...args)
              if (!otherFirst) await other()
              return appended
            }
          },
        })
      const keys = await workspaceKeys(dir)
      for (const [person, otherFirst] of [
        [first, false],
        [second, true],
      ] as const) {
        const vault = new Vault(dir, keys.vaultKey, crossing(otherFirst))
        await vault.set(unlocked.workspace.analyst.id, person.id, ENTRY)
        expect(await vault.get(person.id)).toEqual(ENTRY)
        expect(await unlocked.vault.get(person.id)).toEqual(ENTRY)
      }
    } finally {
      await unlocked.close()
    }
  })

  it('amanat vault: sets, shows, imports (all lines checked first) and removes entries, details from files only', async () => {
    const { dir, marked } = await markedWorkspace({ respondents: 3, markers: ['VAULTCLI1', 'VAULTCLI2'] })
    const [first, second] = marked
    if (first === undefined || second === undefined) throw new Error('expected two marked respondents')
    const files = tempDir()
    const token = newInviteToken()
    const entryFile = join(files, 'entry.json')
    writeFileSync(
      entryFile,
      JSON.stringify({
        names: ['Vaultcli Synthetic-One'],
        contacts: [{ kind: 'telegram', value: '@vaultcli_one' }],
        invite: `https://intake.invalid/#q=x&t=${token}&f=y`,
      }),
    )
    const vault = (args: string[]) => amanat(['vault', ...args, '--workspace', dir], PASSPHRASES)
    expect((await vault(['set', '--respondent', first.key, '--file', entryFile])).code).toBe(0)
    const shown = await vault(['show', '--respondent', first.key, '--json'])
    expect(JSON.parse(shown.stdout.join('\n'))).toEqual({
      respondentId: first.id,
      entry: {
        names: ['Vaultcli Synthetic-One'],
        contacts: [{ kind: 'telegram', value: '@vaultcli_one' }],
        address: null,
        documents: [],
        relativeNames: [],
        inviteTokenHash: tokenHash(token),
      },
    })
    expect((await vault(['show', '--respondent', first.key])).stdout).toContain(
      'name: Vaultcli Synthetic-One',
    )
    for (const term of ['Vaultcli', 'vaultcli_one', token])
      expect(anyFileContains(dir, term), term).toBeNull()

    // A file with a wrong line writes nothing; each problem is named by line, without its content.
    const lines = (entries: object[]) => {
      const file = join(files, `entries-${String(entries.length)}.jsonl`)
      writeFileSync(file, entries.map((e) => JSON.stringify(e)).join('\n'))
      return file
    }
    const refused = await vault([
      'import',
      '--file',
      lines([
        { respondent: first.key, names: ['Vaultcli Replaced'] },
        { respondent: 'R-NOSUCH', names: ['Vaultcli Nobody'] },
        { respondent: second.key, contacts: [{ kind: 'pager', value: 'Vaultcli 123' }] },
        { respondent: first.key, names: ['Vaultcli Twice'] },
      ]),
    ])
    expect(refused.code).toBe(1)
    const said = refused.stderr.join('\n')
    for (const line of ['line 2:', 'line 3:', 'line 4: the same respondent as line 1'])
      expect(said).toContain(line)
    expect(said).toContain('vault.lines_refused')
    expect(said).not.toContain('Vaultcli')
    expect(
      JSON.parse((await vault(['show', '--respondent', first.key, '--json'])).stdout.join('')),
    ).toMatchObject({
      entry: { names: ['Vaultcli Synthetic-One'] },
    })

    const imported = await vault([
      'import',
      '--file',
      lines([
        { respondent: first.key, names: ['Vaultcli Replaced'] },
        { respondent: second.key, names: ['Vaultcli Two'], address: 'Vaultcli road 2' },
      ]),
    ])
    expect(imported.code).toBe(0)
    expect(imported.stdout).toEqual(['vault entries set: 2'])
    expect(
      JSON.parse((await vault(['show', '--respondent', second.key, '--json'])).stdout.join('')),
    ).toMatchObject({
      entry: { names: ['Vaultcli Two'], address: 'Vaultcli road 2', inviteTokenHash: null },
    })

    expect((await vault(['remove', '--respondent', first.key])).code).toBe(0)
    expect(JSON.parse((await vault(['show', '--respondent', first.key, '--json'])).stdout.join(''))).toEqual({
      respondentId: first.id,
      entry: null,
    })
    const usage = await vault(['set', '--respondent', first.key])
    expect(usage.code).toBe(2)
    expect(usage.stderr.join('\n')).toContain('usage.no_file')
  })

  it("amanat vault import takes a team's contact list as CSV or XLSX, every row checked first", async () => {
    const { dir, marked } = await markedWorkspace({ respondents: 3, markers: ['VAULTCSV1', 'VAULTCSV2'] })
    const [first, second] = marked
    if (first === undefined || second === undefined) throw new Error('expected two marked respondents')
    const files = tempDir()
    const vault = (args: string[]) => amanat(['vault', ...args, '--workspace', dir], PASSPHRASES)
    const shown = async (key: string) =>
      (
        JSON.parse((await vault(['show', '--respondent', key, '--json'])).stdout.join('')) as {
          entry: unknown
        }
      ).entry
    const csv = (name: string, rows: string[][]) => {
      const file = join(files, name)
      writeFileSync(
        file,
        `${rows.map((row) => row.map((cell) => `"${cell.replace(/"/g, '""')}"`).join(',')).join('\r\n')}\r\n`,
      )
      return file
    }
    const header = ['Respondent', 'names', 'phone', 'wechat', 'passport', 'relative_names', 'address']
    // A wrong row refuses the file; the message names the line, never the details.
    const refused = await vault([
      'import',
      '--file',
      csv('refused.csv', [
        header,
        [first.key, 'Vaultcsv Synthetic; ۋاۋلت سىنتېتىك', '+90 555 010 1111', '', '', '', ''],
        ['R-NOSUCH', 'Vaultcsv Nobody', '', '', '', '', ''],
      ]),
    ])
    expect(refused.code).toBe(1)
    expect(refused.stderr.join('\n')).toContain('line 3:')
    expect(refused.stderr.join('\n')).not.toContain('Vaultcsv')
    expect(await shown(first.key)).toBeNull()
    // An unknown column refuses the whole file before any row is read.
    const badHeader = await vault([
      'import',
      '--file',
      csv('header.csv', [
        ['respondent', 'nickname'],
        [first.key, 'x'],
      ]),
    ])
    expect(badHeader.code).toBe(1)
    expect(badHeader.stderr.join('\n')).toContain('vault.bad_header')
    expect(badHeader.stderr.join('\n')).toContain('nickname')

    const imported = await vault([
      'import',
      '--file',
      csv('people.csv', [
        header,
        [
          first.key,
          'Vaultcsv Synthetic; ۋاۋلت سىنتېتىك',
          '+90 555 010 1111',
          'vaultcsv_wx',
          'VC1234567',
          '',
          'Vaultcsv street 1',
        ],
        ['', '', '', '', '', '', ''],
        [second.key, '瓦尔特 合成', '', '', '', 'Vaultcsv Relative; Vaultcsv Other', ''],
      ]),
    ])
    expect(imported.code).toBe(0)
    expect(imported.stdout).toEqual(['vault entries set: 2'])
    expect(await shown(first.key)).toEqual({
      names: ['Vaultcsv Synthetic', 'ۋاۋلت سىنتېتىك'],
      contacts: [
        { kind: 'phone', value: '+90 555 010 1111' },
        { kind: 'wechat', value: 'vaultcsv_wx' },
      ],
      address: 'Vaultcsv street 1',
      documents: [{ kind: 'passport', number: 'VC1234567' }],
      relativeNames: [],
      inviteTokenHash: null,
    })
    expect(await shown(second.key)).toMatchObject({
      names: ['瓦尔特 合成'],
      relativeNames: ['Vaultcsv Relative', 'Vaultcsv Other'],
    })

    // The same from the first sheet of a workbook, a phone number typed as a number included.
    const workbook = new ExcelJS.Workbook()
    const sheet = workbook.addWorksheet('people')
    sheet.addRow(['respondent', 'names', 'phone', 'national_id'])
    sheet.addRow([second.key, 'Vaultxlsx Synthetic', 905550102222, 'NI-778'])
    const xlsx = join(files, 'people.xlsx')
    await workbook.xlsx.writeFile(xlsx)
    expect((await vault(['import', '--file', xlsx])).code).toBe(0)
    expect(await shown(second.key)).toMatchObject({
      names: ['Vaultxlsx Synthetic'],
      contacts: [{ kind: 'phone', value: '905550102222' }],
      documents: [{ kind: 'national_id', number: 'NI-778' }],
    })
    for (const term of ['Vaultcsv', 'Vaultxlsx', 'VC1234567', 'ۋاۋلت', '瓦尔特'])
      expect(anyFileContains(dir, term), term).toBeNull()

    // --wipe-source: a refused file stays (nothing lost); a kept one is overwritten and removed.
    const list = csv('wiped.csv', [header, ['R-NOSUCH', 'Vaultwipe Nobody', '', '', '', '', '']])
    expect((await vault(['import', '--file', list, '--wipe-source'])).code).toBe(1)
    expect(existsSync(list)).toBe(true)
    const kept = csv('kept.csv', [header, [first.key, 'Vaultwipe Synthetic', '', '', '', '', '']])
    const wiped = await vault(['import', '--file', kept, '--wipe-source'])
    expect(wiped.code).toBe(0)
    expect(wiped.stderr.join('\n')).toContain('source file overwritten and removed')
    expect(existsSync(kept)).toBe(false)
    expect(await shown(first.key)).toMatchObject({ names: ['Vaultwipe Synthetic'] })
    expect((await vault(['show', '--respondent', first.key, '--wipe-source'])).code).toBe(2)
  })

  it.skipIf(!hasPostgres && process.env.CI !== 'true')(
    "on a team store (PostgreSQL) is the team's: every analyst reads the entries and every story check knows them (needs PostgreSQL)",
    async () => {
      const schema = `keys_vault_${String(process.pid)}_${String(Date.now())}`
      const { dir, marked } = await markedWorkspace({
        respondents: 3,
        markers: ['PGVAULT1', 'PGVAULT2'],
        postgres: { url: POSTGRES_URL, schema },
      })
      // A second analyst's folder: the workspace's configuration and keys, as handed over, and no vault.
      const second = join(tempDir(), 'second-analyst')
      cpSync(dir, second, { recursive: true, filter: (path) => !path.includes(`${sep}vault`) })
      const show = async (folder: string, key: string) =>
        JSON.parse(
          (await amanat(['vault', 'show', '--json', '--workspace', folder, '--respondent', key], PASSPHRASES))
            .stdout[0] ?? 'null',
        ) as { entry: { names: string[] } | null }
      const file = join(tempDir(), 'entry.json')
      writeFileSync(file, JSON.stringify({ names: ['Vaultpg Synthetic'] }))
      const set = await amanat(
        ['vault', 'set', '--workspace', dir, '--respondent', marked[0]!.key, '--file', file],
        PASSPHRASES,
      )
      expect(set.code).toBe(0)
      // Kept in the store, sealed, not in this machine's folder.
      expect(existsSync(join(dir, 'vault')) ? readdirSync(join(dir, 'vault')) : []).toEqual([])
      expect((await show(second, marked[0]!.key)).entry?.names).toEqual(['Vaultpg Synthetic'])
      const unlocked = await unlockWithKeys(second, capturedTerminal(PASSPHRASES))
      try {
        expect(await unlocked.vault.termsFor(marked[0]!.id)).toContain('Vaultpg Synthetic')
        const rows = await unlocked.workspace.store.db.selectFrom('vault_entries').selectAll().execute()
        expect(rows).toHaveLength(1)
        expect(Buffer.from(rows[0]!.sealed).includes('Vaultpg')).toBe(false)

        // An entry this machine kept as a file before the team's vault moved into the store is
        // moved in on first use; the other analyst then reads it too.
        writeFileSync(file, JSON.stringify({ names: ['Vaultold Synthetic'] }))
        await amanat(
          ['vault', 'set', '--workspace', dir, '--respondent', marked[1]!.key, '--file', file],
          PASSPHRASES,
        )
        const moved = await unlocked.workspace.store.db
          .deleteFrom('vault_entries')
          .returningAll()
          .where('name', 'not in', [rows[0]!.name])
          .execute()
        expect(moved).toHaveLength(1)
        mkdirSync(join(dir, 'vault'), { recursive: true })
        writeFileSync(join(dir, 'vault', moved[0]!.name), moved[0]!.sealed)
        expect((await show(second, marked[1]!.key)).entry).toBeNull()
        expect((await show(dir, marked[1]!.key)).entry?.names).toEqual(['Vaultold Synthetic'])
        expect(readdirSync(join(dir, 'vault'))).toEqual([])
        expect((await show(second, marked[1]!.key)).entry?.names).toEqual(['Vaultold Synthetic'])

        // Two analysts read the same version: the first to save wins, the other is refused (a
        // compare-and-set in the store), and the alias the first added stays for the story checks.
        const seen = await unlocked.vault.read(marked[1]!.id)
        const mine = await unlockWithKeys(dir, capturedTerminal(PASSPHRASES))
        try {
          const withAlias = { ...ENTRY, names: ['Vaultold Synthetic', 'Vaultalias Synthetic'] }
          await mine.vault.set(mine.workspace.analyst.id, marked[1]!.id, withAlias, seen.version)
        } finally {
          await mine.close()
        }
        const changed = { code: 'record.changed' }
        await expect(
          unlocked.vault.set(
            unlocked.workspace.analyst.id,
            marked[1]!.id,
            { ...ENTRY, names: ['Vaultold'] },
            seen.version,
          ),
        ).rejects.toMatchObject(changed)
        await expect(unlocked.vault.remove(marked[1]!.id, seen.version)).rejects.toMatchObject(changed)
        await expect(
          unlocked.vault.set(unlocked.workspace.analyst.id, marked[1]!.id, ENTRY, null),
        ).rejects.toMatchObject(changed)
        expect(await unlocked.vault.termsFor(marked[1]!.id)).toContain('Vaultalias Synthetic')

        // Removed by one analyst, gone for both.
        expect(
          (
            await amanat(
              ['vault', 'remove', '--workspace', second, '--respondent', marked[0]!.key],
              PASSPHRASES,
            )
          ).code,
        ).toBe(0)
        expect((await show(dir, marked[0]!.key)).entry).toBeNull()
        // Erased by one analyst: the entry's row goes with the respondent.
        expect(
          (await amanat(['erase', '--workspace', dir, '--respondent', marked[1]!.key], PASSPHRASES)).code,
        ).toBe(0)
        expect(await unlocked.workspace.store.db.selectFrom('vault_entries').selectAll().execute()).toEqual(
          [],
        )
      } finally {
        await unlocked.close()
      }
    },
  )

  it('erasure kills the entry, even in a copy of the vault file made before', async () => {
    const { dir, id, key } = await withVaultEntry()
    const [file] = readdirSync(join(dir, 'vault'))
    const copy = readFileSync(join(dir, 'vault', file!))
    expect((await amanat(['erase', '--workspace', dir, '--respondent', key], PASSPHRASES)).code).toBe(0)
    expect(existsSync(join(dir, 'vault', file!))).toBe(false)
    const unlocked = await unlockWithKeys(dir, capturedTerminal(PASSPHRASES))
    try {
      writeFileSync(join(dir, 'vault', file!), copy)
      expect(await unlocked.vault.get(id)).toBeNull()
      expect(await unlocked.workspace.store.db.selectFrom('vault_keys').selectAll().execute()).toEqual([])
    } finally {
      await unlocked.close()
    }
  })
})

describe('amanat travel and wipe (T18)', () => {
  it('a travel copy opens with the passphrase, holds the coded data and no vault, identity or key file', async () => {
    const { dir, key } = await withVaultEntry()
    const out = join(tempDir(), 'travel')
    const run = await amanat(['travel', '--workspace', dir, '--out', out], PASSPHRASES)
    expect(run.code).toBe(0)
    expect(run.stdout.join('\n')).toMatch(/left behind:[\s\S]*vault/)
    expect(readdirSync(out).sort()).toEqual(['workspace.db', 'workspace.json'])
    expect(anyFileContains(out, 'AGE-SECRET-KEY-')).toBeNull()
    const dump = decryptedDump(join(out, 'workspace.db'), (await workspaceKeys(out)).storeKey)
    expect(occurrences(dump, 'VAULTTEST1')).toBeGreaterThan(0)
    for (const term of ['Vaultname', 'VP1234567', 'Vaultstreet', '905550109999'])
      expect(occurrences(dump, term)).toBe(0)
    const travel = await openWorkspace(out, TEST_PASSPHRASE)
    try {
      expect((await travel.store.verify()).ok).toBe(true)
      expect(
        await travel.store.db.selectFrom('respondents').select('key').where('key', '=', key).execute(),
      ).toHaveLength(1)
    } finally {
      await travel.close()
    }
    expect(await amanat(['travel', '--workspace', dir, '--out', out], PASSPHRASES)).toMatchObject({ code: 1 })
  })

  it('wipe overwrites and removes every file of the workspace; refuses a folder that is not one', async () => {
    const { dir } = await withVaultEntry()
    const parent = join(dir, '..')
    const notWorkspace = tempDir()
    expect((await amanat(['wipe', '--workspace', notWorkspace])).code).toBe(1)
    expect(existsSync(notWorkspace)).toBe(true)
    const run = await amanat(['wipe', '--workspace', dir])
    expect(run.code).toBe(0)
    expect(run.stdout.join('\n')).toMatch(/SSDs/)
    expect(existsSync(dir)).toBe(false)
    expect(readdirSync(parent)).toEqual([])
  })
})
