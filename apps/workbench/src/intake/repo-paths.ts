import { fileURLToPath } from 'node:url'

/**
 * Where the other deployables of this checkout live. The workbench runs from the source tree
 * (docs/decisions/0003-typescript-without-a-build-step.md), so the intake server's bundle, the
 * questionnaire page and the default questionnaire are found beside it, not through a package's
 * exports: the workbench never imports the intake server's code, it only runs its bundle.
 */
const root = (path: string) => fileURLToPath(new URL(`../../../../${path}`, import.meta.url))

export const REPO_PATHS = {
  root: root(''),
  intakeServerDir: root('apps/intake-server'),
  intakeServerBuild: root('apps/intake-server/build.mjs'),
  intakeServerBundle: root('apps/intake-server/dist/server.mjs'),
  intakeServerMeta: root('apps/intake-server/dist/server.meta.json'),
  pageDir: root('apps/questionnaire'),
  pageBuild: root('apps/questionnaire/build.mjs'),
  pageDist: root('apps/questionnaire/dist'),
  defaultQuestionnaire: root('packages/domain/questionnaires/default.json'),
} as const
