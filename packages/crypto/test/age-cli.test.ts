import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { ageCliAvailable } from '../../../tools/test-support/services.ts'
import { sealBytes } from '../src/index.ts'
import { openBytes, unlockIdentity } from '../src/open.ts'
import { BACKUP_PASSPHRASE, PASSPHRASE, party, testKeySet } from './support.ts'

/**
 * Interoperability with Debian's `age` 1.1.1: what we write, the standard tool reads, and the
 * other way round. age reads passphrases only from a terminal, so those runs go through
 * `script`, which gives age a pseudo-terminal fed from our stdin.
 */
const available = ageCliAvailable()
const dir = mkdtempSync(join(tmpdir(), 'amanat-age-cli-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function path(name: string): string {
  return join(dir, name)
}

function write(name: string, bytes: Uint8Array | string): string {
  writeFileSync(path(name), bytes, { mode: 0o600 })
  return path(name)
}

/** Runs a command, failing the test with its stderr when it exits non-zero. */
function run(command: string, args: readonly string[]): Buffer {
  const result = spawnSync(command, args, { timeout: 30_000 })
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr.toString()}`)
  return result.stdout
}

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`

/** Runs `age` on a pseudo-terminal, typing `passphrase` (then Enter) `times` times; returns its exit status. */
function ageOnTerminal(args: readonly string[], passphrase: string, times = 1): number | null {
  const command = ['age', ...args].map(quote).join(' ')
  const result = spawnSync('script', ['-qec', command, '/dev/null'], {
    input: `${passphrase}\n`.repeat(times),
    timeout: 60_000,
  })
  return result.status
}

describe.runIf(available)('interoperability with the age command', () => {
  it('decrypts a file from sealBytes with age -d -i, for each of several recipients', async () => {
    const first = await party()
    const second = await party()
    const plaintext = new TextEncoder().encode('ئامانەت — a testimony in Uyghur script\n')
    const sealed = write('sealed.age', await sealBytes(plaintext, [first.recipient, second.recipient]))
    for (const [name, who] of [
      ['first.txt', first],
      ['second.txt', second],
    ] as const) {
      const identityFile = write(name, `${who.identity}\n`)
      expect(new Uint8Array(run('age', ['-d', '-i', identityFile, sealed]))).toEqual(plaintext)
    }
  })

  it('opens a file from age -r with openBytes, including a multi-chunk one', async () => {
    const someone = await party()
    for (const size of [0, 5, 200_000]) {
      const plaintext = new Uint8Array(size).map((_, i) => (i * 7) & 0xff)
      const input = write(`plain-${String(size)}`, plaintext)
      const output = path(`from-age-${String(size)}.age`)
      run('age', ['-r', someone.recipient, '-o', output, input])
      expect(await openBytes(new Uint8Array(readFileSync(output)), [someone.identity])).toEqual(plaintext)
    }
  })

  it('decrypts the protected identity files with age -d and the passphrase; the result is an age -i identity', async () => {
    const keys = await testKeySet()
    const files = [
      {
        file: write('analyst.age', keys.analyst.identityFile),
        passphrase: PASSPHRASE,
        recipient: keys.analyst.recipient,
      },
      {
        file: write('backup.age.txt', keys.backup.identityFile),
        passphrase: BACKUP_PASSPHRASE,
        recipient: keys.backup.recipient,
      },
    ]
    for (const [index, { file, passphrase, recipient }] of files.entries()) {
      const identityFile = path(`identity-${String(index)}.txt`)
      expect(ageOnTerminal(['-d', '-o', identityFile, file], passphrase)).toBe(0)
      expect(readFileSync(identityFile, 'utf8')).toMatch(
        new RegExp(`^# public key: ${recipient}\\nAGE-SECRET-KEY-1`),
      )
      const plaintext = new TextEncoder().encode(`sealed to ${String(index)}`)
      const sealed = write(`to-${String(index)}.age`, await sealBytes(plaintext, [recipient]))
      expect(new Uint8Array(run('age', ['-d', '-i', identityFile, sealed]))).toEqual(plaintext)
    }
  })

  it('lets age refuse the backup identity under a wrong passphrase (the terminal route really checks)', async () => {
    const keys = await testKeySet()
    const file = write('backup-wrong.age.txt', keys.backup.identityFile)
    const output = path('should-not-exist.txt')
    expect(ageOnTerminal(['-d', '-o', output, file], PASSPHRASE)).not.toBe(0)
    expect(existsSync(output) && readFileSync(output).length > 0).toBe(false)
  })

  it('decrypts the signing key file with age -d -i and the analyst identity: it is a plain X25519 file', async () => {
    const keys = await testKeySet()
    const analyst = await unlockIdentity(keys.analyst.identityFile, PASSPHRASE)
    const identityFile = write('analyst-identity.txt', `${analyst.identity}\n`)
    const plaintext = run('age', ['-d', '-i', identityFile, write('signing.age', keys.signing.keyFile)])
    expect(plaintext.subarray(0, 22).toString('latin1')).toBe('AMANAT-ED25519-KEY-V1\n')
  })

  it('unlocks an identity made by age-keygen and protected by age -p', async () => {
    const keygenFile = path('keygen.txt')
    run('age-keygen', ['-o', keygenFile])
    const recipient = /^# public key: (age1\S+)$/m.exec(readFileSync(keygenFile, 'utf8'))?.[1]
    const protectedFile = path('keygen.age')
    expect(ageOnTerminal(['-p', '-o', protectedFile, keygenFile], 'typed twice at the prompt', 2)).toBe(0)
    const unlocked = await unlockIdentity(
      new Uint8Array(readFileSync(protectedFile)),
      'typed twice at the prompt',
    )
    expect(unlocked.recipient).toBe(recipient)
  })
})
