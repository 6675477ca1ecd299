const locks = new WeakMap<object, Promise<unknown>>()

/**
 * Runs `work` after every earlier serialised call of `owner` (a service session, the vault). A
 * change to a respondent reads the whole record and records it again: two such changes at once
 * (consent and disclosure saved from the page together) would otherwise each write the record
 * they read, and the last would undo the first.
 */
export function serialised<T>(owner: object, work: () => Promise<T>): Promise<T> {
  const run = (locks.get(owner) ?? Promise.resolve()).then(work, work)
  locks.set(
    owner,
    run.catch(() => undefined),
  )
  return run
}
