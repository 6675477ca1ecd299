/**
 * The key of each respondent's vault entry (the vault itself is a separate file, `vault.db`,
 * outside the workspace store). Projected from `vault.keyed`, an event sealed under the
 * respondent's own key: erasing the respondent deletes this row and destroys that key, so the
 * vault entry can never be opened again, wherever a copy of `vault.db` went.
 */
export interface VaultKeyTable {
  respondent_no: number
  respondent_id: string
  /** 32 random bytes. */
  key: Buffer
}
