import type { EventTable, SubjectKeyTable } from './event.table.ts'
import type { IdentifierIncidentTable, IdentifierTable } from './identifier.table.ts'
import type { IncidentTable } from './incident.table.ts'
import type { RelativeTable } from './relative.table.ts'
import type { RespondentTable } from './respondent.table.ts'
import type { TestimonyTable } from './testimony.table.ts'
import type { AnalystTable, CodebookTable, WorkspaceTable } from './workspace.table.ts'
import type {
  AttachmentEventTable,
  IndependentCodingTable,
  PseudonymTable,
  TestimonyCodedTable,
  TestimonyStatusTable,
} from './workflow.table.ts'
import type { VaultEntryTable, VaultKeyTable } from './vault.table.ts'
import type { StoryTable } from './story.table.ts'
import type { ReleaseTable, StatsCacheTable } from './release.table.ts'
import type { IntakePullTable } from './intake.table.ts'
import type { ErasedRespondentTable } from './erased.table.ts'

/**
 * The workspace schema as Kysely sees it (`store.db` is a `Kysely<Database>`). The same tables
 * exist in both dialects with the same column names and value types, so a query written once
 * runs on both and returns equal rows.
 */
export interface Database {
  events: EventTable
  subject_keys: SubjectKeyTable
  workspace: WorkspaceTable
  analysts: AnalystTable
  codebooks: CodebookTable
  respondents: RespondentTable
  testimonies: TestimonyTable
  incidents: IncidentTable
  relatives: RelativeTable
  identifiers: IdentifierTable
  identifier_incidents: IdentifierIncidentTable
  testimony_status: TestimonyStatusTable
  testimony_coded: TestimonyCodedTable
  independent_codings: IndependentCodingTable
  pseudonyms: PseudonymTable
  attachment_events: AttachmentEventTable
  vault_keys: VaultKeyTable
  stories: StoryTable
  releases: ReleaseTable
  intake_pulls: IntakePullTable
  erased_respondents: ErasedRespondentTable
  stats_cache: StatsCacheTable
  vault_entries: VaultEntryTable
}

/** The name of any workspace table. */
export type TableName = keyof Database

/**
 * The tables rebuilt from the log by `replayProjections()`: every table `projectEvent` writes.
 * Those with a `respondent_no` column are also what erasure deletes (RESPONDENT_TABLES), so a
 * projection table missing here would outlive a respondent's erasure.
 */
export const PROJECTION_TABLES = [
  'workspace',
  'analysts',
  'codebooks',
  'respondents',
  'testimonies',
  'incidents',
  'relatives',
  'identifiers',
  'identifier_incidents',
  'testimony_status',
  'testimony_coded',
  'independent_codings',
  'pseudonyms',
  'attachment_events',
  'vault_keys',
  'stories',
  'releases',
  'intake_pulls',
  'erased_respondents',
] as const satisfies readonly TableName[]
/** The name of a table derived from the log. */
export type ProjectionTable = (typeof PROJECTION_TABLES)[number]

/** Every table of the workspace, in the order `counts()` reports them. */
export const TABLE_NAMES = [
  'events',
  'subject_keys',
  ...PROJECTION_TABLES,
] as const satisfies readonly TableName[]

/** A value as both drivers bind and return it. */
export type SqlValue = string | number | null | Buffer

/**
 * What the write path needs to know about a table to compile its statements once: every column
 * in a fixed order (statement parameters follow it) and the primary key an upsert conflicts on.
 */
export interface TableSpec<T extends TableName> {
  readonly columns: readonly (keyof Database[T] & string)[]
  readonly key: readonly (keyof Database[T] & string)[]
}

type Specs = { readonly [T in TableName]: TableSpec<T> }

