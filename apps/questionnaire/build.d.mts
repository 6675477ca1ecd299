import type { Metafile } from 'esbuild'

/** Size limits written into the page (bytes, before padding). */
export interface PageLimits {
  readonly submissionBytes: number
  readonly attachments: number
  readonly attachmentBytes: number
}

export interface PageOptions {
  /** Where quick exit goes: `about:blank` (default) or an https:// URL. */
  readonly quickExitUrl?: string
  readonly limits?: Partial<PageLimits>
}

/** `{ format, files: { name: sha256 } }`, as written to manifest.json. */
export interface PageManifest {
  readonly format: string
  readonly files: Readonly<Record<string, string>>
}

export declare const PAGE_FILES: readonly string[]
export declare const DEFAULT_PAGE_OPTIONS: { readonly quickExitUrl: string; readonly limits: PageLimits }

/** Builds the page into `outDir`; see build.mjs. */
export declare function buildQuestionnairePage(
  outDir: string,
  options?: PageOptions,
): Promise<{ manifest: PageManifest; metafile: Metafile }>
