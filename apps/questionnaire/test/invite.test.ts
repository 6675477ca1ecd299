import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { base32, type InviteToken, type QuestionnaireId } from '@amanat/domain'
import { PROPERTY_RUNS } from '../../../tools/test-support/profile.ts'
import {
  formatInviteCode,
  formatInviteFragment,
  parseFragment,
  parseInviteCode,
  takePageRequest,
  type Invite,
} from '../src/invite.ts'

const random = (n: number) => base32(Uint8Array.from({ length: n }, (_, i) => (i * 37 + n * 11) % 256))
const sample: Invite = {
  questionnaireId: 'amanat-default' as QuestionnaireId,
  token: random(16) as InviteToken,
  fingerprint: random(20),
}

const arbitraryInvite = fc.record({
  questionnaireId: fc.stringMatching(/^[a-z0-9][a-z0-9-]{1,40}$/).map((s) => s as QuestionnaireId),
  token: fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => base32(b) as InviteToken),
  fingerprint: fc.uint8Array({ minLength: 20, maxLength: 20 }).map((b) => base32(b)),
})

describe('parseFragment', () => {
  it('reads an invite link fragment', () => {
    expect(parseFragment(`#${formatInviteFragment(sample)}`)).toEqual({ kind: 'invite', invite: sample })
  })

  it('reads a preview request, and nothing at all as "none"', () => {
    expect(parseFragment('#preview&q=amanat-default')).toEqual({ kind: 'preview', questionnaireId: 'amanat-default' })
    expect(parseFragment('')).toEqual({ kind: 'none' })
    expect(parseFragment('#')).toEqual({ kind: 'none' })
  })

  it('calls anything incomplete or malformed "malformed"', () => {
    for (const fragment of [
      `#q=${sample.questionnaireId}&t=${sample.token}`,
      `#q=${sample.questionnaireId}&t=${sample.token}&f=short`,
      `#q=UPPER CASE&t=${sample.token}&f=${sample.fingerprint}`,
      `#q=${sample.questionnaireId}&t=${sample.token.slice(1)}&f=${sample.fingerprint}`,
      '#preview',
      `#${'x'.repeat(600)}`,
    ]) {
      expect(parseFragment(fragment)).toEqual({ kind: 'malformed' })
    }
  })
})

describe('parseInviteCode', () => {
  it('reads back every code formatInviteCode writes, and every fragment', () => {
    fc.assert(
      fc.property(arbitraryInvite, (invite) => {
        expect(parseInviteCode(formatInviteCode(invite))).toEqual(invite)
        expect(parseFragment(formatInviteFragment(invite))).toEqual({ kind: 'invite', invite })
      }),
      { numRuns: PROPERTY_RUNS },
    )
  })

  it('ignores case, spaces and grouping dashes, and reads i/l as 1 and o as 0', () => {
    const code = formatInviteCode(sample)
    expect(parseInviteCode(`  ${code.toUpperCase().replace(/-/g, ' - ')}\n`)).toEqual(sample)
    const [id, token, fingerprint] = code.split('.') as [string, string, string]
    const typo = `${id}.${token.replace(/1/g, 'l').replace(/0/g, 'O')}.${fingerprint.replace(/-/g, '')}`
    expect(parseInviteCode(typo)).toEqual(sample)
  })

  it('keeps the dashes of the questionnaire id, which are part of it', () => {
    const code = formatInviteCode(sample)
    expect(parseInviteCode(code.replace('amanat-default', 'amanatdefault'))?.questionnaireId).toBe('amanatdefault')
  })

  it('accepts a whole pasted invite link', () => {
    expect(parseInviteCode(`https://intake.example/#${formatInviteFragment(sample)}`)).toEqual(sample)
  })

  it('refuses incomplete codes', () => {
    const code = formatInviteCode(sample)
    for (const text of ['', code.slice(0, -1), code.replace(/\./g, ''), `${code}.extra`, 'a.b.c']) {
      expect(parseInviteCode(text)).toBeNull()
    }
  })
})

describe('takePageRequest', () => {
  it('removes the fragment from the address bar, keeping path and query', () => {
    const calls: unknown[][] = []
    const request = takePageRequest({
      location: { hash: `#${formatInviteFragment(sample)}`, pathname: '/', search: '?x=1' },
      history: { replaceState: (...args: unknown[]) => calls.push(args) },
    })
    expect(request).toEqual({ kind: 'invite', invite: sample })
    expect(calls).toEqual([[null, '', '/?x=1']])
  })

  it('leaves the history alone when there is no fragment', () => {
    const calls: unknown[][] = []
    takePageRequest({ location: { hash: '', pathname: '/', search: '' }, history: { replaceState: (...a: unknown[]) => calls.push(a) } })
    expect(calls).toEqual([])
  })
})
