import type { WorkspaceStore } from '@amanat/database'
import { inputError } from '@amanat/domain'

/** A respondent as the key commands address them. */
export interface RespondentRef {
  readonly id: string
  readonly key: string
  readonly pseudonym: string | null
  readonly respondentNo: number
}

/**
 * Finds the one respondent that `ref` names: their key (as imported or pulled), their id, or
 * their pseudonym. Throws input `respondent.not_found` when none matches and
 * `respondent.ambiguous` when several do (a pseudonym equal to another respondent's key).
 */
export async function findRespondent(store: WorkspaceStore, ref: string): Promise<RespondentRef> {
  const text = ref.trim()
  const rows = await store.db
    .selectFrom('respondents')
    .select(['id', 'key', 'pseudonym', 'respondent_no'])
    .where((eb) => eb.or([eb('key', '=', text), eb('id', '=', text), eb('pseudonym', '=', text)]))
    .limit(2)
    .execute()
  const [row, other] = rows
  if (row === undefined)
    throw inputError('respondent.not_found', 'No respondent in this workspace has that key, id or pseudonym.')
  if (other !== undefined) {
    throw inputError(
      'respondent.ambiguous',
      'Several respondents match; give the respondent key or id instead.',
    )
  }
  return { id: row.id, key: row.key, pseudonym: row.pseudonym, respondentNo: row.respondent_no }
}
