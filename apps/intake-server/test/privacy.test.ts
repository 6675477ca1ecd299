import { readdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers'
import { CONSTANT_ACK } from '@amanat/domain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sized } from '../../../tools/test-support/profile.ts'
import { CONTENT_SECURITY_POLICY, inspectAgeFile, SQLITE_FILE } from '../src/index.ts'
import { newRecipients, seal } from './support/age.ts'
import { startChildServer, type ChildServer } from './support/child-server.ts'
import { AdminClient, postHead, rawRequest, SEALED, type RawAnswer } from './support/client.ts'
import { framed, marker, newRandomId, newToken, tokenHashOf } from './support/fixtures.ts'

/**
 * What the server keeps and prints, after real traffic from a source address other than its own,
 * with marked headers and marked (sealed) answers: T06 (ciphertext only), T08 (no addresses,
 * User-Agents, languages or times finer than a day), T16 (no raw tokens at rest), T23 (random ids,
 * constant acknowledgements), T14 (headers on every answer, even to a request Node cannot parse).
 */

const Q = 'privacy-q'
const CLIENT_ADDRESS = '127.0.0.77'
const FORWARDED_ADDRESS = '192.0.2.77'

/** Every form of `text` a careless server might have written. */
function forms(text: string): Buffer[] {
  return [Buffer.from(text, 'utf8'), Buffer.from(text, 'utf16le'), Buffer.from(Buffer.from(text).toString('base64').slice(0, -4))]
}

describe('what the server keeps', () => {
  let dataDir: string
  let server: ChildServer
  const markers: string[] = []
  const tokens: string[] = []
  const answers: RawAnswer[] = []
  let whileRunning: { name: string; bytes: Buffer }[] = []
  let userAgent = ''
  let language = ''

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'amanat-intake-privacy-'))
    server = await startChildServer(['--data', dataDir, '--port', '0'])
    const admin = new AdminClient(server.url, server.credential!)
    const recipients = newRecipients(2)
    await admin.publish(Q, recipients)
    userAgent = `Mozilla/5.0 (Linux; Android 14) ${marker()}`
    language = `ug-CN,ug;q=0.9,${marker().toLowerCase()};q=0.1`
    markers.push(userAgent, language)
    const count = sized(500, 2000)
    const valid = Array.from({ length: count }, newToken)
    await admin.invite(Q, valid)
    tokens.push(...valid)
    const revoked = newToken()
    await admin.invite(Q, [revoked])
    await admin.revoke([revoked])
    tokens.push(revoked)

    const extra = [
      `User-Agent: ${userAgent}`,
      `Accept-Language: ${language}`,
      `X-Forwarded-For: ${FORWARDED_ADDRESS}`,
      `Forwarded: for=${FORWARDED_ADDRESS}`,
      `Referer: https://example.org/${marker()}`,
      `Cookie: session=${marker()}`,
    ]
    const send = async (token: string, plaintext: string) => {
      const sealed = await seal(plaintext, recipients)
      const payload = framed({ v: 1, token, id: newRandomId() }, sealed)
      const answer = await rawRequest(server.url, postHead(server.url, `/api/submissions?ref=${marker()}`, SEALED, payload.length, extra), payload, {
        localAddress: CLIENT_ADDRESS,
      })
      if (answer === null) throw new Error('no answer')
      answers.push(answer)
    }
    for (let at = 0; at < valid.length; at += 25) {
      await Promise.all(
        valid.slice(at, at + 25).map((token) => {
          const m = marker()
          markers.push(m)
          return send(token, JSON.stringify({ answers: { name: m, relative: `${m} in Ürümqi` } }).padEnd(4096, ' '))
        }),
      )
    }
    // Forged, revoked and used invites; then plaintext that was never sealed (refused).
    for (const token of [newToken(), revoked, valid[0]!]) {
      const m = marker()
      markers.push(m)
      tokens.push(token)
      await send(token, m)
    }
    const m = marker()
    markers.push(m)
    const plain = framed({ v: 1, token: valid[1]!, id: newRandomId() }, Buffer.from(JSON.stringify({ answers: { name: m } })))
    answers.push((await rawRequest(server.url, postHead(server.url, '/api/submissions', SEALED, plain.length, extra), plain, { localAddress: CLIENT_ADDRESS }))!)
    // A request Node cannot parse still gets the security headers.
    answers.push((await rawRequest(server.url, `GET /${marker()} HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n`, Buffer.alloc(0), { localAddress: CLIENT_ADDRESS }))!)
    // The files while it runs (with its WAL), then after a clean stop.
    whileRunning = readdirSync(dataDir).map((name) => ({ name: `${name} (running)`, bytes: readFileSync(join(dataDir, name)) }))
    await server.stop()
  })
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true })
  })

  const written = () => [
    ...whileRunning,
    ...readdirSync(dataDir).map((name) => ({ name, bytes: readFileSync(join(dataDir, name)) })),
    { name: 'stdout', bytes: Buffer.from(server.stdout.join('')) },
    { name: 'stderr', bytes: Buffer.from(server.stderr.join('')) },
  ]

  it('writes only its database', () => {
    expect(readdirSync(dataDir).filter((name) => !name.startsWith(SQLITE_FILE))).toEqual([])
    expect(server.stdout.join('')).toMatch(/^analyst credential: \S+\nintake server: http:\/\/127\.0\.0\.1:\d+\n$/)
    expect(server.stderr.join('')).toBe('')
  })

  it('keeps no plaintext marker, header value, client address or raw token anywhere (T06, T08, T16)', () => {
    // The scan sees what the store holds: token hashes are there, in the database or its WAL.
    expect(whileRunning.map((file) => file.name)).toContain(`${SQLITE_FILE}-wal (running)`)
    expect(written().some((file) => file.bytes.includes(tokenHashOf(tokens[0]!)))).toBe(true)
    const needles = [...markers, ...tokens, CLIENT_ADDRESS, FORWARDED_ADDRESS, 'Mozilla', 'Android', 'AGE-SECRET-KEY-'].flatMap(forms)
    for (const { name, bytes } of written()) {
      const hits = needles.filter((needle) => bytes.includes(needle)).map((needle) => needle.toString('latin1'))
      expect({ name, hits }).toEqual({ name, hits: [] })
      const text = bytes.toString('latin1')
      const addresses = (text.match(/\b\d{1,3}(\.\d{1,3}){3}\b/g) ?? []).filter((address) => address !== '127.0.0.1')
      expect({ name, addresses }).toEqual({ name, addresses: [] })
      expect({ name, times: text.match(/\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}|\b\d{2}:\d{2}:\d{2}\b/g) ?? [] }).toEqual({ name, times: [] })
    }
  })

  it('has no column that holds a time finer than a day (T08)', () => {
    const db = new BetterSqlite3(join(dataDir, SQLITE_FILE), { readonly: true })
    try {
      const tables = db.prepare("select name from sqlite_schema where type = 'table'").pluck().all() as string[]
      for (const table of tables) {
        const columns = db.prepare(`select name, type from pragma_table_info(?)`).all(table) as { name: string; type: string }[]
        for (const column of columns) {
          expect(`${table}.${column.name} ${column.type}`).not.toMatch(/time|date|_at\b|created|updated|addr|agent|\bip\b/i)
        }
        for (const day of columns.filter((c) => /day|_on$/.test(c.name))) {
          const values = db.prepare(`select distinct ${day.name} from ${table}`).pluck().all()
          for (const value of values) expect(value).toMatch(/^\d{4}-\d{2}-\d{2}$/)
        }
      }
    } finally {
      db.close()
    }
  })

  it('stores nothing but age files with the questionnaire’s stanzas, under random ids (T06, T23)', async () => {
    const restarted = await startChildServer(['--data', dataDir, '--port', '0'])
    try {
      const admin = new AdminClient(restarted.url, server.credential!)
      const items = await admin.pullAll()
      expect(items.filter((item) => item.kind === 'submission')).toHaveLength(tokens.length - 4)
      for (const item of items) expect(inspectAgeFile(Buffer.from(item.ciphertext, 'base64'), 32)?.recipients).toBe(2)
      const ids = items.map((item) => item.id)
      expect(new Set(ids).size).toBe(ids.length)
      const ascending = ids.slice(1).filter((id, i) => id > ids[i]!).length / (ids.length - 1)
      expect(ascending).toBeGreaterThan(0.35)
      expect(ascending).toBeLessThan(0.65)
      const sharedPrefix = (a: string, b: string) => [...a].findIndex((ch, i) => ch !== b[i])
      expect(Math.max(...ids.slice(1).map((id, i) => sharedPrefix(id, ids[i]!)))).toBeLessThan(6)
    } finally {
      await restarted.stop()
    }
  })

  it('answers every submission with the same bytes and strict headers (T14, T16, T23)', () => {
    const acks = answers.filter((answer) => answer.status === 200)
    expect(acks.length).toBe(tokens.length - 1)
    const strip = (head: string) => head.split('\r\n').filter((line) => !/^date:/i.test(line)).join('\r\n')
    expect(new Set(acks.map((answer) => strip(answer.head))).size).toBe(1)
    expect(new Set(acks.map((answer) => answer.body.toString())).size).toBe(1)
    expect(acks[0]!.body.toString()).toBe(CONSTANT_ACK)
    expect(answers.map((answer) => answer.status).filter((status) => status !== 200)).toEqual([400, 400])
    for (const answer of answers) {
      expect(answer.head.toLowerCase()).toContain(`content-security-policy: ${CONTENT_SECURITY_POLICY.toLowerCase()}`)
      expect(answer.head.toLowerCase()).toContain('cache-control: no-store')
      expect(answer.head.toLowerCase()).toContain('referrer-policy: no-referrer')
      expect(answer.head.toLowerCase()).toContain('x-content-type-options: nosniff')
    }
  })
})
