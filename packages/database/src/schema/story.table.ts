/**
 * Case stories (migration 0006), projected from `story.recorded` and `story.removed`. A story's
 * text is as sensitive as the testimony it retells, so its rows are a respondent's rows: keyed by
 * `respondent_no`, deleted when the respondent is erased, and rebuilt only from events sealed
 * under the respondent's key. `publish` is 1 when an analyst marked the story for publication.
 */
export interface StoryTable {
  respondent_no: number
  id: string
  language: string
  title: string
  text: string
  publish: number
  /** The seq of the event that last wrote the row: its version (0 if written before migration 0011). */
  written_seq: number
}
