import { inputError, TestimonyId } from '@amanat/domain'

/**
 * Keyset cursors for the workbench's lists. Every list pages in (respondent_no, testimony_id)
 * order, the order of its indexes, so the next page starts strictly after the last row shown and
 * costs the same however deep it is (no OFFSET). The cursor is opaque to the UI.
 */
export interface ListKey {
  readonly respondentNo: number
  readonly testimonyId: string
}

/** Encodes the key of the last row of a page. */
export function encodeCursor(key: ListKey): string {
  return Buffer.from(`${String(key.respondentNo)}:${key.testimonyId}`, 'utf8').toString('base64url')
}

/** Decodes a cursor; throws input `list.bad_cursor` for anything a list did not hand out. */
export function decodeCursor(cursor: string): ListKey {
  const text = Buffer.from(cursor, 'base64url').toString('utf8')
  const match = /^(\d{1,15}):(.*)$/.exec(text)
  const id = TestimonyId.safeParse(match?.[2])
  if (match === null || !id.success)
    throw inputError('list.bad_cursor', 'That list position is not valid; start from the first page.')
  return { respondentNo: Number(match[1]), testimonyId: id.data }
}

/** Page sizes a list accepts. */
export const MAX_PAGE = 500

/** Checks a page size: an integer from 1 to {@link MAX_PAGE}; throws input `list.bad_limit`. */
export function checkLimit(limit: number): number {
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE)
    throw inputError('list.bad_limit', `A page holds 1 to ${String(MAX_PAGE)} rows.`)
  return limit
}
