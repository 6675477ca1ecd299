/** The workspace itself: one row (`id` = 1), written by `workspace.created`. */
export interface WorkspaceTable {
  id: number
  name: string
  created_at: string
}

/** Analyst profiles: labels recorded as event authors, not accounts. */
export interface AnalystTable {
  id: string
  label: string
}

/** Every adopted codebook version; `ref` is `<id>@<version>`, as incidents record it. */
export interface CodebookTable {
  ref: string
  id: string
  version: string
  /** The whole codebook as JSON. */
  json: string
}
