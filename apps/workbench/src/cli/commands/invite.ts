import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { QuestionnaireId, inputError, usageError, type TokenHash } from '@amanat/domain'
import { renderSVG } from 'uqr'
import { WORKSPACE_OPTION, workspaceDir, type Command, type CommandContext } from '../command.ts'
import { EXIT } from '../exit-codes.ts'
import { addDays, utcToday } from '../../intake/days.ts'
import { SERVER_HELP, SERVER_OPTIONS, serverClient, serverFrom, wholeNumber } from '../../intake/intake-options.ts'
import { intakeEvents, publications } from '../../intake/intake-log.ts'
import { openIntakeSession, type IntakeSession } from '../../intake/intake-session.ts'
import { tokenHashFrom } from '../../intake/invites.ts'
import { issueInvites } from '../../intake/issue-invites.ts'
import { serverOrigin } from '../../intake/server-client.ts'
import { credentialFor, givenCredential, rememberCredential } from '../../intake/server-credentials.ts'

const DEFAULT_EXPIRY_DAYS = 30

export const inviteCommand: Command = {
  name: 'invite',
  summary: 'issue invite links for a published questionnaire, or revoke them',
  help: `Usage: amanat invite --workspace <dir> --server <url> --count <n> [options]
       amanat invite revoke <link-or-id>... --workspace <dir> --server <url>

Draws <n> invite tokens (128 bits each, from the system's random source), registers only their
SHA-256 hashes on the intake server, and prints one invite link a line on stdout, and nothing
else there. A link carries the questionnaire id, the token and the signing key's fingerprint in
its fragment (after "#"), which browsers never send to any server. The workspace keeps the
hashes only: who received which link is not recorded. Each invite accepts one submission.

"revoke" takes invite links, typed invite codes, tokens, or token hashes (the full 64 hex
characters, or at least 8 of them from the start when only one invite issued here matches), and
makes the server refuse them from the next request on.

Options:
  --workspace <dir>    the workspace (or AMANAT_WORKSPACE)
${SERVER_HELP}
  --count <n>          how many invites (1 to 10000)
  --expires <days>     the invites are accepted for this many days from today, UTC (default ${String(DEFAULT_EXPIRY_DAYS)})
  --questionnaire <id> which published questionnaire (needed only when several are published there)
  --public-url <url>   the address respondents reach the server at, if not --server's
  --qr <dir>           also write each link as a QR code, one SVG file per link (invite-001.svg, …)
  -h, --help           this help`,
  options: {
    ...WORKSPACE_OPTION,
    ...SERVER_OPTIONS,
    count: { type: 'string' },
    expires: { type: 'string' },
    questionnaire: { type: 'string' },
    'public-url': { type: 'string' },
    qr: { type: 'string' },
  },
  positionals: { min: 0, max: 10_000 },
  async run(context) {
    if (context.positionals[0] === 'revoke') return revoke(context)
    if (context.positionals.length > 0) {
      throw usageError('usage.bad_arguments', 'amanat invite takes no arguments (or "revoke <link-or-id>…"). See: amanat invite --help')
    }
    return issue(context)
  },
}

