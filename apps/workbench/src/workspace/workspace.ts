import { randomBytes, timingSafeEqual } from 'node:crypto'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
  openSync,
  fsyncSync,
  closeSync,
} from 'node:fs'
import { dirname, join, resolve, basename } from 'node:path'
import { createKeySet, DEFAULT_SCRYPT_WORK_FACTOR } from '@amanat/crypto'
import {
  deriveWorkspaceKeys,
  newKdfParams,
  openStore,
  type StoreConfig,
  type WorkspaceKeys,
  type WorkspaceStore,
} from '@amanat/database'
import {
  AnalystId,
  type AmanatError,
  codebookRef,
  inputError,
  integrityError,
  newId,
  type AnalystProfile,
  type Codebook,
} from '@amanat/domain'
import { moveFolderIntoPlace } from '../intake/durable-file.ts'
import { SQLITE_STORE_FILE, WORKSPACE_CONFIG_FILE, WorkspaceConfig } from './workspace-config.ts'

/** The scrypt work factor for identity files in test-only workspaces (age's default is 18). */
const TEST_SCRYPT_WORK_FACTOR = 10
/** Passphrases shorter than this are refused for real workspaces. */
export const MIN_PASSPHRASE_LENGTH = 12

export interface CreateWorkspaceOptions {
  readonly dir: string
  readonly name: string
  readonly passphrase: string
  readonly backupPassphrase: string
  readonly analystLabel: string
  readonly codebook: Codebook
  /** A PostgreSQL URL for a team store on a trusted server; the embedded SQLite file otherwise. */
  readonly postgres?: { readonly url: string; readonly schema: string }
  /** Weak key derivation for automated tests only; recorded in the workspace and warned about. */
  readonly testOnly?: boolean
}

/** An open workspace: its configuration and its store. Close it when done. */
export interface Workspace {
  readonly dir: string
  readonly config: WorkspaceConfig
  readonly store: WorkspaceStore
  readonly analyst: AnalystProfile
  close(): Promise<void>
}

/**
 * Creates a workspace folder with its keys and store. The folder is built under a temporary name
 * beside the target and renamed into place at the end, so a crash half-way leaves no half-made
 * workspace behind. Refuses a target that exists and is not empty.
 */
export async function createWorkspace(options: CreateWorkspaceOptions): Promise<Workspace> {
  const dir = resolve(options.dir)
  if (existsSync(dir) && readdirSync(dir).length > 0) throw workspaceExists(dir)
  const testOnly = options.testOnly === true
  checkPassphrases(options.passphrase, options.backupPassphrase, testOnly)

  const staging = join(dirname(dir), `.${basename(dir)}.creating-${randomBytes(6).toString('hex')}`)
  mkdirSync(join(staging, 'keys'), { recursive: true, mode: 0o700 })
  try {
    const kdf = newKdfParams({ testOnly })
    const derived = await deriveWorkspaceKeys(options.passphrase, kdf)
    const scryptWorkFactor = testOnly ? TEST_SCRYPT_WORK_FACTOR : DEFAULT_SCRYPT_WORK_FACTOR
    const keys = await createKeySet({
      passphrase: options.passphrase,
      backupPassphrase: options.backupPassphrase,
      scryptWorkFactor,
    })
    writeDurably(join(staging, 'keys', 'analyst.age'), keys.analyst.identityFile)
    writeDurably(join(staging, 'keys', 'signing.age'), keys.signing.keyFile)
    writeDurably(join(staging, 'backup-identity.age'), keys.backup.identityFile)

    const analyst: AnalystProfile = { id: newId(AnalystId), label: options.analystLabel }
    const config: WorkspaceConfig = {
      format: 1,
      name: options.name,
      store:
        options.postgres === undefined
          ? { dialect: 'sqlite', file: SQLITE_STORE_FILE }
          : { dialect: 'postgres', url: options.postgres.url, schema: options.postgres.schema },
      kdf,
      keyCheck: derived.keyCheck,
      keys: {
        analystRecipient: keys.analyst.recipient,
        backupRecipient: keys.backup.recipient,
        signingPublicKey: keys.signing.publicKey,
        signingFingerprint: keys.signing.fingerprint,
        scryptWorkFactor,
      },
      analyst,
      codebook: codebookRef(options.codebook),
      testOnly,
    }
    const store = await openStore({ ...storeConfig(staging, config, derived), create: true })
    try {
      await store.appendBatch('system', [
        { kind: 'workspace.created', name: options.name },
        { kind: 'analyst.added', analyst },
        { kind: 'codebook.adopted', codebook: options.codebook },
      ])
    } finally {
      await store.close()
    }
    writeDurably(join(staging, WORKSPACE_CONFIG_FILE), `${JSON.stringify(config, null, 2)}\n`)
    moveFolderIntoPlace(staging, dir, () => workspaceExists(dir))
  } catch (error) {
    rmSync(staging, { recursive: true, force: true })
    throw error
  }
  return openWorkspace(dir, options.passphrase)
}

