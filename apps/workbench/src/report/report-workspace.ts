import type { UnlockedWorkspace } from '../keys/unlock-keys.ts'
import { currentCodebook } from '../workspace/current-codebook.ts'
import { buildReport, type ReportOptions, type ReportResult } from './build-report.ts'

/**
 * The entry the CLI and the workbench UI's "Build report" button call: builds the report of an
 * unlocked workspace (its store, its vault for the story check, its analyst as the release's
 * author) with the workspace's current codebook.
 */
export async function buildWorkspaceReport(
  unlocked: Pick<UnlockedWorkspace, 'workspace' | 'vault'>,
  options: ReportOptions,
): Promise<ReportResult> {
  const { workspace, vault } = unlocked
  return buildReport(
    {
      store: workspace.store,
      codebook: await currentCodebook(workspace.store),
      vault,
      author: workspace.analyst.id,
    },
    options,
  )
}
