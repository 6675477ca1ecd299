import { isAmanatError } from '@amanat/domain'
import { describe, expect, it } from 'vitest'
import { deriveWorkspaceKeys, newKdfParams, SCRYPT_N, type KdfParams } from '../src/workspace-key.ts'
import { thrown } from './support.ts'

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')

describe('workspace keys', () => {
  it('use scrypt at N = 2^17, r = 8, p = 1 with a fresh 16-byte salt by default, and say when they are test-only', () => {
    const real = newKdfParams({ testOnly: false })
    expect(real).toMatchObject({ algorithm: 'scrypt', N: 2 ** 17, r: 8, p: 1, testOnly: false })
    expect(SCRYPT_N).toBe(2 ** 17)
    expect(Buffer.from(real.salt, 'base64')).toHaveLength(16)
    expect(newKdfParams({ testOnly: false }).salt).not.toBe(real.salt)
    const cheap = newKdfParams({ testOnly: true })
    expect(cheap.testOnly).toBe(true)
    expect(cheap.N).toBeLessThan(SCRYPT_N)
  })

  it('derive at the production work factor (memory limits included)', async () => {
    const keys = await deriveWorkspaceKeys(
      'a long passphrase of several words',
      newKdfParams({ testOnly: false }),
    )
    expect(keys.storeKey).toHaveLength(32)
  })

  it('derive the same keys from the same passphrase and parameters, and three independent ones', async () => {
    const params = newKdfParams({ testOnly: true })
    const a = await deriveWorkspaceKeys('correct horse battery staple', params)
    const b = await deriveWorkspaceKeys('correct horse battery staple', params)
    expect(hex(a.storeKey)).toBe(hex(b.storeKey))
    expect(hex(a.subjectKek)).toBe(hex(b.subjectKek))
    expect(a.keyCheck).toBe(b.keyCheck)
    expect(a.storeKey).toHaveLength(32)
    expect(a.subjectKek).toHaveLength(32)
    expect(hex(a.storeKey)).not.toBe(hex(a.subjectKek))
    expect(a.keyCheck).not.toContain(Buffer.from(a.storeKey).toString('base64'))
  })

  it('tell a wrong passphrase or another salt apart by the key check', async () => {
    const params = newKdfParams({ testOnly: true })
    const right = await deriveWorkspaceKeys('correct horse battery staple', params)
    const wrong = await deriveWorkspaceKeys('correct horse battery stapler', params)
    const salted = await deriveWorkspaceKeys('correct horse battery staple', newKdfParams({ testOnly: true }))
    expect(wrong.keyCheck).not.toBe(right.keyCheck)
    expect(hex(wrong.storeKey)).not.toBe(hex(right.storeKey))
    expect(salted.keyCheck).not.toBe(right.keyCheck)
  })

  it('treat the same words typed in different Unicode forms as one passphrase', async () => {
    const params = newKdfParams({ testOnly: true })
    const composed = await deriveWorkspaceKeys('kök \u00e9t\u00e9', params)
    const decomposed = await deriveWorkspaceKeys('ko\u0308k e\u0301te\u0301', params)
    expect(decomposed.keyCheck).toBe(composed.keyCheck)
  })

  it('refuse damaged or weakened parameters before deriving', async () => {
    const good = newKdfParams({ testOnly: true })
    const bad: KdfParams[] = [
      { ...good, N: 1000 },
      { ...good, salt: 'c2hvcnQ=' },
      { ...good, r: 0 },
      { ...newKdfParams({ testOnly: false }), N: 2 ** 12 },
      { ...good, algorithm: 'pbkdf2' as 'scrypt' },
    ]
    for (const params of bad) {
      expect(isAmanatError(await thrown(deriveWorkspaceKeys('x', params)), 'workspace.kdf_invalid')).toBe(
        true,
      )
    }
  })
})
