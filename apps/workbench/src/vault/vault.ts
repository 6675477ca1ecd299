import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto'
import type { WorkspaceStore } from '@amanat/database'
import { describeIssues, inputError, integrityError } from '@amanat/domain'
import { serialised } from '../service/serialised.ts'
import { VaultEntry, vaultTermsFor } from './vault-entry.ts'
import { sealedEntriesFor, versionOf, type ExpectedEntry, type SealedEntries } from './vault-storage.ts'

export { VAULT_DIR } from './vault-storage.ts'

const VERSION = 1
const NONCE = 12
const TAG = 16

/**
 * The vault (DESIGN.md): each respondent's identifying details, one sealed entry per respondent,
 * under a key of its own so the workspace can travel without it: files in `<workspace>/vault/`
 * for an embedded workspace (a travel copy leaves the folder behind), rows of the store for a
 * team's PostgreSQL workspace, shared by its analysts (vault-storage.ts).
 *
 * Two keys guard an entry, and both are needed to open it: the vault key (derived from the
 * workspace passphrase with its own HKDF label, never stored) and the entry key, a random key
 * kept in the store (`vault_keys`, projected from a `vault.keyed` event sealed under the
 * respondent's own key). Erasing the respondent destroys the entry key with the rest of them, so
 * an entry is dead even in a copy of the vault made earlier. Entry names are keyed hashes of the
 * respondent id: the folder (or table) shows how many entries exist, not whose.
 */
export class Vault {
  readonly #entries: SealedEntries
  readonly #key: Buffer
  readonly #store: WorkspaceStore

  constructor(workspaceDir: string, vaultKey: Uint8Array, store: WorkspaceStore) {
    this.#entries = sealedEntriesFor(workspaceDir, store)
    this.#key = Buffer.from(vaultKey)
    this.#store = store
  }

