import { fileURLToPath, pathToFileURL } from 'node:url'
import { AmanatError } from '@amanat/domain'

/**
 * The page's three files, built in memory by `apps/workbench/build.mjs` (esbuild) the first
 * time a workbench starts in this process, then served from memory. The build script is loaded
 * by path, like the intake server's: the workbench runs from its source tree
 * (docs/decisions/0003-typescript-without-a-build-step.md).
 */
export interface UiFiles {
  readonly 'index.html': Uint8Array
  readonly 'app.js': Uint8Array
  readonly 'app.css': Uint8Array
}

export const UI_CONTENT_TYPES: Readonly<Record<keyof UiFiles, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
}

const BUILD_SCRIPT = fileURLToPath(new URL('../../build.mjs', import.meta.url))

let built: Promise<UiFiles> | null = null

/** The built page (built once per process; a failed build is retried on the next call). */
export function uiFiles(): Promise<UiFiles> {
  built ??= (async () => {
    try {
      const script = (await import(pathToFileURL(BUILD_SCRIPT).href)) as {
        buildWorkbenchUi: () => Promise<UiFiles>
      }
      return await script.buildWorkbenchUi()
    } catch (error) {
      built = null
      throw new AmanatError(
        'internal',
        'workbench.build_failed',
        'Building the workbench page failed; run node apps/workbench/build.mjs to see why.',
        {},
        { cause: error },
      )
    }
  })()
  return built
}
