import type { WorkbenchSession } from './session.ts'

const locks = new WeakMap<WorkbenchSession, Promise<unknown>>()

/**
 * Runs `work` after every earlier serialised call of the session. A change to a respondent reads
 * the whole record and records it again: two such changes at once (consent and disclosure saved
 * from the page together) would otherwise each write the record they read, and the last would
 * undo the first.
 */
export function serialised<T>(session: WorkbenchSession, work: () => Promise<T>): Promise<T> {
  const run = (locks.get(session) ?? Promise.resolve()).then(work, work)
  locks.set(
    session,
    run.catch(() => undefined),
  )
  return run
}
