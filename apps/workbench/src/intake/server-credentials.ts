import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { AmanatError, usageError } from '@amanat/domain'
import { sealBytes } from '@amanat/crypto'
import { openBytes } from '@amanat/crypto/open'
import { z } from 'zod'
import type { CommandContext } from '../cli/command.ts'
import { writeFileDurably } from './durable-file.ts'
import type { IntakeSession } from './intake-session.ts'

/**
 * The analyst credentials of the intake servers this workspace talks to, kept in
 * `keys/servers.age`: JSON sealed with age to the workspace's own analyst recipient, so it opens
 * only with the unlocked identity and never lies in clear in the workspace folder.
 */
const SERVERS_FILE = 'servers.age'
const ServersFile = z
  .object({
    format: z.literal('amanat-intake-servers/1'),
    servers: z.array(z.object({ url: z.string(), credential: z.string().regex(/^[\x21-\x7e]{1,200}$/) }).strict()),
  })
  .strict()
type ServersFile = z.infer<typeof ServersFile>

function serversPath(session: IntakeSession): string {
  return join(session.workspace.dir, 'keys', SERVERS_FILE)
}

async function readServers(session: IntakeSession): Promise<ServersFile> {
  const path = serversPath(session)
  if (!existsSync(path)) return { format: 'amanat-intake-servers/1', servers: [] }
  let plaintext: Uint8Array
  try {
    plaintext = await openBytes(readFileSync(path), [session.analyst.identity])
  } catch (error) {
    throw new AmanatError('integrity', 'keys.corrupt', 'keys/servers.age is damaged or was not made by this workspace.', {}, { cause: error })
  }
  const parsed = ServersFile.safeParse(JSON.parse(Buffer.from(plaintext).toString('utf8')))
  plaintext.fill(0)
  if (!parsed.success) throw new AmanatError('integrity', 'keys.corrupt', 'keys/servers.age is damaged or was not made by this workspace.')
  return parsed.data
}

/** The credential kept for `server` (an origin), or null. */
export async function storedCredential(session: IntakeSession, server: string): Promise<string | null> {
  return (await readServers(session)).servers.find((s) => s.url === server)?.credential ?? null
}

/** Keeps `credential` for `server`, replacing an older one; the file is rewritten atomically. */
export async function rememberCredential(session: IntakeSession, server: string, credential: string): Promise<void> {
  const file = await readServers(session)
  if (file.servers.some((s) => s.url === server && s.credential === credential)) return
  const next: ServersFile = { ...file, servers: [...file.servers.filter((s) => s.url !== server), { url: server, credential }] }
  const sealed = await sealBytes(new TextEncoder().encode(JSON.stringify(next)), [session.analyst.recipient])
  writeFileDurably(serversPath(session), sealed)
}

/** The credential given to this command: `--credential`, else AMANAT_SERVER_CREDENTIAL; null when neither. */
export function givenCredential(context: CommandContext): string | null {
  const fromFlag = context.values.credential
  if (typeof fromFlag === 'string' && fromFlag !== '') return fromFlag
  const fromEnv = context.terminal.env.AMANAT_SERVER_CREDENTIAL
  return fromEnv !== undefined && fromEnv !== '' ? fromEnv : null
}

/**
 * The credential to use against `server`: the one given to this command, else the one the
 * workspace keeps. Call {@link rememberCredential} after the server accepted a given one.
 *
 * @throws AmanatError usage `server.no_credential` when there is neither.
 */
export async function credentialFor(session: IntakeSession, server: string, given: string | null): Promise<string> {
  if (given !== null) return given
  const stored = await storedCredential(session, server)
  if (stored !== null) return stored
  throw usageError(
    'server.no_credential',
    `This workspace has no credential for ${server}. Give the one the server printed on its first start, once: --credential <value> (or AMANAT_SERVER_CREDENTIAL).`,
  )
}
