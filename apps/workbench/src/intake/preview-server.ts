import { generateKeyPairSync, sign } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { documentMessage } from '@amanat/crypto'
import type { Questionnaire } from '@amanat/domain'
import { generateX25519Identity, identityToRecipient } from 'age-encryption'
import { utcToday } from './days.ts'
import { QUESTIONNAIRE_SIGNATURE_CONTEXT, SIGNED_QUESTIONNAIRE_FORMAT } from './publish.ts'

/**
 * `amanat questionnaire preview`: the page and one questionnaire served on 127.0.0.1, so an author
 * sees what respondents will see. The page opens in preview mode (`#preview&q=<id>`), which never
 * seals; and this server has no intake routes, so nothing could be sent anyway. The questionnaire
 * is signed with a throw-away key and names a throw-away recipient: a preview is never an invite.
 */
export interface PreviewServer {
  /** The page's address in preview mode. */
  readonly url: string
  close(): Promise<void>
}

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
}

const HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' blob: data:; connect-src 'self'; form-action 'none'; base-uri 'none'; frame-ancestors 'none'",
  'Cache-Control': 'no-store',
  'Referrer-Policy': 'no-referrer',
  'X-Content-Type-Options': 'nosniff',
}

/** A signed questionnaire document under a fresh key, to a fresh recipient (see the module comment). */
export async function previewDocument(questionnaire: Questionnaire): Promise<unknown> {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519')
  const recipient = await identityToRecipient(await generateX25519Identity())
  const document = { format: SIGNED_QUESTIONNAIRE_FORMAT, questionnaire: JSON.parse(JSON.stringify(questionnaire)) as unknown, recipients: [recipient], publishedOn: utcToday() }
  const signature = sign(null, documentMessage(QUESTIONNAIRE_SIGNATURE_CONTEXT, document), privateKey).toString('base64url')
  const x = publicKey.export({ format: 'jwk' }).x
  return { document, publicKey: x, signature }
}

/** Serves the built page in `pageDir` and `questionnaire` on 127.0.0.1:`port` (0: a free port). */
export async function startPreviewServer(questionnaire: Questionnaire, pageDir: string, port = 0): Promise<PreviewServer> {
  const files = new Map(Object.keys(CONTENT_TYPES).map((name) => [name, readFileSync(join(pageDir, name))]))
  const signed = JSON.stringify(await previewDocument(questionnaire))
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/'
    const name = path === '/' ? 'index.html' : path.slice(1)
    const file = files.get(name)
    if (request.method === 'GET' && file !== undefined) {
      response.writeHead(200, { ...HEADERS, 'Content-Type': CONTENT_TYPES[name] ?? 'application/octet-stream' })
      response.end(file)
    } else if (request.method === 'GET' && path === `/q/${questionnaire.id}`) {
      response.writeHead(200, { ...HEADERS, 'Content-Type': 'application/json' })
      response.end(signed)
    } else {
      response.writeHead(404, { ...HEADERS, 'Content-Type': 'application/json' })
      response.end('{"error":"preview.not_found","message":"This is a preview: nothing can be sent."}')
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, '127.0.0.1', resolve)
  })
  const address = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${String(address.port)}/#preview&q=${questionnaire.id}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  }
}
