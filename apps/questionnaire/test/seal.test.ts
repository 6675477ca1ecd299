import { beforeAll, describe, expect, it } from 'vitest'
import { openBytes } from '@amanat/crypto/open'
import { sized } from '../../../tools/test-support/profile.ts'
import { sealAttachmentContent, sealSubmissionText } from '../src/seal.ts'
import { orgKeys, type OrgKeys } from './support/keys.ts'

/** The age header's stanza lines and the payload nonce (the 16 bytes after the header). */
function anatomy(file: Uint8Array): { stanzas: string[]; nonce: string } {
  const text = Buffer.from(file).toString('latin1')
  const end = text.indexOf('\n---') + 1
  const headerEnd = text.indexOf('\n', end) + 1
  const lines = text.slice(0, end).split('\n')
  return { stanzas: lines.filter((l) => l.startsWith('-> ')), nonce: Buffer.from(file.subarray(headerEnd, headerEnd + 16)).toString('hex') }
}

let org: OrgKeys
beforeAll(async () => {
  org = await orgKeys()
})

describe('sealing in the page', () => {
  it('pads, seals to every recipient, and both identities open it to the padded JSON', async () => {
    const recipients = [org.analyst.recipient, org.backup.recipient]
    const sealed = await sealSubmissionText('{"a":"ئۇيغۇر"}', recipients, 2 * 1024 * 1024)
    for (const identity of [org.analyst.identity, org.backup.identity]) {
      const opened = await openBytes(sealed, [identity])
      expect(opened.length).toBe(4096)
      expect(JSON.parse(new TextDecoder().decode(opened))).toEqual({ a: 'ئۇيغۇر' })
    }
    const attachment = await sealAttachmentContent(new Uint8Array(70_000).fill(7), recipients)
    expect((await openBytes(attachment, [org.backup.identity])).length).toBe(131_072)
  })

  it(`never repeats an ephemeral share or a payload nonce, and has exactly one X25519 stanza per recipient (${sized(1000, 10_000)} files)`, async () => {
    const recipients = [org.analyst.recipient, org.backup.recipient]
    const shares = new Set<string>()
    const nonces = new Set<string>()
    const count = sized(1000, 10_000)
    for (let i = 0; i < count; i++) {
      const { stanzas, nonce } = anatomy(await sealSubmissionText('{}', recipients, 4096))
      expect(stanzas).toHaveLength(2)
      for (const stanza of stanzas) {
        expect(stanza).toMatch(/^-> X25519 [A-Za-z0-9+/]{43}$/)
        shares.add(stanza)
      }
      nonces.add(nonce)
    }
    expect(shares.size).toBe(2 * count)
    expect(nonces.size).toBe(count)
  })

  it('refuses answers over the limit and recipients that are not plain X25519', async () => {
    await expect(sealSubmissionText('x'.repeat(101), [org.analyst.recipient], 100)).rejects.toMatchObject({ code: 'submission.too_large' })
    await expect(sealSubmissionText('{}', ['age1pq1notreally'], 100)).rejects.toMatchObject({ code: 'crypto.bad_recipient' })
  })
})
