import type { AnalystProfile, Codebook } from '@amanat/domain'

/**
 * What the page knows between screens while unlocked: the analyst working and the codebook. All
 * of it is dropped on lock (`forget`), along with everything on screen.
 */
export interface PageState {
  workspace: string
  analyst: AnalystProfile | null
  codebook: Codebook | null
  /** The testimonies of the last list shown, for `j`/`k` (respondentId/testimonyId pairs). */
  listed: { respondentId: string; testimonyId: string }[]
  /** Unsaved text of the reader's forms, by form (screens/drafts.ts). */
  readonly drafts: Map<string, unknown>
}

export const page: PageState = { workspace: '', analyst: null, codebook: null, listed: [], drafts: new Map() }

export function forget(): void {
  page.analyst = null
  page.codebook = null
  page.listed = []
  page.drafts.clear()
}
