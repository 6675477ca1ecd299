import { sql, type Kysely, type Migration } from 'kysely'
import { clusteredFor, type ColumnTypes } from './column-types.ts'

/**
 * The first schema: the event log, respondents' wrapped keys and the projections. Frozen once
 * released: later changes are new migrations, never edits here (T19: upgrades are tested against
 * workspaces written by earlier versions).
 *
 * Layout for bulk imports of random ids: no SQLite index starts with a random id. Everything a
 * respondent owns is keyed by (respondent_no, id), so a new respondent's rows land at the end of
 * each B-tree instead of on a random page of it (a random page per row per commit made a
 * million-respondent load write tens of gigabytes), and `subject_keys` is keyed by the number on
 * SQLite (the subject is found in memory) and by subject on PostgreSQL. `events` has only its seq.
 *
 * No foreign keys between projection tables: they are derived from the log, the log may mention a
 * testimony before or without its respondent, and replay must never fail on order.
 */
export function initialMigration(types: ColumnTypes): Migration {
  const clustered = clusteredFor(types)
  return {
    async up(db: Kysely<unknown>): Promise<void> {
      await db.schema
        .createTable('events')
        .addColumn('seq', types.seq, (c) => c.primaryKey().notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('author', 'text', (c) => c.notNull())
        .addColumn('recorded_at', 'text', (c) => c.notNull())
        .addColumn('subject', 'text')
        .addColumn('prev_hash', types.bytes, (c) => c.notNull())
        .addColumn('hash', types.bytes, (c) => c.notNull())
        // Last, so reading the hashes never has to step over a long body.
        .addColumn('body', types.bytes, (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('subject_keys')
        .addColumn('subject', 'text', (c) => (types.keysBySubject ? c.primaryKey().notNull() : c.notNull()))
        .addColumn('respondent_no', types.seq, (c) =>
          types.keysBySubject ? c.notNull().unique() : c.primaryKey().notNull(),
        )
        .addColumn('wrapped_key', types.bytes, (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('workspace')
        .addColumn('id', 'integer', (c) =>
          c
            .primaryKey()
            .notNull()
            .check(sql`id = 1`),
        )
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('analysts')
        .addColumn('id', 'text', (c) => c.primaryKey().notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('codebooks')
        .addColumn('ref', 'text', (c) => c.primaryKey().notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('json', 'text', (c) => c.notNull())
        .execute()

      await db.schema
        .createTable('respondents')
        .addColumn('respondent_no', types.seq, (c) => c.primaryKey().notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('collection_mode', 'text', (c) => c.notNull())
        .addColumn('residence_country', 'text')
        .addColumn('ethnicity', 'text')
        .addColumn('status', 'text')
        .addColumn('gender', 'text')
        .addColumn('age_band', 'text')
        .addColumn('occupation', 'text')
        .addColumn('activist', 'integer')
        .addColumn('impacts', 'text', (c) => c.notNull())
        .addColumn('disclosure', 'text', (c) => c.notNull())
        .addColumn('consent_uses', 'text', (c) => c.notNull())
        .addColumn('consent_withdrawn', 'integer', (c) => c.notNull())
        .addColumn('consent_form', 'text', (c) => c.notNull())
        .addColumn('consent_recorded_on', 'text', (c) => c.notNull())
        .addColumn('pseudonym', 'text')
        .execute()
      await db.schema
        .createIndex('respondents_by_country')
        .on('respondents')
        .column('residence_country')
        .execute()

      // Testimonies hold long text: a rowid table, so rows are appended and the key index stays small.
      await db.schema
        .createTable('testimonies')
        .addColumn('respondent_no', types.seq, (c) => c.notNull())
        .addColumn('id', 'text', (c) => c.notNull())
        .addColumn('respondent_id', 'text', (c) => c.notNull())
        .addColumn('source_mode', 'text', (c) => c.notNull())
        .addColumn('questionnaire_id', 'text')
        .addColumn('questionnaire_version', 'text')
        .addColumn('interviewer', 'text')
        .addColumn('interview_date', 'text')
        .addColumn('interview_country', 'text')
        .addColumn('interview_locality', 'text')
        .addColumn('consent_given_orally', 'integer')
        .addColumn('received_on', 'text', (c) => c.notNull())
        .addColumn('answers', 'text', (c) => c.notNull())
        .addColumn('narratives', 'text', (c) => c.notNull())
        .addColumn('translation', 'text')
        .addColumn('attachments', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('testimonies_pk', ['respondent_no', 'id'])
        .execute()

      await clustered(
        db.schema
          .createTable('incidents')
          .addColumn('respondent_no', types.seq, (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('testimony_id', 'text', (c) => c.notNull())
          .addColumn('respondent_id', 'text', (c) => c.notNull())
          .addColumn('type', 'text', (c) => c.notNull())
          .addColumn('channel', 'text')
          .addColumn('perpetrator', 'text')
          .addColumn('target', 'text', (c) => c.notNull())
          .addColumn('relative_id', 'text')
          .addColumn('received_country', 'text')
          .addColumn('received_locality', 'text')
          .addColumn('origin_country', 'text')
          .addColumn('origin_locality', 'text')
          .addColumn('date_precision', 'text', (c) => c.notNull())
          .addColumn('date_value', 'text')
          .addColumn('year', 'integer')
          .addColumn('confidence', 'text', (c) => c.notNull())
          .addColumn('note', 'text')
          .addColumn('codebook', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('incidents_pk', ['respondent_no', 'id']),
      ).execute()
      await db.schema.createIndex('incidents_by_type').on('incidents').columns(['type', 'year']).execute()

      await clustered(
        db.schema
          .createTable('relatives')
          .addColumn('respondent_no', types.seq, (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('respondent_id', 'text', (c) => c.notNull())
          .addColumn('source_testimony_id', 'text')
          .addColumn('relation', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('since_precision', 'text', (c) => c.notNull())
          .addColumn('since_value', 'text')
          .addColumn('last_contact_precision', 'text', (c) => c.notNull())
          .addColumn('last_contact_value', 'text')
          .addColumn('note', 'text')
          .addColumn('codebook', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('relatives_pk', ['respondent_no', 'id']),
      ).execute()

      await clustered(
        db.schema
          .createTable('identifiers')
          .addColumn('respondent_no', types.seq, (c) => c.notNull())
          .addColumn('id', 'text', (c) => c.notNull())
          .addColumn('respondent_id', 'text', (c) => c.notNull())
          .addColumn('source_testimony_id', 'text')
          .addColumn('kind', 'text', (c) => c.notNull())
          .addColumn('value', 'text', (c) => c.notNull())
          .addColumn('normalised', 'text')
          .addPrimaryKeyConstraint('identifiers_pk', ['respondent_no', 'id']),
      ).execute()
      await db.schema
        .createIndex('identifiers_by_normalised')
        .on('identifiers')
        .column('normalised')
        .execute()

      await clustered(
        db.schema
          .createTable('identifier_incidents')
          .addColumn('respondent_no', types.seq, (c) => c.notNull())
          .addColumn('identifier_id', 'text', (c) => c.notNull())
          .addColumn('incident_id', 'text', (c) => c.notNull())
          .addColumn('source_testimony_id', 'text')
          .addPrimaryKeyConstraint('identifier_incidents_pk', [
            'respondent_no',
            'identifier_id',
            'incident_id',
          ]),
      ).execute()
    },
  }
}