function workspaceExists(dir: string): AmanatError {
  return inputError('workspace.exists', `${dir} already exists and is not empty; a workspace is never created over other files.`)
}

/**
 * Opens the workspace in `dir` with its passphrase. A wrong passphrase is an `input` error
 * (`workspace.wrong_passphrase`), told apart from a damaged store (`integrity`) by the verifier in
 * workspace.json; it never creates anything.
 */
export async function openWorkspace(dir: string, passphrase: string): Promise<Workspace> {
  return (await openWorkspaceWithKeys(dir, passphrase)).workspace
}

/**
 * `openWorkspace` for callers that also need the derived keys (the vault, the search index,
 * backups): the passphrase's key derivation is the slow part of opening, so it runs once.
 */
export async function openWorkspaceWithKeys(
  dir: string,
  passphrase: string,
): Promise<{ readonly workspace: Workspace; readonly keys: WorkspaceKeys }> {
  const root = resolve(dir)
  const config = readWorkspaceConfig(root)
  const derived = await deriveWorkspaceKeys(passphrase, config.kdf)
  if (!sameText(derived.keyCheck, config.keyCheck)) {
    throw inputError('workspace.wrong_passphrase', 'That passphrase does not open this workspace.')
  }
  if (config.store.dialect === 'sqlite' && !existsSync(join(root, config.store.file))) {
    throw integrityError(
      'workspace.store_missing',
      `The workspace's store file ${config.store.file} is missing from ${root}.`,
    )
  }
  const store = await openStore(storeConfig(root, config, derived))
  const workspace = { dir: root, config, store, analyst: config.analyst, close: () => store.close() }
  return { workspace, keys: derived }
}

/** Reads and validates workspace.json without asking for the passphrase. */
export function readWorkspaceConfig(dir: string): WorkspaceConfig {
  const file = join(resolve(dir), WORKSPACE_CONFIG_FILE)
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw inputError(
      'workspace.not_found',
      `No Amanat workspace at ${resolve(dir)} (no ${WORKSPACE_CONFIG_FILE}). Create one with: amanat init <dir>`,
    )
  }
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch {
    throw integrityError('workspace.config_invalid', `${file} is not valid JSON.`)
  }
  const parsed = WorkspaceConfig.safeParse(json)
  if (!parsed.success) {
    const where = parsed.error.issues[0]?.path.join('.') ?? ''
    throw integrityError(
      'workspace.config_invalid',
      `${file} is damaged or from an unknown version (at ${where || 'the top'}).`,
    )
  }
  return parsed.data
}

function storeConfig(
  dir: string,
  config: WorkspaceConfig,
  derived: { storeKey: Uint8Array; subjectKek: Uint8Array },
): StoreConfig {
  return config.store.dialect === 'sqlite'
    ? {
        dialect: 'sqlite',
        file: join(dir, config.store.file),
        storeKey: derived.storeKey,
        subjectKek: derived.subjectKek,
      }
    : {
        dialect: 'postgres',
        url: config.store.url,
        schema: config.store.schema,
        subjectKek: derived.subjectKek,
      }
}

function checkPassphrases(passphrase: string, backupPassphrase: string, testOnly: boolean): void {
  if (!testOnly && passphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw inputError(
      'passphrase.too_short',
      `The workspace passphrase needs at least ${String(MIN_PASSPHRASE_LENGTH)} characters; a few random words are best.`,
    )
  }
  if (!testOnly && backupPassphrase.length < MIN_PASSPHRASE_LENGTH) {
    throw inputError(
      'passphrase.too_short',
      `The backup passphrase needs at least ${String(MIN_PASSPHRASE_LENGTH)} characters.`,
    )
  }
  if (passphrase === backupPassphrase) {
    throw inputError(
      'passphrase.reused',
      'The backup passphrase must differ from the workspace passphrase: the backup key is meant to survive the loss of the other.',
    )
  }
}

function sameText(a: string, b: string): boolean {
  const x = Buffer.from(a)
  const y = Buffer.from(b)
  return x.length === y.length && timingSafeEqual(x, y)
}

/** Writes a file and flushes it to disk (owner-only permissions: these files are the workspace). */
function writeDurably(path: string, data: Uint8Array | string): void {
  writeFileSync(path, data, { mode: 0o600 })
  const fd = openSync(path, 'r')
  try {
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
}

