/** Rows per page of {@link scanInPages}: a whole-table read never holds more than this at once. */
const PAGE_ROWS = 10_000

/**
 * Reads a whole table page by page in the order of an increasing integer key (a seq, a rowid),
 * handing every row to `each`. `page(after, limit)` returns up to `limit` rows whose key is
 * greater than `after`, in key order. How the maps in memory (ItemSeqs, AppendedInviteUses) are
 * built from their tables.
 */
export async function scanInPages<R>(
  page: (after: number, limit: number) => Promise<readonly R[]>,
  keyOf: (row: R) => number,
  each: (row: R) => void,
): Promise<void> {
  for (let after = 0; ; ) {
    const rows = await page(after, PAGE_ROWS)
    for (const row of rows) each(row)
    const last = rows[rows.length - 1]
    if (last === undefined) return
    after = keyOf(last)
  }
}
