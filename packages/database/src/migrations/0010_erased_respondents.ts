import { sql, type Kysely, type Migration } from 'kysely'
import type { ColumnTypes } from './column-types.ts'

/**
 * `erased_respondents` (schema/erased.table.ts): the ids no event may be recorded about again,
 * filled from the `respondent.erased` events already in the log (their bodies are plain JSON:
 * they have no subject). Frozen once released.
 */
export function erasedRespondentsMigration(types: ColumnTypes): Migration {
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('erased_respondents')
        .addColumn('respondent_id', 'text', (c) => c.primaryKey())
        .addColumn('seq', types.seq, (c) => c.notNull())
        .execute()
      await sql`insert into "erased_respondents" ("respondent_id", "seq")
        select ${types.jsonField('body', 'respondentId')}, max("seq") from "events"
        where "kind" = 'respondent.erased' group by 1`.execute(db)
    },
  }
}
