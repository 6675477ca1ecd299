import { sql, type Kysely } from 'kysely'
import type { IntakeTables } from './tables.ts'

/**
 * The intake store's schema, one list of steps per dialect, applied in order and recorded as
 * `schema_version` in `meta`. Kysely's own Migrator is not used: its bookkeeping table records
 * the time of each migration, and this store keeps no time finer than a day (T08).
 */

export type Dialect = 'sqlite' | 'postgres'

const blob = (dialect: Dialect) => (dialect === 'sqlite' ? 'blob' : 'bytea')

function steps(dialect: Dialect): string[][] {
  const bytes = blob(dialect)
  return [
    [
      `create table if not exists meta (key text primary key, value text not null)`,
      `create table questionnaires (id text primary key, document text not null, published_on text not null)`,
      `create table recipient_counts (questionnaire_id text not null, recipients integer not null,
         primary key (questionnaire_id, recipients))`,
      `create table invites (token_hash text primary key, questionnaire_id text not null,
         expires_on text not null, revoked integer not null default 0)`,
      `create table invite_uses (token_hash text primary key, submission_id text, submission_hash text,
         quarantined integer not null default 0)`,
      // Keyed by the chain seq, which only grows: every batch appends at the end of the table
      // instead of dirtying random pages (the random id gets its own index for deletions).
      `create table items (seq integer primary key, id text not null unique, kind text not null,
         token_hash text not null, client_id text not null, body ${bytes} not null, body_hash text not null,
         day text not null)`,
      `create table quarantine_keys (token_hash text not null, client_id text not null, body_hash text not null,
         primary key (token_hash, client_id, body_hash))`,
      `create table uploads (upload_id text primary key, token_hash text not null, chunk_count integer not null,
         day text not null, seq integer unique)`,
      `create index uploads_token on uploads (token_hash)`,
      `create table chunks (upload_id text not null, idx integer not null, body ${bytes} not null,
         primary key (upload_id, idx))`,
      `create table chain (seq integer primary key, kind text not null, item_id text not null,
         item_hash text not null, day text not null, prev_hash text not null, hash text not null,
         deleted_ids text)`,
    ],
    // SQLite: items without the unique index on their random ids, which cost a random page in
    // every group commit; the store finds items by id through ItemSeqs (docs/decisions/0022).
    // A column constraint cannot be dropped, so the table is copied. PostgreSQL keeps its index.
    dialect === 'sqlite'
      ? [
          `create table items_v2 (seq integer primary key, id text not null, kind text not null,
             token_hash text not null, client_id text not null, body blob not null, body_hash text not null,
             day text not null)`,
          `insert into items_v2 (seq, id, kind, token_hash, client_id, body, body_hash, day)
             select seq, id, kind, token_hash, client_id, body, body_hash, day from items order by seq`,
          `drop table items`,
          `alter table items_v2 rename to items`,
        ]
      : [],
    // SQLite: invite uses appended, without the key on their random token hashes, for the same
    // reason; the store finds them through AppendedInviteUses. PostgreSQL keeps its key.
    dialect === 'sqlite'
      ? [
          `create table invite_uses_v3 (token_hash text not null, submission_id text, submission_hash text,
             quarantined integer not null default 0)`,
          `insert into invite_uses_v3 (token_hash, submission_id, submission_hash, quarantined)
             select token_hash, submission_id, submission_hash, quarantined from invite_uses`,
          `drop table invite_uses`,
          `alter table invite_uses_v3 rename to invite_uses`,
        ]
      : [],
  ]
}

/** The schema version this code writes. */
export const SCHEMA_VERSION = 3

/**
 * Brings the schema up to {@link SCHEMA_VERSION}. The caller holds whatever lock keeps two
 * processes from migrating at once (SQLite: `begin immediate`; PostgreSQL: an advisory lock).
 *
 * @throws Error when the database was written by a newer version of this code.
 */
export async function migrate(db: Kysely<IntakeTables>, dialect: Dialect): Promise<void> {
  await sql.raw(`create table if not exists meta (key text primary key, value text not null)`).execute(db)
  const row = await db.selectFrom('meta').select('value').where('key', '=', 'schema_version').executeTakeFirst()
  const current = row === undefined ? 0 : Number(row.value)
  const all = steps(dialect)
  if (!Number.isInteger(current) || current > all.length) {
    throw new Error('intake store: the database was written by a newer version of the intake server')
  }
  for (let version = current + 1; version <= all.length; version++) {
    for (const statement of all[version - 1] ?? []) await sql.raw(statement).execute(db)
  }
  if (current < all.length) {
    await db
      .insertInto('meta')
      .values({ key: 'schema_version', value: String(all.length) })
      .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(all.length) }))
      .execute()
  }
}
