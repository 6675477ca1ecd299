import { CONSENT_USES, inputError, type ConsentUse } from '@amanat/domain'
import type { Database } from '@amanat/database'
import type { Expression, ExpressionBuilder, Kysely, SelectQueryBuilder, SqlBool } from 'kysely'

/**
 * The consent rule as SQL, for lists and exports that must leave out whoever may not be used.
 * It is the domain's `mayUse` over the projected columns (withdrawal always wins; otherwise the
 * use must be among the respondent's uses), and a property test checks the two agree on every
 * consent. Every output that filters by consent goes through here or through `mayUse`.
 *
 * @throws AmanatError input `consent.unknown_use` for a use that is not a consent use.
 */
export function consentAllows<DB extends Database, TB extends keyof DB & 'respondents'>(
  eb: ExpressionBuilder<DB, TB>,
  use: ConsentUse,
): Expression<SqlBool> {
  const checked = checkUse(use)
  const respondents = eb as unknown as ExpressionBuilder<Database, 'respondents'>
  return respondents.and([
    respondents('respondents.consent_withdrawn', '=', 0),
    respondents('respondents.consent_uses', 'like', `%"${checked}"%`),
  ])
}

/**
 * The respondents whose consent allows `use` now, as a subquery of their numbers:
 * `.where('respondent_no', 'in', consentingRespondents(db, 'quote'))`. For stats, stories and exports.
 *
 * @throws AmanatError input `consent.unknown_use` for a use that is not a consent use.
 */
export function consentingRespondents(
  db: Kysely<Database>,
  use: ConsentUse,
): SelectQueryBuilder<Database, 'respondents', { respondent_no: number }> {
  return db
    .selectFrom('respondents')
    .select('respondent_no')
    .where((eb) => consentAllows(eb, use))
}

function checkUse(use: string): ConsentUse {
  const found = CONSENT_USES.find((u) => u === use)
  if (found === undefined)
    throw inputError('consent.unknown_use', `Expected a consent use: ${CONSENT_USES.join(', ')}.`)
  return found
}
