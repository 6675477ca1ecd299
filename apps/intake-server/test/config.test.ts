import { describe, expect, it } from 'vitest'
import { isAmanatError } from '@amanat/domain'
import { byteLimits, DEFAULT_LIMITS, readConfig } from '../src/index.ts'

describe('readConfig', () => {
  it('reads the flags amanat serve passes, with defaults for the rest', () => {
    const config = readConfig(['--data', 'd', '--port', '0', '--static', 'page', '--postgres', 'postgres://x@h/db'], {})
    expect(config).toMatchObject({ host: '127.0.0.1', port: 0, postgresUrl: 'postgres://x@h/db', tls: null, limits: DEFAULT_LIMITS })
    expect(config.dataDir).toMatch(/\/d$/)
    expect(config.staticDir).toMatch(/\/page$/)
    expect(Object.isFrozen(config)).toBe(true)
    expect(readConfig(['--data', 'd', '--tls-cert', 'c', '--tls-key', 'k'], {}).tls).toMatchObject({ certFile: expect.stringMatching(/\/c$/) })
  })

  it('refuses what it does not know, with the flag named', () => {
    const refusals: [string[], Record<string, string>, RegExp][] = [
      [[], {}, /--data/],
      [['--data', 'd', '--verbose', 'x'], {}, /--verbose/],
      [['--data'], {}, /--data needs a value/],
      [['--data', 'd', '--port', '70000'], {}, /--port/],
      [['--data', 'd', '--tls-cert', 'c'], {}, /--tls-key/],
      [['--data', 'd', '--data', 'e'], {}, /twice/],
      [['--data', 'd'], { AMANAT_INTAKE_TEXT_BYTES: 'lots' }, /AMANAT_INTAKE_TEXT_BYTES/],
    ]
    for (const [argv, env, message] of refusals) {
      let caught: unknown
      try {
        readConfig(argv, env)
      } catch (error) {
        caught = error
      }
      expect(isAmanatError(caught, 'intake.usage')).toBe(true)
      expect((caught as Error).message).toMatch(message)
    }
  })

  it('derives byte limits that fit every padded, sealed size the page can send', () => {
    const limits = byteLimits(DEFAULT_LIMITS)
    // 2 MiB of answers pads to the 3 MiB bucket; 25 MiB attachments to 32 MiB, sent in 1 MiB chunks.
    expect(limits.sealedSubmission).toBeGreaterThan(3 * 1024 * 1024 + 48 * 16)
    expect(limits.sealedSubmission).toBeLessThan(3 * 1024 * 1024 + 64 * 1024)
    expect(limits.chunksPerUpload).toBe(33)
    expect(limits.uploadsPerInvite).toBe(10)
  })
})
