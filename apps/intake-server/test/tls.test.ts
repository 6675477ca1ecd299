import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { request } from 'node:https'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { CONTENT_SECURITY_POLICY } from '../src/index.ts'
import { startChildServer } from './support/child-server.ts'

function opensslAvailable(): boolean {
  try {
    execFileSync('openssl', ['version'], { stdio: 'ignore' })
    return true
  } catch {
    process.stderr.write('skip: openssl not available (it makes the test certificate); the TLS test is skipped\n')
    return false
  }
}

describe('the bundled server over TLS', () => {
  it.runIf(opensslAvailable())('serves over HTTPS with HSTS added to the strict headers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'amanat-intake-tls-'))
    const [cert, key] = [join(dir, 'cert.pem'), join(dir, 'key.pem')]
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '2', '-subj', '/CN=127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'ignore' })
    const server = await startChildServer(['--data', join(dir, 'data'), '--port', '0', '--tls-cert', cert, '--tls-key', key])
    try {
      expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
      const headers = await new Promise<Record<string, unknown>>((resolve, reject) => {
        request(`${server.url}/q/none`, { rejectUnauthorized: false }, (response) => {
          response.resume()
          resolve({ status: response.statusCode, ...response.headers })
        })
          .on('error', reject)
          .end()
      })
      expect(headers).toMatchObject({
        status: 404,
        'strict-transport-security': 'max-age=63072000; includeSubDomains',
        'content-security-policy': CONTENT_SECURITY_POLICY,
        'cache-control': 'no-store',
      })
    } finally {
      await server.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
