/**
 * The key of each respondent's vault entry (the entries themselves are sealed files in the
 * workspace folder, or `vault_entries` rows on a team's PostgreSQL store). Projected from
 * `vault.keyed`, an event sealed under the respondent's own key: erasing the respondent deletes
 * this row and destroys that key, so the vault entry can never be opened again, wherever a copy of
 * it went.
 */
export interface VaultKeyTable {
  respondent_no: number
  respondent_id: string
  /** 32 random bytes. */
  key: Buffer
}

/**
 * A sealed vault entry on a team's PostgreSQL store, shared by its analysts (on SQLite the entries
 * are files and this table stays empty). Not a projection: the vault writes it directly, and it
 * never enters the log. `name` is the entry's keyed name (an HMAC of the respondent id under the
 * vault key), so the table shows how many entries exist, not whose.
 */
export interface VaultEntryTable {
  name: string
  sealed: Buffer
}