/** Column lists per table. A test checks them against the migrated schema of both dialects. */
export const TABLE_SPECS: Specs = {
  events: {
    columns: ['seq', 'id', 'kind', 'author', 'recorded_at', 'subject', 'prev_hash', 'hash', 'body'],
    key: ['seq'],
  },
  subject_keys: { columns: ['subject', 'respondent_no', 'wrapped_key'], key: ['subject'] },
  workspace: { columns: ['id', 'name', 'created_at'], key: ['id'] },
  analysts: { columns: ['id', 'label'], key: ['id'] },
  codebooks: { columns: ['ref', 'id', 'version', 'json'], key: ['ref'] },
  respondents: {
    columns: [
      'respondent_no',
      'id',
      'key',
      'collection_mode',
      'residence_country',
      'ethnicity',
      'status',
      'gender',
      'age_band',
      'occupation',
      'activist',
      'impacts',
      'disclosure',
      'consent_uses',
      'consent_withdrawn',
      'consent_form',
      'consent_recorded_on',
      'pseudonym',
      'written_seq',
    ],
    key: ['respondent_no'],
  },
  testimonies: {
    columns: [
      'respondent_no',
      'id',
      'respondent_id',
      'source_mode',
      'questionnaire_id',
      'questionnaire_version',
      'interviewer',
      'interview_date',
      'interview_country',
      'interview_locality',
      'consent_given_orally',
      'received_on',
      'answers',
      'narratives',
      'translation',
      'attachments',
      'written_seq',
    ],
    key: ['respondent_no', 'id'],
  },
  incidents: {
    columns: [
      'respondent_no',
      'id',
      'testimony_id',
      'respondent_id',
      'type',
      'channel',
      'perpetrator',
      'target',
      'relative_id',
      'received_country',
      'received_locality',
      'origin_country',
      'origin_locality',
      'date_precision',
      'date_value',
      'year',
      'confidence',
      'note',
      'codebook',
      'written_seq',
    ],
    key: ['respondent_no', 'id'],
  },
  relatives: {
    columns: [
      'respondent_no',
      'id',
      'respondent_id',
      'source_testimony_id',
      'relation',
      'status',
      'since_precision',
      'since_value',
      'last_contact_precision',
      'last_contact_value',
      'note',
      'codebook',
      'written_seq',
    ],
    key: ['respondent_no', 'id'],
  },
  identifiers: {
    columns: ['respondent_no', 'id', 'respondent_id', 'source_testimony_id', 'kind', 'value', 'normalised', 'written_seq'],
    key: ['respondent_no', 'id'],
  },
  identifier_incidents: {
    columns: ['respondent_no', 'identifier_id', 'incident_id', 'source_testimony_id'],
    key: ['respondent_no', 'identifier_id', 'incident_id'],
  },
  testimony_status: {
    columns: ['respondent_no', 'testimony_id', 'status', 'note', 'status_at', 'status_seq'],
    key: ['respondent_no', 'testimony_id'],
  },
  testimony_coded: { columns: ['respondent_no', 'testimony_id', 'coded_seq'], key: ['respondent_no', 'testimony_id'] },
  independent_codings: {
    columns: ['respondent_no', 'testimony_id', 'types', 'codebook', 'coded_seq'],
    key: ['respondent_no', 'testimony_id'],
  },
  pseudonyms: { columns: ['respondent_no', 'pseudonym'], key: ['respondent_no'] },
  attachment_events: { columns: ['respondent_no', 'attachment_id', 'seq'], key: ['respondent_no', 'attachment_id'] },
  vault_keys: { columns: ['respondent_no', 'respondent_id', 'key'], key: ['respondent_no'] },
  stories: { columns: ['respondent_no', 'id', 'language', 'title', 'text', 'publish', 'written_seq'], key: ['respondent_no', 'id'] },
  releases: { columns: ['name', 'sha256', 'kind', 'k', 'seq', 'recorded_at', 'tables'], key: ['name', 'sha256'] },
  intake_pulls: { columns: ['server', 'after_seq', 'seq'], key: ['server', 'after_seq'] },
  erased_respondents: { columns: ['respondent_id', 'seq'], key: ['respondent_id'] },
  stats_cache: { columns: ['name', 'version', 'data'], key: ['name'] },
  vault_entries: { columns: ['name', 'sealed'], key: ['name'] },
}
