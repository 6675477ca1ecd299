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
}

export const page: PageState = { workspace: '', analyst: null, codebook: null, listed: [] }

export function forget(): void {
  page.analyst = null
  page.codebook = null
  page.listed = []
}
