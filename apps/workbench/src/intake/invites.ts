import { createHash, randomBytes } from 'node:crypto'
import { base32, InviteToken, TokenHash, type QuestionnaireId } from '@amanat/domain'

/**
 * Invite tokens and links (docs/intake-protocol.md §2). A token is 128 bits from the CSPRNG in
 * lowercase Crockford base32; the server only ever receives its SHA-256; the link carries the
 * token, the questionnaire id and the signing key's fingerprint in its fragment, which browsers
 * never send to a server.
 */

/** A fresh invite token. */
export function newInviteToken(): InviteToken {
  return InviteToken.parse(base32(randomBytes(16)))
}

/** Lowercase hex SHA-256 of the token's text, as the server stores it. */
export function tokenHash(token: string): TokenHash {
  return TokenHash.parse(createHash('sha256').update(token, 'utf8').digest('hex'))
}

/** The invite link: `<public URL>/#q=<id>&t=<token>&f=<fingerprint>`. */
export function inviteLink(publicUrl: string, questionnaireId: QuestionnaireId, token: InviteToken, fingerprint: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/#q=${questionnaireId}&t=${token}&f=${fingerprint}`
}

/**
 * The token in an invite link (its fragment's `t`) or in a typed invite code
 * (`<questionnaire>.<token>.<fingerprint>`, dashes and case ignored, Crockford's i/l/o read as
 * 1/1/0), or a bare token; null when `text` holds none.
 */
export function tokenFrom(text: string): InviteToken | null {
  const fragment = text.includes('#') ? text.slice(text.indexOf('#') + 1) : null
  let candidate: string | null
  if (fragment !== null) candidate = new URLSearchParams(fragment).get('t')
  else {
    const parts = text.trim().split('.')
    candidate = parts.length === 3 ? (parts[1] ?? null) : parts.length === 1 ? (parts[0] ?? null) : null
  }
  if (candidate === null) return null
  const compact = candidate.toLowerCase().replace(/[\s-]/g, '').replace(/[il]/g, '1').replace(/o/g, '0')
  const parsed = InviteToken.safeParse(compact)
  return parsed.success ? parsed.data : null
}

/**
 * The token hash that `text` names: a token hash itself (64 hex digits, as `amanat invite revoke`
 * and the vault show it), or the hash of the token in an invite link, code or bare token; null
 * when it names none.
 */
export function tokenHashFrom(text: string): TokenHash | null {
  const trimmed = text.trim().toLowerCase()
  if (/^[0-9a-f]{64}$/.test(trimmed)) return trimmed as TokenHash
  const token = tokenFrom(text)
  return token === null ? null : tokenHash(token)
}
