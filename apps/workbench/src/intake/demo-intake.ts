import { join } from 'node:path'
import type { Terminal } from '../cli/terminal.ts'
import { addDays, utcToday } from './days.ts'
import { startIntakeChild, type IntakeChild } from './intake-child.ts'
import { openIntakeSessionWith } from './intake-session.ts'
import { issueInvites } from './issue-invites.ts'
import { publishQuestionnaire } from './publish.ts'
import { readQuestionnaireFile } from './questionnaire-file.ts'
import { createServerClient } from './server-client.ts'
import { rememberCredential, storedCredential } from './server-credentials.ts'
import { currentCodebook, heldCodebooks } from '../workspace/current-codebook.ts'

/**
 * The demo's intake server (DESIGN.md, "A newcomer's first hour"): a SQLite intake store beside
 * the demo workspace, the default questionnaire published with the workspace's keys, and one
 * fresh invite a start. The server's credential is kept in the demo workspace like any other, and
 * also under a name of its own, since the demo's address changes with --port.
 */
const DEMO_SERVER_KEY = 'demo-intake'

export interface DemoIntake {
  readonly child: IntakeChild
  readonly url: string
  readonly inviteLink: string
}

/**
 * Starts the demo's intake server (data in `<root>/intake`), publishes the default
 * questionnaire, and issues one invite. The workspace is closed again before this resolves, so
 * `amanat pull` can open it while the server runs.
 */
export async function startDemoIntake(root: string, workspaceDir: string, passphrase: string, port: number, terminal: Terminal): Promise<DemoIntake> {
  const child = await startIntakeChild({
    dataDir: join(root, 'intake'),
    port,
    onLine: (line, stream) => {
      // The credential goes into the workspace, not onto the screen; the URL is printed by the demo.
      if (stream === 'stderr') terminal.info(line)
    },
  })
  try {
    const session = await openIntakeSessionWith(workspaceDir, passphrase)
    try {
      const credential = child.credential ?? (await storedCredential(session, DEMO_SERVER_KEY))
      if (credential === null) {
        throw new Error('the demo intake server has a credential this demo workspace does not know; run amanat demo --reset')
      }
      await rememberCredential(session, DEMO_SERVER_KEY, credential)
      await rememberCredential(session, child.url, credential)
      const client = createServerClient({ url: child.url, credential })
      const { questionnaire } = readQuestionnaireFile('default', await currentCodebook(session.workspace.store), await heldCodebooks(session.workspace.store))
      await publishQuestionnaire(session, client, questionnaire)
      const [inviteLink] = await issueInvites(session, client, {
        questionnaireId: questionnaire.id,
        count: 1,
        expiresOn: addDays(utcToday(), 30),
        publicUrl: child.url,
      })
      if (inviteLink === undefined) throw new Error('no invite was issued')
      return { child, url: child.url, inviteLink }
    } finally {
      await session.close()
    }
  } catch (error) {
    await child.stop()
    throw error
  }
}
