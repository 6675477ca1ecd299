/** Today's date in UTC as `YYYY-MM-DD` (intake never records anything finer than a day). */
export function utcToday(now: Date = new Date()): string {
  return now.toISOString().slice(0, 10)
}

/** `day` plus `days` whole days, as `YYYY-MM-DD`. */
export function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`)
  date.setUTCDate(date.getUTCDate() + days)
  return date.toISOString().slice(0, 10)
}
