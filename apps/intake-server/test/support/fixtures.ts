import { randomBytes } from 'node:crypto'
import { base32, type InviteToken } from '@amanat/domain'
import { hashToken } from '../../src/index.ts'

/** A fresh invite token (what the workbench draws). */
export function newToken(): InviteToken {
  return base32(randomBytes(16)) as InviteToken
}

/** A fresh 128-bit id for a submission or an upload. */
export function newRandomId(): string {
  return base32(randomBytes(16))
}

export const tokenHashOf = (token: string) => hashToken(token as InviteToken)

/** A signed questionnaire as the workbench publishes it (the server checks its shape, not its signature). */
export function signedQuestionnaire(id: string, recipients: readonly string[], publishedOn = '2026-11-20'): unknown {
  return {
    document: {
      format: 'amanat-questionnaire-signed/1',
      questionnaire: {
        format: 'amanat-questionnaire/1',
        id,
        version: '1.0.0',
        languages: ['en'],
        title: { en: 'A synthetic test questionnaire' },
        sections: [],
      },
      recipients: [...recipients],
      publishedOn,
    },
    publicKey: randomBytes(32).toString('base64url'),
    signature: randomBytes(64).toString('base64url'),
  }
}

/** One JSON header line, a line feed, then `payload`: a sealed POST body. */
export function framed(header: unknown, payload: Uint8Array): Uint8Array<ArrayBuffer> {
  return body(Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), payload]))
}

/** Bytes as a fetch body (a copy on its own ArrayBuffer). */
export function body(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes)
}

/** A unique, recognisable plaintext marker (T06: it must never appear anywhere the server writes). */
export function marker(): string {
  return `PTM-${base32(randomBytes(10))}`
}
