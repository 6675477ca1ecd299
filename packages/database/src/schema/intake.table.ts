/**
 * The chain of pulls from each intake server, projected from `intake.pulled` events that name the
 * pull they follow (`after`). The key (server, after_seq) admits one successor per pull: of two
 * pulls that started from the same one, the second one's transaction fails, so what it read is
 * not imported a second time. `seq` is the recording event's seq.
 */
export interface IntakePullTable {
  server: string
  after_seq: number
  seq: number
}
