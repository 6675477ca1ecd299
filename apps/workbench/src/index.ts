/**
 * @amanat/workbench — the analyst's side of Amanat: the `amanat` CLI (and, in later issues, the
 * local web UI). It runs on the analyst's own machine and is the only place plaintext exists.
 */
export { main, COMMANDS } from './cli/main.ts'
export { createWorkspace, openWorkspace, readWorkspaceConfig, type Workspace } from './workspace/workspace.ts'
export { overviewOf, type WorkspaceOverview } from './workspace/overview.ts'
export { readCodebook, defaultCodebookPath } from './workspace/codebook-file.ts'
