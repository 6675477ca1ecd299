import type {
  EventAuthor,
  EventId,
  RespondentId,
  WorkspaceEventBody,
  WorkspaceEventKind,
} from '@amanat/domain'

/** An event as `events()` returns it: decoded, with its place in the chain. */
export interface StoredEvent {
  readonly seq: number
  readonly id: EventId
  readonly kind: WorkspaceEventKind
  readonly author: EventAuthor
  readonly recordedAt: Date
  /** The respondent the event is about, or null for a workspace-level event. */
  readonly subject: RespondentId | null
  /** The decoded body, or null when the subject's key was shredded and the content is gone. */
  readonly body: WorkspaceEventBody | null
  /** SHA-256 of the event (hex), as chained. */
  readonly hash: string
  /** The hash of the event before it (hex); 64 zeros for the first event. */
  readonly prevHash: string
}

/** What `append` and `appendBatch` report for each event written. */
export interface AppendedEvent {
  readonly seq: number
  readonly id: EventId
  /** SHA-256 of the event (hex): after the last event of a batch, the new head of the chain. */
  readonly hash: string
}

/** Where the chain ends: the last event's seq and hash; seq 0 and the genesis hash when empty. */
export interface ChainHead {
  readonly seq: number
  readonly hash: Buffer
}
