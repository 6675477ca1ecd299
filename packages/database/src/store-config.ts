import type { Entropy } from './entropy.ts'

/**
 * Where a workspace store lives and the keys that open it. Keys come from
 * `deriveWorkspaceKeys`; the store never sees the passphrase.
 */
export type StoreConfig = SqliteStoreConfig | PostgresStoreConfig

/** An embedded workspace: one SQLite file, encrypted unless `storeKey` is null. */
export interface SqliteStoreConfig {
  readonly dialect: 'sqlite'
  /** The workspace file. Its `-wal` and `-shm` companions live beside it. */
  readonly file: string
  /**
   * The 32-byte page cipher key. `null` opens a plain, unencrypted file: only for benchmarks
   * and the intake server's own needs, never for a workspace holding testimonies.
   */
  readonly storeKey: Uint8Array | null
  /** Wraps respondents' data keys (32 bytes). */
  readonly subjectKek: Uint8Array
  /** Create the file when it does not exist. Without it a missing file is an error. */
  readonly create?: boolean
  /** Tests only: see {@link PostgresStoreConfig.unsafeTestEntropy}. */
  readonly unsafeTestEntropy?: Entropy
}

/** A team's workspace on a trusted PostgreSQL server, in one schema. */
export interface PostgresStoreConfig {
  readonly dialect: 'postgres'
  /** A `postgres://` connection URL for a trusted server. */
  readonly url: string
  /** The schema holding every table (lowercase letters, digits, underscore); default `amanat`. */
  readonly schema?: string
  /** Wraps respondents' data keys (32 bytes). */
  readonly subjectKek: Uint8Array
  /** Create the schema when it does not exist. Without it a missing schema is an error. */
  readonly create?: boolean
  /**
   * Tests only: a deterministic source for event ids, data keys and nonces, so that two stores
   * fed the same operations write the same bytes and hashes. Never in production: a repeated
   * source repeats nonces under the same key.
   */
  readonly unsafeTestEntropy?: Entropy
}
