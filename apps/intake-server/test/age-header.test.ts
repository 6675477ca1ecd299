import { execFileSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inflateSync } from 'node:zlib'
import * as cctv from 'cctv-age'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PROPERTY_RUNS } from '../../../tools/test-support/profile.ts'
import { ageCliAvailable } from '../../../tools/test-support/services.ts'
import { inspectAgeFile, inspectAgeHeader, isPayloadLength, sealedSize } from '../src/index.ts'
import { newIdentity, newRecipients, sealRandom } from './support/age.ts'

const vectors = Object.entries(cctv as unknown as Record<string, Uint8Array>)
  .filter(([, value]) => value instanceof Uint8Array)
  .map(([name, value]) => {
    const text = Buffer.from(value)
    const split = text.indexOf('\n\n')
    const meta = text.subarray(0, split).toString()
    const file = /compressed: zlib/.test(meta) ? inflateSync(text.subarray(split + 2)) : text.subarray(split + 2)
    return { name, expect: /expect: (.*)/.exec(meta)?.[1] ?? '', file }
  })

describe('the age shape check', () => {
  it('accepts files sealed by the page’s library, counting their recipients, at every payload size class', async () => {
    for (const size of [0, 1, 65_535, 65_536, 65_537, 131_072, 200_000]) {
      for (const count of [1, 2, 5]) {
        const file = await sealRandom(size, newRecipients(count))
        expect(inspectAgeFile(file, 32)).toEqual({ recipients: count, headerBytes: file.indexOf('\n', file.indexOf('\n---') + 1) + 1 })
        expect(file.length).toBeLessThanOrEqual(sealedSize(size, count))
      }
    }
  })

  it.runIf(ageCliAvailable())('accepts files made by the age command', () => {
    const dir = mkdtempSync(join(tmpdir(), 'amanat-age-cli-'))
    try {
      writeFileSync(join(dir, 'plain'), 'synthetic testimony')
      const recipients = [newIdentity().recipient, newIdentity().recipient, newIdentity().recipient]
      execFileSync('age', [...recipients.flatMap((r) => ['-r', r]), '-o', join(dir, 'sealed'), join(dir, 'plain')])
      expect(inspectAgeFile(readFileSync(join(dir, 'sealed')), 32)?.recipients).toBe(3)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('accepts the well-formed X25519 test vectors and refuses every other stanza type, armor and header fault', () => {
    // Faults only decryption can see: a low-order or identity share, a bad MAC or tag, the wrong key.
    const cryptographic = new Set(['x25519_identity', 'x25519_low_order', 'hmac_bad', 'x25519_bad_tag', 'x25519_no_match'])
    for (const vector of vectors) {
      const shape = inspectAgeFile(vector.file, 32)
      const plainX25519 = !vector.name.startsWith('armor') && /^(x25519|stream_)/.test(vector.name) && !vector.name.includes('grease')
      if (vector.expect === 'success' && plainX25519) expect({ name: vector.name, accepted: shape !== null }).toEqual({ name: vector.name, accepted: true })
      if (vector.expect === 'header failure' && !cryptographic.has(vector.name)) {
        expect({ name: vector.name, accepted: shape !== null }).toEqual({ name: vector.name, accepted: false })
      }
      if (!plainX25519 && !cryptographic.has(vector.name)) expect({ name: vector.name, accepted: shape !== null }).toEqual({ name: vector.name, accepted: false })
    }
  })

  it('refuses payloads no age file can have', () => {
    expect([0, 15, 16, 31].map(isPayloadLength)).toEqual([false, false, false, false])
    expect([32, 33, 16 + 65_552, 16 + 65_552 + 16, 16 + 65_552 + 17].map(isPayloadLength)).toEqual([true, true, true, false, true])
  })

  it('never throws and never accepts more stanzas than allowed, whatever the bytes', async () => {
    const file = await sealRandom(100, newRecipients(3))
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.array(fc.tuple(fc.nat(400), fc.nat(255)), { maxLength: 8 }), (noise, flips) => {
        const mutated = Buffer.from(file)
        for (const [at, byte] of flips) mutated[at % mutated.length] = byte
        for (const bytes of [noise, mutated, Buffer.concat([file.subarray(0, 200), noise])]) {
          const shape = inspectAgeFile(bytes, 2)
          const header = inspectAgeHeader(bytes, 2)
          expect(shape === null || shape.recipients <= 2).toBe(true)
          expect(header === null || header.recipients <= 2).toBe(true)
        }
        expect(inspectAgeFile(file, 2)).toBeNull()
      }),
      { numRuns: PROPERTY_RUNS },
    )
  })
})
