import { existsSync, mkdtempSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { AmanatError } from '@amanat/domain'
import { REPO_PATHS } from './repo-paths.ts'

/**
 * The intake server's bundle and the questionnaire page, built from this checkout when missing
 * or older than their sources, so `amanat serve` and the demo always run what the code says.
 */

/** The newest modification time under `paths` (files, or folders walked recursively). */
function newestMtime(paths: readonly string[]): number {
  let newest = 0
  const visit = (path: string) => {
    const stat = statSync(path)
    if (stat.isDirectory()) {
      for (const name of readdirSync(path)) if (name !== 'node_modules' && name !== 'dist') visit(join(path, name))
    } else newest = Math.max(newest, stat.mtimeMs)
  }
  for (const path of paths) if (existsSync(path)) visit(path)
  return newest
}

function isStale(output: string, sources: readonly string[]): boolean {
  return !existsSync(output) || statSync(output).mtimeMs < newestMtime(sources)
}

function buildFailed(what: string, cause: unknown): AmanatError {
  return new AmanatError('internal', 'serve.build_failed', `Building the ${what} failed; run it by hand to see why.`, {}, { cause })
}

const domainSources = join(REPO_PATHS.root, 'packages', 'domain', 'src')
const cryptoSources = join(REPO_PATHS.root, 'packages', 'crypto', 'src')

/** Builds apps/intake-server/dist/server.mjs when needed; returns its path. */
export async function ensureIntakeBundle(): Promise<string> {
  const sources = [join(REPO_PATHS.intakeServerDir, 'src'), REPO_PATHS.intakeServerBuild, domainSources]
  if (isStale(REPO_PATHS.intakeServerBundle, sources)) {
    try {
      const build = (await import(pathToFileURL(REPO_PATHS.intakeServerBuild).href)) as { buildIntakeServer: () => Promise<unknown> }
      await build.buildIntakeServer()
    } catch (error) {
      throw buildFailed('intake server (node apps/intake-server/build.mjs)', error)
    }
  }
  return REPO_PATHS.intakeServerBundle
}

/** Builds the questionnaire page into apps/questionnaire/dist when needed; returns that folder. */
export async function ensurePageBundle(): Promise<string> {
  const manifest = join(REPO_PATHS.pageDist, 'manifest.json')
  const sources = [join(REPO_PATHS.pageDir, 'src'), REPO_PATHS.pageBuild, domainSources, cryptoSources]
  if (isStale(manifest, sources)) {
    // Built beside the folder, then moved in file by file (the manifest last), so a server
    // starting meanwhile never reads half-written files.
    const staging = mkdtempSync(join(REPO_PATHS.pageDir, '.dist-'))
    try {
      const page = (await import(pathToFileURL(REPO_PATHS.pageBuild).href)) as { buildQuestionnairePage: (outDir: string) => Promise<unknown> }
      await page.buildQuestionnairePage(staging)
      const names = readdirSync(staging).sort((a, b) => Number(a === 'manifest.json') - Number(b === 'manifest.json'))
      if (!existsSync(REPO_PATHS.pageDist)) renameSync(staging, REPO_PATHS.pageDist)
      else for (const name of names) renameSync(join(staging, name), join(REPO_PATHS.pageDist, name))
    } catch (error) {
      throw buildFailed('questionnaire page (node apps/questionnaire/build.mjs)', error)
    } finally {
      rmSync(staging, { recursive: true, force: true })
    }
  }
  return REPO_PATHS.pageDist
}
