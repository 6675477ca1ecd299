import { createHash } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import { isAmanatError } from '@amanat/domain'
import { sql, type Kysely, type Migration } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { workspaceMigrations } from '../src/migrations/index.ts'
import { POSTGRES_TYPES, SQLITE_TYPES } from '../src/migrations/column-types.ts'
import { TABLE_NAMES, TABLE_SPECS } from '../src/schema/database.ts'
import { freshStore, projectionSnapshot, RUNNABLE_DIALECTS, type TestStore } from './setup.ts'
import { BodyBuilder, thrown } from './support.ts'

/**
 * T19, upgrade half: a migration that fails (here, one that decodes every respondent and meets a
 * row it cannot read) aborts and leaves the store exactly as it was; it never re-initialises.
 */
describe.each(RUNNABLE_DIALECTS)('migrations on %s', (dialect) => {
  let t: TestStore
  const types = dialect === 'sqlite' ? SQLITE_TYPES : POSTGRES_TYPES

  beforeEach(async () => {
    t = await freshStore(dialect)
    const build = new BodyBuilder(`migrations-${dialect}`)
    await t.store.appendBatch('system', [
      { kind: 'workspace.created', name: 'w' },
      build.account(),
      build.account(),
    ])
  })
  afterEach(async () => {
    await t.dispose()
  })

  it('create exactly the columns the write path binds', async () => {
    const tables = await t.store.db.introspection.getTables()
    for (const name of TABLE_NAMES) {
      const table = tables.find((x) => x.name === name && (t.schema === null || x.schema === t.schema))
      expect(table?.columns.map((c) => c.name).sort(), name).toEqual([...TABLE_SPECS[name].columns].sort())
    }
  })

  it('abort a failed upgrade and leave the store untouched', async () => {
    const before = await projectionSnapshot(t.store)
    const head = (await t.store.verify()).ok
    await t.store.close()
    const fileBefore = t.file === null ? null : digest(t.file)

    const broken: Migration = {
      async up(db: Kysely<unknown>) {
        await db.schema.createTable('respondent_profiles').addColumn('id', 'text').execute()
        await sql`update respondents set occupation = 'rewritten'`.execute(db)
        const rows = await sql<{ consent_uses: string }>`select consent_uses from respondents`.execute(db)
        for (const row of rows.rows) {
          const uses = JSON.parse(row.consent_uses) as unknown[]
          if (!uses.includes('share_with_lawyer')) throw new Error('cannot decode a respondent row')
        }
      },
    }
    const error = await thrown(
      t.reopen({ migrations: { ...workspaceMigrations(types), '9998_profiles': broken } }),
    )
    expect(isAmanatError(error, 'workspace.migration_failed')).toBe(true)
    expect(isAmanatError(error) && error.kind).toBe('integrity')
    expect(isAmanatError(error) && error.details.migration).toBe('9998_profiles')
    if (t.file !== null) {
      expect(digest(t.file)).toBe(fileBefore)
      expect(existsSync(`${t.file}-wal`) && readFileSync(`${t.file}-wal`).length > 0).toBe(false)
    }

    const again = await t.reopen()
    expect(await projectionSnapshot(again)).toEqual(before)
    expect((await again.verify()).ok).toBe(head)
    const tables = (await again.db.introspection.getTables()).map((x) => x.name)
    expect(tables).not.toContain('respondent_profiles')
    const applied = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(
      again.db,
    )
    expect(applied.rows.map((r) => r.name)).toEqual(Object.keys(workspaceMigrations(types)).sort())
  })

  it('refuse a store written by a newer version instead of guessing', async () => {
    await t.store.close()
    const later: Migration = {
      async up(db: Kysely<unknown>) {
        await db.schema.createTable('later_feature').addColumn('id', 'text').execute()
      },
    }
    const newer = await t.reopen({
      migrations: { ...workspaceMigrations(types), '9999_later_feature': later },
    })
    await newer.close()
    const fileBefore = t.file === null ? null : digest(t.file)
    const refused = await thrown(t.reopen())
    expect(isAmanatError(refused, 'workspace.migration_failed')).toBe(true)
    expect((refused as Error).message).toContain('its recorded schema history does not match this version')
    if (t.file !== null) expect(digest(t.file)).toBe(fileBefore)
  })
})

describe.skipIf(!RUNNABLE_DIALECTS.includes('postgres'))('a PostgreSQL store', () => {
  it('opens a schema that does not exist only when asked to create it', async () => {
    const { openStore } = await import('../src/store.ts')
    const { TEST_POSTGRES_URL, testKeys, withPostgres } = await import('./setup.ts')
    const schema = `missing_${Math.random().toString(36).slice(2, 10)}`
    const { subjectKek } = await testKeys()
    const error = await thrown(openStore({ dialect: 'postgres', url: TEST_POSTGRES_URL, schema, subjectKek }))
    expect(isAmanatError(error, 'workspace.not_found')).toBe(true)
    const found = await withPostgres((client) =>
      client.query('select 1 from pg_namespace where nspname = $1', [schema]),
    )
    expect(found.rowCount).toBe(0)
    const bad = await thrown(
      openStore({ dialect: 'postgres', url: TEST_POSTGRES_URL, schema: 'Robert"; drop', subjectKek }),
    )
    expect(isAmanatError(bad, 'workspace.bad_schema')).toBe(true)
  })
})

function digest(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}
