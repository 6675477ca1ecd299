import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../support/intake-fixtures.ts'
import { pageWrite, rawRequest } from './support.ts'

const BIN = fileURLToPath(new URL('../../bin/amanat.mjs', import.meta.url))

/**
 * `amanat demo` (DESIGN.md, "A newcomer's first hour") starts the workbench on the demo workspace
 * beside the intake server and prints "workbench: <url>"; the link opens the page, its token
 * buys a session, and the demo passphrase unlocks the demo workspace. Ctrl-C stops both cleanly.
 */
describe('amanat demo starts the workbench', () => {
  it('prints a workbench link that opens and unlocks the demo workspace', async () => {
    const temp = tempDir('demo-workbench')
    const child = spawn(
      process.execPath,
      [BIN, 'demo', '--dir', temp.dir, '--respondents', '5', '--port', '0'],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    )
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    try {
      const url = await new Promise<string>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          if (line.startsWith('workbench: ')) resolve(line.slice('workbench: '.length))
        })
        void exited.then((code) => reject(new Error(`demo exited ${String(code)}`)))
      })
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#token=[A-Za-z0-9_-]{43}$/)
      const origin = new URL(url).origin
      expect((await rawRequest(origin, '/')).status).toBe(200)
      const exchanged = await rawRequest(origin, '/api/session', {
        method: 'POST',
        headers: pageWrite(origin),
        body: { token: new URL(url).hash.slice('#token='.length) },
      })
      expect(exchanged.status).toBe(200)
      const cookie = exchanged.headers['set-cookie']?.[0]?.split(';')[0] ?? ''
      const passphrase = readFileSync(join(temp.dir, 'demo-passphrase.txt'), 'utf8').trim()
      const unlocked = await rawRequest(origin, '/api/unlock', {
        method: 'POST',
        headers: pageWrite(origin, cookie),
        body: { passphrase },
      })
      expect(unlocked.status).toBe(200)
      expect(JSON.parse(unlocked.body)).toMatchObject({ profiles: [{ label: 'demo-analyst' }] })
    } finally {
      child.kill('SIGINT')
      expect(await exited).toBe(0)
      temp.cleanup()
    }
  })
})
