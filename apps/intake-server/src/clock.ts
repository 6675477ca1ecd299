/**
 * Days, the only unit of time the intake server keeps (SECURITY-TESTS.md T08: no time finer than
 * a day in the database, files or logs). A day is a UTC date, `YYYY-MM-DD`.
 */

/** A function that says what day it is; tests pass a fixed one. */
export type Clock = () => string

/** Today's UTC date. */
export const utcToday: Clock = () => new Date().toISOString().slice(0, 10)

/** `day` moved by `days` (negative goes back). `day` must be `YYYY-MM-DD`. */
export function addDays(day: string, days: number): string {
  const at = Date.parse(`${day}T00:00:00Z`)
  return new Date(at + days * 86_400_000).toISOString().slice(0, 10)
}
