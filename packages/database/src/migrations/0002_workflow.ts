import { sql, type Kysely, type Migration } from 'kysely'
import { clusteredFor, type ColumnTypes } from './column-types.ts'

/**
 * The coding workflow (issue #4): testimony status, the coder of record, independent double
 * codings, the pseudonym registry, where attachments' bytes are in the log, and the indexes the workbench's lists page through by keyset.
 * Frozen once released, like 0001.
 *
 * Every new table is keyed by `respondent_no` first (rows of a new respondent go to the end of
 * each B-tree, see 0001). The list indexes end in (respondent_no, testimony_id), the order every
 * list pages in, so a page is one index range scan however deep it is.
 */
export function workflowMigration(types: ColumnTypes): Migration {
  const clustered = clusteredFor(types)
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await clustered(
        db.schema
          .createTable('testimony_status')
          .addColumn('respondent_no', types.seq, (c) => c.notNull())
          .addColumn('testimony_id', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('note', 'text')
          .addColumn('status_at', 'text', (c) => c.notNull())
          .addColumn('status_seq', types.seq, (c) => c.notNull())
          .addPrimaryKeyConstraint('testimony_status_pk', ['respondent_no', 'testimony_id']),
      ).execute()
      await db.schema
        .createIndex('testimony_status_inbox')
        .on('testimony_status')
        .columns(['status', 'respondent_no', 'testimony_id'])
        .execute()

      await clustered(
        db.schema
          .createTable('testimony_coded')
          .addColumn('respondent_no', types.seq, (c) => c.notNull())
          .addColumn('testimony_id', 'text', (c) => c.notNull())
          .addColumn('coded_seq', types.seq, (c) => c.notNull())
          .addPrimaryKeyConstraint('testimony_coded_pk', ['respondent_no', 'testimony_id']),
      ).execute()

      await clustered(
        db.schema
          .createTable('independent_codings')
          .addColumn('respondent_no', types.seq, (c) => c.notNull())
          .addColumn('testimony_id', 'text', (c) => c.notNull())
          .addColumn('types', 'text', (c) => c.notNull())
          .addColumn('codebook', 'text', (c) => c.notNull())
          .addColumn('coded_seq', types.seq, (c) => c.notNull())
          .addPrimaryKeyConstraint('independent_codings_pk', ['respondent_no', 'testimony_id']),
      ).execute()

      await db.schema
        .createTable('pseudonyms')
        .addColumn('respondent_no', types.seq, (c) => c.primaryKey().notNull())
        .addColumn('pseudonym', 'text', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('pseudonyms_unique').on('pseudonyms').column('pseudonym').unique().execute()

      // Where each attachment's bytes are in the log, so the reader opens one event, not a scan.
      await clustered(
        db.schema
          .createTable('attachment_events')
          .addColumn('respondent_no', types.seq, (c) => c.notNull())
          .addColumn('attachment_id', 'text', (c) => c.notNull())
          .addColumn('seq', types.seq, (c) => c.notNull())
          .addPrimaryKeyConstraint('attachment_events_pk', ['respondent_no', 'attachment_id']),
      ).execute()

      // Filtered lists: incidents by type, country and year, in paging order.
      await db.schema
        .createIndex('incidents_by_type_country_year')
        .on('incidents')
        .columns(['type', 'received_country', 'year', 'respondent_no', 'testimony_id'])
        .execute()
      await db.schema
        .createIndex('incidents_by_country_year')
        .on('incidents')
        .columns(['received_country', 'year', 'respondent_no', 'testimony_id'])
        .execute()
      await db.schema
        .createIndex('testimonies_by_mode')
        .on('testimonies')
        .columns(['source_mode', 'respondent_no', 'id'])
        .execute()
      // The workspace's current codebook is the latest adopted one: a tiny partial index finds it.
      await db.schema
        .createIndex('events_codebook_adoptions')
        .on('events')
        .column('seq')
        .where(sql.ref('kind'), '=', 'codebook.adopted')
        .execute()
    },
  }
}
