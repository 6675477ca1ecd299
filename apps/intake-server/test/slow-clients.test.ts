import { mkdtempSync, rmSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sized } from '../../../tools/test-support/profile.ts'
import { TIMEOUTS } from '../src/index.ts'
import { newRecipients, seal } from './support/age.ts'
import { startChildServer, type ChildServer } from './support/child-server.ts'
import { AdminClient, postSubmission } from './support/client.ts'
import { newRandomId, newToken } from './support/fixtures.ts'

/**
 * T10: slowloris connections (a header byte now and then) and slow bodies do not keep the server
 * from answering others, and Node's header timeout closes them.
 */

const Q = 'slow-q'

describe('slow clients', () => {
  let dataDir: string
  let server: ChildServer

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'amanat-intake-slow-'))
    server = await startChildServer(['--data', dataDir, '--port', '0'])
  })
  afterAll(async () => {
    await server.stop()
    rmSync(dataDir, { recursive: true, force: true })
  })

  it(`answers submissions while ${String(sized(150, 500))} slow connections hang on, and closes those`, async () => {
    const admin = new AdminClient(server.url, server.credential!)
    const recipients = newRecipients(2)
    await admin.publish(Q, recipients)
    const probes = Array.from({ length: 20 }, newToken)
    await admin.invite(Q, probes)
    const body = await seal('probe'.padEnd(4096, ' '), recipients)

    const { hostname, port } = new URL(server.url)
    const open = (first: string) =>
      new Promise<{ socket: Socket; closed: Promise<void> }>((resolve) => {
        const socket = connect({ host: hostname, port: Number(port) }, () => {
          socket.write(first)
          resolve({ socket, closed: new Promise((done) => socket.once('close', () => done())) })
        })
        socket.on('error', () => undefined)
        // Read what the server sends (its 408), or the socket never sees the end of the stream.
        socket.resume()
      })
    const slow = await Promise.all([
      ...Array.from({ length: sized(150, 500) }, () => open('POST /api/submissions HTTP/1.1\r\nHost: x\r\nX-A: ')),
      ...Array.from({ length: sized(20, 50) }, () => open('POST /api/submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-amanat-sealed\r\nContent-Length: 100000\r\n\r\n{"v":1,')),
    ])
    const drip = setInterval(() => {
      for (const { socket } of slow) if (!socket.destroyed) socket.write('a')
    }, 1000)
    try {
      const statuses: (number | null)[] = []
      for (const token of probes) {
        statuses.push(await postSubmission(server.url, token, newRandomId(), body))
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      expect(statuses.every((status) => status === 200)).toBe(true)
      // Header-slow connections close at the header timeout (checked every 2 s); bounded here by
      // the test's own timeout rather than a tight clock.
      await Promise.all(slow.slice(0, sized(150, 500)).map((s) => s.closed))
    } finally {
      clearInterval(drip)
      for (const { socket } of slow) socket.destroy()
    }
    expect(TIMEOUTS.headersMs).toBeLessThanOrEqual(20_000)
  }, 90_000)
})