async function issue(context: CommandContext): Promise<number> {
  const { values, terminal } = context
  const server = serverFrom(context)
  if (values.count === undefined) throw usageError('usage.no_count', 'How many invites? Give --count <n>.')
  const count = wholeNumber(context, 'count', 1, 10_000, 1)
  const days = wholeNumber(context, 'expires', 1, 3650, DEFAULT_EXPIRY_DAYS)
  const publicUrl = typeof values['public-url'] === 'string' ? serverOrigin(values['public-url']) : server
  const given = givenCredential(context)
  const session = await openIntakeSession(workspaceDir(context), terminal)
  try {
    const questionnaireId = await chooseQuestionnaire(session, server, values.questionnaire)
    const client = serverClient(context, server, await credentialFor(session, server, given))
    const expiresOn = addDays(utcToday(), days)
    const links = await issueInvites(session, client, { questionnaireId, count, expiresOn, publicUrl })
    if (given !== null) await rememberCredential(session, server, given)
    if (typeof values.qr === 'string') {
      mkdirSync(values.qr, { recursive: true, mode: 0o700 })
      links.forEach((link, i) => {
        writeFileSync(join(values.qr as string, `invite-${String(i + 1).padStart(3, '0')}.svg`), renderSVG(link, { ecc: 'M', border: 2 }), { mode: 0o600 })
      })
    }
    for (const link of links) terminal.out(link)
    terminal.info(`${String(count)} invite(s) for ${questionnaireId}, accepted through ${expiresOn} (UTC). Each link is a secret: send it only to its respondent.`)
    return EXIT.ok
  } finally {
    await session.close()
  }
}

async function revoke(context: CommandContext): Promise<number> {
  const { terminal } = context
  const server = serverFrom(context)
  const targets = context.positionals.slice(1)
  if (targets.length === 0) throw usageError('usage.bad_arguments', 'Which invites? amanat invite revoke <link-or-id>…')
  const given = givenCredential(context)
  const session = await openIntakeSession(workspaceDir(context), terminal)
  try {
    const issued = (await intakeEvents(session.workspace.store, ['invites.issued'])).filter((e) => e.server === server).flatMap((e) => e.tokenHashes)
    const hashes = [...new Set(targets.map((target) => hashOf(target, issued)))]
    const client = serverClient(context, server, await credentialFor(session, server, given))
    const result = await client.revokeInvites({ tokenHashes: hashes })
    if (given !== null) await rememberCredential(session, server, given)
    await session.workspace.store.append(session.workspace.analyst.id, { kind: 'invites.revoked', server, tokenHashes: hashes })
    terminal.out(`revoked: ${String(result.revoked)}`)
    if (result.revoked < hashes.length) terminal.warn(`${String(hashes.length - result.revoked)} of them were unknown to the server.`)
    return EXIT.ok
  } finally {
    await session.close()
  }
}

/** The token hash a revoke argument names (see the help). */
function hashOf(target: string, issued: readonly TokenHash[]): TokenHash {
  const text = target.trim().toLowerCase()
  if (/^[0-9a-f]{8,64}$/.test(text)) {
    const matches = issued.filter((h) => h.startsWith(text))
    if (matches.length === 1 && matches[0] !== undefined) return matches[0]
    if (matches.length > 1) throw inputError('invite.ambiguous', `${text} matches ${String(matches.length)} invites; give more of the hash.`)
  }
  const hash = tokenHashFrom(target)
  if (hash === null) throw inputError('invite.unrecognised', 'Give an invite link, an invite code, a token, or a token hash issued from this workspace.')
  return hash
}

/** The questionnaire to invite to: --questionnaire, else the only one published on this server. */
export async function chooseQuestionnaire(session: IntakeSession, server: string, given: unknown): Promise<QuestionnaireId> {
  const ids = [...new Set((await publications(session.workspace.store)).filter((p) => p.server === server).map((p) => p.questionnaire.id))]
  if (typeof given === 'string') {
    const parsed = QuestionnaireId.safeParse(given)
    if (!parsed.success) throw usageError('usage.bad_questionnaire', '--questionnaire takes a questionnaire id (lowercase letters, digits, dashes).')
    if (!ids.includes(parsed.data)) throw inputError('invite.not_published', `This workspace has not published ${parsed.data} on ${server}: run amanat publish first.`)
    return parsed.data
  }
  const [only] = ids
  if (only === undefined) throw inputError('invite.not_published', `This workspace has published no questionnaire on ${server}: run amanat publish first.`)
  if (ids.length > 1) throw usageError('usage.which_questionnaire', `Several questionnaires are published there (${ids.join(', ')}): give --questionnaire <id>.`)
  return only
}
