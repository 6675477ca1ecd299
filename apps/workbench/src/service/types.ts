import type {
  AnalystProfile,
  Codebook,
  ConsentUse,
  DisclosureWish,
  Identifier,
  Incident,
  Relative,
  Respondent,
  Testimony,
} from '@amanat/domain'
import type { TestimonyStatus } from '@amanat/domain'

/**
 * The shapes the workbench service hands to the local UI. Plain data: the UI renders them and
 * sends back ids; it never sees a database row or a respondent number.
 */

/** One page of a keyset-paginated list: pass `next` back as `after` for the following page. */
export interface Page<T> {
  readonly items: readonly T[]
  /** An opaque cursor, or null on the last page. */
  readonly next: string | null
}

/** Where a testimony stands in the coding workflow, and who put it there. */
export interface WorkflowState {
  readonly status: TestimonyStatus
  readonly note: string | null
  /** The analyst who set the status (null while it is the initial `new`). */
  readonly by: AnalystProfile | null
  /** When it was set (ISO instant); null while `new`. */
  readonly at: string | null
  /** The analyst who marked it `coded` most recently (the one who may not review it), or null. */
  readonly codedBy: AnalystProfile | null
  /**
   * The status's version (the seq of the event that set it; 0 while `new`): a change sends it
   * back and is refused (`record.changed`) if someone moved the testimony since.
   */
  readonly version: number
}

/** A line of the inbox or of a filtered list. */
export interface TestimonySummary {
  readonly testimonyId: string
  readonly respondentId: string
  /** The organisation's reference (`R-0042`). */
  readonly respondentKey: string
  readonly pseudonym: string | null
  readonly sourceMode: Testimony['source']['mode']
  readonly receivedOn: string
  readonly status: TestimonyStatus
  readonly statusNote: string | null
  readonly incidentCount: number
}

/** Filters of {@link listTestimonies}; all given filters must hold (AND). */
export interface TestimonyFilters {
  /** An incident type code: some incident of the testimony has it. */
  readonly code?: string
  /** A country where an incident was received (ISO alpha-2). With `code`/`year`: the same incident. */
  readonly country?: string
  /** The year of an incident. With `code`/`country`: the same incident. */
  readonly year?: number
  /** How the testimony reached us. */
  readonly collectionMode?: Testimony['source']['mode']
  /** The respondent's consent allows this use now (withdrawal always excludes). */
  readonly consent?: ConsentUse
  readonly status?: TestimonyStatus
}

/** Metadata of an attachment as the reader shows it (bytes via `attachmentBytes`). */
export interface AttachmentInfo {
  readonly id: string
  readonly mediaType: string
  readonly byteLength: number
  readonly originalName: string | null
  readonly metadataKept: boolean
  /** False when the bytes never arrived (or the respondent was erased). */
  readonly available: boolean
  /**
   * Whether the page shows it (a raster image the browser decodes, {@link INLINE_MEDIA_TYPES});
   * anything else is a download, which the browser saves unencrypted.
   */
  readonly inline: boolean
}

/** Images a browser may show inline; anything else (SVG included: it can hold script) is a download. */
export const INLINE_MEDIA_TYPES: ReadonlySet<string> = new Set([
  'image/jpeg',
  'image/png',
  'image/webp',
  'image/gif',
])

/** Everything the reader shows for one testimony. */
export interface TestimonyView {
  readonly respondent: Respondent
  readonly testimony: Testimony
  readonly attachments: readonly AttachmentInfo[]
  readonly incidents: readonly Incident[]
  readonly relatives: readonly Relative[]
  readonly identifiers: readonly Identifier[]
  readonly workflow: WorkflowState
  /** The codebook the incidents are shown against (the workspace's current one). */
  readonly codebookRef: string
  /**
   * The version of the respondent's record (consent, disclosure, impacts) and of each incident,
   * relative and identifier shown, by id: an edit or removal sends it back, and is refused
   * (`record.changed`) if someone has changed the record since.
   */
  readonly versions: Readonly<Record<string, number>>
}

/** Cohen's kappa for one incident type over the double-coded testimonies. */
export interface TypeAgreement {
  readonly type: string
  /** Double-coded testimonies compared. */
  readonly n: number
  /** Share of testimonies where both coders agree on presence/absence (0–1). */
  readonly observed: number
  /** Agreement expected by chance from the coders' marginals (0–1). */
  readonly expected: number
  /** (observed − expected) / (1 − expected); null when undefined (expected = 1: both coders constant). */
  readonly kappa: number | null
}

/** One line of a respondent's history, oldest first. */
export interface HistoryEntry {
  readonly seq: number
  readonly kind: string
  /** The author's profile label, `system`, or the raw id when the profile is unknown. */
  readonly author: string
  readonly recordedAt: string
  /** A short human summary; for an erased respondent: that the content was erased. */
  readonly summary: string
  /** False when the event's body can no longer be read (the respondent was erased). */
  readonly readable: boolean
}

/** A respondent's history, or the fact that they were erased. */
export interface History {
  readonly respondentId: string
  /** True when the respondent's key was destroyed: events remain, their content does not. */
  readonly erased: boolean
  readonly entries: readonly HistoryEntry[]
}

/** What a recode did. */
export interface RecodeReport {
  /** The codebook adopted (`id@version`). */
  readonly codebookRef: string
  /** Incidents re-recorded under the new codebook with a mapped (or unchanged) code. */
  readonly recoded: number
  /** Testimonies an analyst must look at again (marked `needs_attention`), with the reason. */
  readonly needsAttention: readonly {
    readonly testimonyId: string
    readonly respondentId: string
    readonly reasons: readonly string[]
  }[]
}

/** A respondent's consent as the consent screen edits it. */
export interface ConsentChange {
  readonly uses?: readonly ConsentUse[]
  readonly withdrawn?: boolean
  readonly form?: Respondent['consent']['form']
  /** Default: today. */
  readonly recordedOn?: string
  /** The respondent's version the change was made from (the reader's `versions`; service/coding.ts, EditOf). */
  readonly version?: number | undefined
}

export type { AnalystProfile, Codebook, DisclosureWish }
