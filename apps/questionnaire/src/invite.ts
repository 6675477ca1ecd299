import { InviteToken, QuestionnaireId } from '@amanat/domain'
import { normalizeFingerprint } from '@amanat/crypto'

/**
 * Invites as the page receives them (docs/intake-protocol.md §2): a link whose URL fragment holds
 * `q=<questionnaireId>&t=<token>&f=<fingerprint>`, or the same three values typed as an invite
 * code `<questionnaireId>.<token>.<fingerprint>`. The fragment never reaches a server; the page
 * removes it from the address bar as soon as it has read it.
 */

/** The three values an invite carries. */
export interface Invite {
  readonly questionnaireId: QuestionnaireId
  /** The secret: sent only inside POST bodies, never in a URL the page builds. */
  readonly token: InviteToken
  /** The organisation signing key's fingerprint, canonical compact form (32 characters). */
  readonly fingerprint: string
}

/** What the page was opened for, as read from its URL fragment. */
export type PageRequest =
  | { readonly kind: 'invite'; readonly invite: Invite }
  /** `#preview&q=<id>`: render without an invite; the page cannot submit. */
  | { readonly kind: 'preview'; readonly questionnaireId: QuestionnaireId }
  /** No fragment: the page asks for a typed invite code. */
  | { readonly kind: 'none' }
  /** A fragment that is not a complete invite: the page says so and asks for a code. */
  | { readonly kind: 'malformed' }

/** Crockford base32 reading of typed characters: `i`/`l` are `1`, `o` is `0` (as for fingerprints). */
function normalizeToken(text: string): InviteToken | null {
  const compact = text.toLowerCase().replace(/[\s-]/g, '').replace(/[il]/g, '1').replace(/o/g, '0')
  const parsed = InviteToken.safeParse(compact)
  return parsed.success ? parsed.data : null
}

function parseQuestionnaireId(text: string): QuestionnaireId | null {
  const parsed = QuestionnaireId.safeParse(text.toLowerCase())
  return parsed.success ? parsed.data : null
}

function invite(id: string, token: string, fingerprint: string): Invite | null {
  const questionnaireId = parseQuestionnaireId(id)
  const parsedToken = normalizeToken(token)
  const parsedFingerprint = normalizeFingerprint(fingerprint)
  if (questionnaireId === null || parsedToken === null || parsedFingerprint === null) return null
  return { questionnaireId, token: parsedToken, fingerprint: parsedFingerprint }
}

/**
 * Reads a URL fragment (with or without its leading `#`). Returns `none` for an empty fragment,
 * `preview` for `preview&q=<id>`, `invite` when q, t and f are all present and well formed, and
 * `malformed` for anything else. Never throws.
 */
export function parseFragment(fragment: string): PageRequest {
  const text = fragment.startsWith('#') ? fragment.slice(1) : fragment
  if (text === '') return { kind: 'none' }
  if (text.length > 512) return { kind: 'malformed' }
  const params = new URLSearchParams(text)
  const q = params.get('q')
  if (params.has('preview')) {
    const questionnaireId = q === null ? null : parseQuestionnaireId(q)
    return questionnaireId === null ? { kind: 'malformed' } : { kind: 'preview', questionnaireId }
  }
  const t = params.get('t')
  const f = params.get('f')
  if (q === null || t === null || f === null) return { kind: 'malformed' }
  const parsed = invite(q, t, f)
  return parsed === null ? { kind: 'malformed' } : { kind: 'invite', invite: parsed }
}

/**
 * Reads a typed or pasted invite code: `<questionnaireId>.<token>.<fingerprint>`. Case is
 * ignored; spaces are ignored everywhere; dashes are ignored inside the token and the fingerprint
 * (they only group characters for reading) but kept in the questionnaire id, whose own dashes are
 * significant. `i`/`l` read as `1` and `o` as `0` in the token and fingerprint (Crockford base32).
 * A whole invite link pasted instead of a code is accepted too. Returns null when the text is not
 * a complete code. Never throws.
 */
export function parseInviteCode(text: string): Invite | null {
  if (typeof text !== 'string' || text.length > 1024) return null
  const hash = text.indexOf('#')
  if (hash >= 0) {
    const request = parseFragment(text.slice(hash))
    return request.kind === 'invite' ? request.invite : null
  }
  const parts = text.replace(/\s/g, '').split('.')
  if (parts.length !== 3) return null
  const [id, token, fingerprint] = parts as [string, string, string]
  return invite(id, token, fingerprint)
}

/**
 * Writes an invite as a code for people to read and type: the questionnaire id, then the token
 * and the fingerprint in dash-separated groups of four, joined by dots.
 * {@link parseInviteCode} reads it back.
 */
export function formatInviteCode(value: Invite): string {
  const group = (text: string) => text.match(/.{1,4}/g)?.join('-') ?? text
  return `${value.questionnaireId}.${group(value.token)}.${group(value.fingerprint)}`
}

/** Writes an invite as the fragment of an invite link (without the `#`). */
export function formatInviteFragment(value: Invite): string {
  return `q=${value.questionnaireId}&t=${value.token}&f=${value.fingerprint}`
}

/** The parts of `window` that reading the fragment touches (so tests can pass their own). */
export interface AddressBar {
  readonly location: { readonly hash: string; readonly pathname: string; readonly search: string }
  readonly history: { replaceState(data: unknown, unused: string, url?: string | URL | null): void }
}

/**
 * Reads the page request from the address bar and removes the fragment from it at once
 * (`history.replaceState`), so the token is no longer shown, bookmarked or shared with the page
 * URL. Chromium has already written the full URL to its history database before any script runs
 * (SECURITY-TESTS.md T15): respondents who want no trace type the invite code instead.
 */
export function takePageRequest(bar: AddressBar): PageRequest {
  const fragment = bar.location.hash
  if (fragment !== '' && fragment !== '#') {
    bar.history.replaceState(null, '', `${bar.location.pathname}${bar.location.search}`)
  }
  return parseFragment(fragment)
}
