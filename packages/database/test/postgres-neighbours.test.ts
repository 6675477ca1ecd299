import { describe, expect, it } from 'vitest'
import { freshStore, RUNNABLE_DIALECTS, withPostgres } from './setup.ts'

/**
 * A team's PostgreSQL server holds several workspaces, each in its own schema, and a test run
 * creates and drops schemas all the time. Opening a workspace runs its migrations, which look up
 * the migration tables; that lookup must stay inside the workspace's schema. Kysely's own
 * introspector scans every schema, and one dropped during the scan failed the open with
 * `workspace.migration_failed` ("schema … does not exist").
 */
describe.runIf(RUNNABLE_DIALECTS.includes('postgres'))('a PostgreSQL workspace beside others', () => {
  it('opens (and migrates) while neighbouring schemas are created and dropped', async () => {
    const t = await freshStore('postgres')
    let churning = true
    const churn = withPostgres(async (client) => {
      for (let n = 0; churning; n++) {
        const name = `neighbour_${String(n % 4)}`
        await client.query(`create schema if not exists ${name}`)
        await client.query(`create table if not exists ${name}.t (a int, b text, c bytea)`)
        await client.query(`drop schema ${name} cascade`)
      }
    })
    try {
      for (let i = 0; i < 40; i++) {
        const again = await t.reopen()
        const tables = await again.db.introspection.getTables()
        expect(new Set(tables.map((table) => table.schema))).toEqual(new Set([t.schema]))
        expect(tables.map((table) => table.name)).toContain('events')
        await again.close()
      }
    } finally {
      churning = false
      await churn
      await t.dispose()
    }
  })
})
