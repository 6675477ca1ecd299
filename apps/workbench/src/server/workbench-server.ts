import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { serve } from '@hono/node-server'
import { readWorkspaceConfig } from '../workspace/workspace.ts'
import { createWorkbenchApp } from './app.ts'
import { openForWorkbench } from './opened-workspace.ts'
import { UiSession } from './ui-session.ts'
import { uiFiles } from './ui-files.ts'

/** The default idle period before the workbench locks itself. */
export const DEFAULT_IDLE_MS = 15 * 60 * 1000

export interface WorkbenchOptions {
  readonly workspaceDir: string
  /** The port on 127.0.0.1; 0 picks a free one. */
  readonly port?: number
  readonly idleMs?: number
  /** How long an intake server may send nothing before a pull from the page gives up (default 60 s). */
  readonly serverTimeoutMs?: number
  /** Lines for people (an idle lock, an internal error's code). Never data. */
  readonly log?: (line: string) => void
}

export interface RunningWorkbench {
  /** The link to open: `http://127.0.0.1:<port>/#token=<one-time token>`. */
  readonly url: string
  readonly origin: string
  readonly session: UiSession
  /** Locks (closing the workspace) and stops the server. */
  close(): Promise<void>
}

/**
 * Starts the workbench's local web UI for the workspace in `workspaceDir`, bound to 127.0.0.1
 * only. Reads workspace.json first (a missing workspace fails before anything listens); the
 * passphrase is asked by the page, not here.
 */
export async function startWorkbench(options: WorkbenchOptions): Promise<RunningWorkbench> {
  const config = readWorkspaceConfig(options.workspaceDir)
  const log = options.log ?? (() => undefined)
  const session = new UiSession({
    open: (passphrase) => openForWorkbench(options.workspaceDir, passphrase),
    idleMs: options.idleMs ?? DEFAULT_IDLE_MS,
    onIdleLock: () => log('workbench: locked after idling; the page asks for the passphrase again.'),
  })
  let origin = ''
  const app = createWorkbenchApp({
    session,
    ui: await uiFiles(),
    origin: () => origin,
    workspaceName: config.name,
    log,
    ...(options.serverTimeoutMs === undefined ? {} : { serverTimeoutMs: options.serverTimeoutMs }),
  })
  const server = await new Promise<Server>((resolve, reject) => {
    const started = serve(
      { fetch: app.fetch, hostname: '127.0.0.1', port: options.port ?? 0, createServer },
      () => resolve(started as Server),
    )
    started.once('error', reject)
  })
  origin = `http://127.0.0.1:${String((server.address() as AddressInfo).port)}`
  return {
    url: `${origin}/#token=${session.linkToken ?? ''}`,
    origin,
    session,
    close: async () => {
      await session.end()
      await new Promise<void>((resolve) => {
        server.close(() => resolve())
        server.closeAllConnections()
      })
    },
  }
}
