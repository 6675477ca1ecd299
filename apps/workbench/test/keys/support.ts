import { createDecipheriv } from 'node:crypto'
import { existsSync, readFileSync } from 'node:fs'
import type { ConsentUse } from '@amanat/domain'
import { deriveWorkspaceKeys, type WorkspaceKeys } from '@amanat/database'
import { readWorkspaceConfig } from '../../src/workspace/workspace.ts'
import { TEST_PASSPHRASE } from '../support.ts'
import { createTestWorkspace } from '../support/workspace.ts'

/** A test workspace holding a synthetic study plus respondents whose every text field carries a marker. */
export interface MarkedWorkspace {
  readonly dir: string
  readonly marked: readonly { readonly id: string; readonly key: string; readonly marker: string }[]
}

/**
 * Creates a test-only workspace with `respondents` synthetic respondents, then `markers` more whose
 * key, narrative, translation and incident notes carry a unique marker string each (SECURITY-TESTS
 * T18's "marked submissions"): a scan for the marker finds every place their content went.
 */
export async function markedWorkspace(
  options: {
    respondents?: number
    markers?: readonly string[]
    /** The consent uses of the marked respondents (default: as generated). */
    markedConsent?: ConsentUse[]
    postgres?: { url: string; schema: string }
    /** The synthetic study's seed (default: one of its own per workspace). */
    seed?: string
  } = {},
): Promise<MarkedWorkspace> {
  const markers = options.markers ?? []
  let marked: MarkedWorkspace['marked'] = []
  const dir = await createTestWorkspace({
    respondents: (options.respondents ?? 20) + markers.length,
    ...(options.postgres === undefined ? {} : { postgres: options.postgres }),
    ...(options.seed === undefined ? {} : { seed: options.seed }),
    edit: (study) => {
      const plain = study.slice(0, study.length - markers.length)
      const bodies = markers.map((marker, i) => {
        const body = study[plain.length + i]!
        const text = `${marker} told us about ${marker}-relative; ${marker} phone`
        return {
          ...body,
          respondent: {
            ...body.respondent,
            key: `KEY-${marker}`,
            pseudonym: `Pseudo ${marker}`,
            consent: {
              ...body.respondent.consent,
              withdrawn: false,
              ...(options.markedConsent === undefined ? {} : { uses: options.markedConsent }),
            },
          },
          testimony: {
            ...body.testimony,
            narratives: [{ language: 'en', text }],
            translation: { language: 'en', text: `${marker} translation` },
          },
          incidents: body.incidents.map((incident) => ({ ...incident, note: `${marker} note` })),
        }
      })
      marked = bodies.map((body, i) => ({
        id: body.respondent.id,
        key: body.respondent.key,
        marker: markers[i]!,
      }))
      return [...plain, ...bodies]
    },
  })
  return { dir, marked }
}

/** The workspace's derived keys (tests reach below the store with them). */
export function workspaceKeys(dir: string): Promise<WorkspaceKeys> {
  return deriveWorkspaceKeys(TEST_PASSPHRASE, readWorkspaceConfig(dir).kdf)
}

const RESERVED = 32
const PAGE1_CLEAR = 24

/**
 * Every page of an encrypted workspace file and its WAL, decrypted with the store key, free pages
 * included: SQLite3MultipleCiphers' `chacha20` page format (a 16-byte nonce and a 16-byte Poly1305
 * tag in each page's 32 reserved bytes, a one-time page key per write; page 1 keeps its first 24 bytes
 * in clear), decrypted here
 * with node:crypto's ChaCha20 because SQL cannot read free pages. The MAC is not checked: the
 * caller proves decryption works by finding what must be there.
 */
export function decryptedDump(file: string, storeKey: Uint8Array): Buffer {
  const main = readFileSync(file)
  const pageSize = pageSizeOf(main)
  const pages: Buffer[] = []
  for (let no = 1; no * pageSize <= main.length; no += 1) {
    pages.push(decryptPage(main.subarray((no - 1) * pageSize, no * pageSize), no, storeKey))
  }
  const walFile = `${file}-wal`
  if (existsSync(walFile)) {
    const wal = readFileSync(walFile)
    for (let at = 32; at + 24 + pageSize <= wal.length; at += 24 + pageSize) {
      const no = wal.readUInt32BE(at)
      pages.push(decryptPage(wal.subarray(at + 24, at + 24 + pageSize), no, storeKey))
    }
  }
  return Buffer.concat(pages)
}

function pageSizeOf(file: Buffer): number {
  const raw = file.readUInt16BE(16)
  return raw === 1 ? 65536 : raw
}

function decryptPage(page: Buffer, no: number, key: Uint8Array): Buffer {
  const n = page.length - RESERVED
  const nonce = page.subarray(n, n + 12)
  const counter = (page.readUInt32LE(n + 12) ^ no) >>> 0
  const offset = no === 1 ? PAGE1_CLEAR : 0
  // The page key is the second half of a one-time block under the store key; the page follows at counter + 1.
  const oneTime = chacha20(key, nonce, counter, Buffer.alloc(64)).subarray(32)
  const plain = chacha20(oneTime, nonce, (counter + 1) >>> 0, page.subarray(offset, n))
  return Buffer.concat([page.subarray(0, offset), plain])
}

function chacha20(key: Uint8Array, nonce: Buffer, counter: number, data: Buffer): Buffer {
  const iv = Buffer.alloc(16)
  iv.writeUInt32LE(counter, 0)
  nonce.copy(iv, 4)
  const decipher = createDecipheriv('chacha20', key, iv)
  return Buffer.concat([decipher.update(data), decipher.final()])
}

/** How many times `needle` occurs in `haystack` (as UTF-8). */
export function occurrences(haystack: Buffer, needle: string): number {
  const bytes = Buffer.from(needle, 'utf8')
  let count = 0
  for (let at = haystack.indexOf(bytes); at !== -1; at = haystack.indexOf(bytes, at + 1)) count += 1
  return count
}