  /**
   * Sets the respondent's entry, replacing any earlier one. The first entry of a respondent
   * records its key in the log as `author`. Throws input `input.invalid` for an entry that does
   * not match the schema, input `respondent.not_found` for a respondent the workspace lacks.
   * With `expected` (the `version` {@link read} gave, or null for "there is no entry yet"), it is
   * written only over that version: input `record.changed` when someone else changed, set or
   * removed the entry since, and nothing is written.
   */
  set(author: string, respondentId: string, entry: unknown, expected?: ExpectedEntry): Promise<void> {
    // One at a time: two first entries at once would each draw an entry key and record it, and
    // the file could end up sealed under the one the store did not keep.
    return serialised(this, () => this.#set(author, respondentId, entry, expected))
  }

  async #set(author: string, respondentId: string, entry: unknown, expected: ExpectedEntry): Promise<void> {
    const parsed = VaultEntry.safeParse(entry)
    if (!parsed.success) {
      throw inputError(
        'input.invalid',
        `The vault entry is not valid: ${describeIssues(parsed.error).join('; ')}.`,
      )
    }
    let entryKey = await this.#entryKey(respondentId)
    if (entryKey === null) {
      if ((await this.#store.respondentNo(respondentId)) === null) {
        throw inputError('respondent.not_found', 'This workspace holds no respondent with that id.')
      }
      const fresh = randomBytes(32)
      await this.#store.append(author, { kind: 'vault.keyed', respondentId, key: fresh.toString('base64') })
      fresh.fill(0)
      // The store keeps the first key recorded: another process may have recorded one just before.
      entryKey = await this.#entryKey(respondentId)
      if (entryKey === null) throw inputError('respondent.not_found', 'This workspace holds no respondent with that id.')
    }
    const name = this.#fileName(respondentId)
    const key = this.#sealKey(entryKey, respondentId)
    const nonce = randomBytes(NONCE)
    const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG })
    cipher.setAAD(Buffer.from(name), { plaintextLength: 0 })
    const body = Buffer.concat([cipher.update(JSON.stringify(parsed.data), 'utf8'), cipher.final()])
    key.fill(0)
    const sealed = Buffer.concat([Buffer.of(VERSION), nonce, body, cipher.getAuthTag()])
    if (!(await this.#entries.write(name, sealed, expected))) throw entryChanged()
  }

  /** The respondent's entry and its version (null without an entry), for an edit that must not write over another. */
  async read(respondentId: string): Promise<{ entry: VaultEntry | null; version: string | null }> {
    const sealed = await this.#entries.read(this.#fileName(respondentId))
    const entry = await this.#open(respondentId, sealed)
    return { entry, version: entry === null ? null : versionOf(sealed) }
  }

  /**
   * The respondent's entry, or null when there is none (never set, removed, or the respondent
   * was erased). Throws integrity `vault.corrupt` when the entry does not authenticate.
   */
  async get(respondentId: string): Promise<VaultEntry | null> {
    return (await this.read(respondentId)).entry
  }

  async #open(respondentId: string, sealed: Buffer | null): Promise<VaultEntry | null> {
    const name = this.#fileName(respondentId)
    if (sealed === null) return null
    const entryKey = await this.#entryKey(respondentId)
    if (entryKey === null) return null
    const key = this.#sealKey(entryKey, respondentId)
    try {
      if (sealed.length < 1 + NONCE + TAG || sealed[0] !== VERSION) throw new Error('bad header')
      const decipher = createDecipheriv('chacha20-poly1305', key, sealed.subarray(1, 1 + NONCE), {
        authTagLength: TAG,
      })
      decipher.setAAD(Buffer.from(name), { plaintextLength: 0 })
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG))
      const plain = Buffer.concat([
        decipher.update(sealed.subarray(1 + NONCE, sealed.length - TAG)),
        decipher.final(),
      ])
      return VaultEntry.parse(JSON.parse(plain.toString('utf8')))
    } catch {
      throw integrityError('vault.corrupt', 'A vault entry is damaged or was altered; it was not read.')
    } finally {
      key.fill(0)
    }
  }

  /**
   * Removes the respondent's entry (a file is overwritten first). True when there was one. In turn
   * with {@link set}: a removal while an entry is being written must not be followed by that write.
   * With `expected`, only that version (input `record.changed` otherwise, and the entry stays).
   */
  remove(respondentId: string, expected?: ExpectedEntry): Promise<boolean> {
    return serialised(this, async () => {
      const done = await this.#entries.remove(this.#fileName(respondentId), expected)
      if (done === 'changed') throw entryChanged()
      return done === 'removed'
    })
  }

  /** The strings a story about this respondent must not contain (empty without an entry). */
  async termsFor(respondentId: string): Promise<string[]> {
    const entry = await this.get(respondentId)
    return entry === null ? [] : vaultTermsFor(entry)
  }

  /** Wipes the vault key from memory. */
  close(): void {
    this.#key.fill(0)
  }

  async #entryKey(respondentId: string): Promise<Buffer | null> {
    const no = await this.#store.respondentNo(respondentId)
    if (no === null) return null
    const row = await this.#store.db
      .selectFrom('vault_keys')
      .select('key')
      .where('respondent_no', '=', no)
      .executeTakeFirst()
    return row === undefined ? null : Buffer.from(row.key)
  }

  #sealKey(entryKey: Buffer, respondentId: string): Buffer {
    const ikm = Buffer.concat([this.#key, entryKey])
    const key = Buffer.from(
      hkdfSync('sha256', ikm, Buffer.alloc(0), `amanat vault entry v1\n${respondentId}`, 32),
    )
    ikm.fill(0)
    return key
  }

  #fileName(respondentId: string): string {
    const mac = createHmac('sha256', this.#key).update(`amanat vault name v1\n${respondentId}`).digest('hex')
    return `${mac.slice(0, 32)}.entry`
  }
}

const entryChanged = () =>
  inputError(
    'record.changed',
    'This vault entry was changed or removed after it was read; nothing was saved. Read it again and repeat the change.',
  )
