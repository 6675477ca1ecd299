/**
 * @amanat/intake-server — the blind intake server (docs/intake-protocol.md). It stores ciphertext,
 * token hashes, random ids and days; it holds no private key and cannot reach any decryption code
 * (lint bans the imports; test/bundle.test.ts checks the built bundle's dependency graph).
 */
export { createApp, createIntakeApp, type AppDeps, type IntakeApp } from './app.ts'
export { readConfig, type IntakeConfig } from './config.ts'
export { utcToday, addDays, type Clock } from './clock.ts'
export { ensureCredential, newCredential } from './credential.ts'
export { inspectAgeFile, inspectAgeHeader, isPayloadLength, sealedSize, type AgeShape } from './age-header.ts'
export { byteLimits, DEFAULT_LIMITS, textBucket, attachmentBucket, CHUNK_BYTES, type IntakeLimits, type ByteLimits } from './limits.ts'
export { DEFAULT_RATE_LIMITS, type RateLimits } from './rate-limit.ts'
export { hashToken } from './invites/token-hash.ts'
export { CONTENT_SECURITY_POLICY, securityHeaderValues } from './http/security-headers.ts'
export { loadStaticFiles, type StaticFiles } from './http/static-files.ts'
export { startIntakeServer, openStore, TIMEOUTS, type RunningServer, type ServerOutput } from './server.ts'
export { openSqliteStore, SQLITE_FILE } from './storage/sqlite-store.ts'
export { openPostgresStore, parsePostgresUrl, DEFAULT_INTAKE_SCHEMA } from './storage/postgres-store.ts'
export { chainHash, chainProblem, sha256Hex } from './storage/chain.ts'
export type { IntakeStore, IntakeWrite, IntakeOutcome, StoredItem, StoreCheck, StoreLimits } from './storage/intake-store.ts'
export { GroupCommitter, DEFAULT_GROUP_COMMIT, type GroupCommitOptions } from './storage/group-commit.ts'
