import { randomInt } from 'node:crypto'
import {
  Consent,
  DISCLOSURE_WISHES,
  inputError,
  Pseudonym,
  Respondent,
  type DisclosureWish,
} from '@amanat/domain'
import type { RecordVersion } from '@amanat/database'
import { PSEUDONYM_COLOURS, PSEUDONYM_NATURE } from '@amanat/synthetic'
import { utcToday } from '../intake/days.ts'
import { parseRecord, respondentExpected } from './coding.ts'
import { loadRespondent } from './records.ts'
import { serialised } from './serialised.ts'
import type { WorkbenchSession } from './session.ts'
import type { ConsentChange } from './types.ts'

/**
 * What a respondent agreed to and how they want to be named: consent per use (withdrawal
 * overrides every use), the disclosure wish, and the pseudonym registry. Each change re-records
 * the respondent, so every output reads the same values from one place.
 */

/**
 * Changes a respondent's consent; unspecified parts stay as they were, the day defaults to today.
 *
 * @throws AmanatError input `input.invalid` (an unknown or repeated use, a bad day), `respondent.not_found`,
 *   `record.changed` (the respondent was changed since `change.version`, or while this ran).
 */
export async function setConsent(
  session: WorkbenchSession,
  respondentId: string,
  change: ConsentChange,
): Promise<Respondent> {
  return serialised(session, async () => {
    const read = await loadRespondent(session, respondentId)
    const { respondent } = read
    const consent = parseRecord(Consent, {
      uses: change.uses ?? respondent.consent.uses,
      withdrawn: change.withdrawn ?? respondent.consent.withdrawn,
      form: change.form ?? respondent.consent.form,
      recordedOn: change.recordedOn ?? utcToday(),
    })
    return rerecord(session, { ...respondent, consent }, respondentExpected(read, change.version))
  })
}

/** Sets the respondent's disclosure wish (named, pseudonym or anonymous). */
export async function setDisclosure(
  session: WorkbenchSession,
  respondentId: string,
  disclosure: DisclosureWish,
  version?: number,
): Promise<Respondent> {
  if (!DISCLOSURE_WISHES.includes(disclosure))
    throw inputError('input.invalid', `A disclosure wish is one of: ${DISCLOSURE_WISHES.join(', ')}.`)
  return serialised(session, async () => {
    const read = await loadRespondent(session, respondentId)
    return rerecord(session, { ...read.respondent, disclosure }, respondentExpected(read, version))
  })
}

/**
 * The respondent's one pseudonym in this workspace: the one the registry holds, or, the first
 * time, the pseudonym their record already carries if no one else has it, or a new one drawn from
 * word lists chosen so that no pseudonym reads like a real person's name (colour + tree or bird,
 * with a number appended once a pair is taken). Recorded by `pseudonym.assigned` (a unique index
 * keeps it unique) and on the respondent, so every output shows the same name. Calls in one
 * session are serialised, so two respondents never draw the same name.
 */
export function pseudonymFor(session: WorkbenchSession, respondentId: string): Promise<string> {
  return serialised(session, () => assign(session, respondentId))
}

async function assign(session: WorkbenchSession, respondentId: string): Promise<string> {
  const read = await loadRespondent(session, respondentId)
  const { no, respondent } = read
  const db = session.store.db
  const held = await db
    .selectFrom('pseudonyms')
    .select('pseudonym')
    .where('respondent_no', '=', no)
    .executeTakeFirst()
  if (held !== undefined) return held.pseudonym
  const taken = async (name: string) =>
    (await db
      .selectFrom('pseudonyms')
      .select('respondent_no')
      .where('pseudonym', '=', name)
      .executeTakeFirst()) !== undefined
  let pseudonym = respondent.pseudonym
  if (pseudonym === null || (await taken(pseudonym))) pseudonym = await drawFree(taken)
  await session.store.appendBatch(
    session.analyst.id,
    [
      { kind: 'pseudonym.assigned', respondentId: respondent.id, pseudonym },
      { kind: 'respondent.recorded', respondent: { ...respondent, pseudonym } },
    ],
    respondentExpected(read, undefined),
  )
  return pseudonym
}

/** A random word pair nobody holds; after a few taken pairs, a pair with a number. */
async function drawFree(taken: (name: string) => Promise<boolean>): Promise<Pseudonym> {
  for (let attempt = 0; ; attempt += 1) {
    const colour = PSEUDONYM_COLOURS[randomInt(PSEUDONYM_COLOURS.length)] as string
    const nature = PSEUDONYM_NATURE[randomInt(PSEUDONYM_NATURE.length)] as string
    const name =
      attempt < 20 ? `${colour} ${nature}` : `${colour} ${nature} ${String(randomInt(2, 1_000_000))}`
    if (!(await taken(name))) return Pseudonym.parse(name)
  }
}

async function rerecord(
  session: WorkbenchSession,
  changed: Respondent,
  options: { expect: RecordVersion[] },
): Promise<Respondent> {
  const respondent = parseRecord(Respondent, changed)
  await session.store.append(session.analyst.id, { kind: 'respondent.recorded', respondent }, options)
  return respondent
}
