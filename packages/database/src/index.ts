/**
 * @amanat/database — the workspace store (Node only): the hash-chained event log over encrypted
 * SQLite or PostgreSQL, the tables projected from it, and the workspace's key derivation.
 *
 * Start at {@link openStore} and {@link WorkspaceStore}. Keys come from
 * {@link deriveWorkspaceKeys}; row types (`*.table.ts`) describe storage and stay apart from
 * the domain types of @amanat/domain, converted in `projections/`.
 */
export {
  openStore,
  type WorkspaceStore,
  type WorkspaceEventInput,
  type AppendOptions,
  type EventsQuery,
} from './store.ts'
export {
  EventPreparer,
  isPreparedEvent,
  wipePrepared,
  PREPARED_FORMAT,
  type PreparedEvent,
} from './events/prepared-event.ts'
export { eraseRespondent, recordedErasure, recordedErasures, type ErasureReport } from './erase.ts'
export { snapshotStore } from './snapshot.ts'
export type { RecordVersion } from './engine.ts'
export { RESPONDENT_TABLES } from './projections/erasure.projection.ts'
export type { VaultKeyTable } from './schema/vault.table.ts'
export type { StoreConfig, SqliteStoreConfig, PostgresStoreConfig } from './store-config.ts'
export {
  newKdfParams,
  deriveWorkspaceKeys,
  SCRYPT_N,
  type KdfParams,
  type WorkspaceKeys,
} from './workspace-key.ts'
export type { AppendedEvent, StoredEvent, ChainHead } from './events/stored-event.ts'
export {
  BREAK_REASONS,
  type BreakReason,
  type VerifyReport,
  type VerifyOptions,
} from './events/verify-chain.ts'
export { eventHash, GENESIS_HASH, type ChainedFields } from './events/hash-chain.ts'
export { systemEntropy, type Entropy } from './entropy.ts'
export {
  TABLE_NAMES,
  PROJECTION_TABLES,
  type Database,
  type TableName,
  type ProjectionTable,
} from './schema/database.ts'
export type { EventTable, SubjectKeyTable } from './schema/event.table.ts'
export type { WorkspaceTable, AnalystTable, CodebookTable } from './schema/workspace.table.ts'
export type { RespondentTable } from './schema/respondent.table.ts'
export type { TestimonyTable } from './schema/testimony.table.ts'
export type { IncidentTable } from './schema/incident.table.ts'
export type { RelativeTable } from './schema/relative.table.ts'
export type { IdentifierTable, IdentifierIncidentTable } from './schema/identifier.table.ts'
export { respondentFromRow } from './projections/respondent.projection.ts'
export { testimonyFromRow } from './projections/testimony.projection.ts'
export { incidentFromRow } from './projections/incident.projection.ts'
export { relativeFromRow } from './projections/relative.projection.ts'
export { identifierFromRow } from './projections/identifier.projection.ts'
