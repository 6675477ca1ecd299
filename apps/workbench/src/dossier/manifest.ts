import { createHash } from 'node:crypto'
import {
  canonicalJson,
  fingerprintOf,
  normalizeFingerprint,
  verifyDocument,
  type SigningKey,
} from '@amanat/crypto'
import { signDocument } from '@amanat/crypto/open'
import { integrityError } from '@amanat/domain'
import { z } from 'zod'

/** The signature context of a dossier manifest: it can never pass as another kind of signed document. */
export const DOSSIER_CONTEXT = 'amanat/dossier-manifest/v1'

const MARKER = '\n%AMANAT-DOSSIER-MANIFEST '
const END = '\n%%EOF\n'

const Hex64 = z.string().regex(/^[0-9a-f]{64}$/)

/** What the organisation signs: the printed PDF's exact bytes (hash and length) and what it cites. */
export const DossierManifest = z
  .object({
    format: z.literal(1),
    issuedAt: z.iso.datetime(),
    workspace: z.string().min(1).max(200),
    /** The pseudonym (or key) the dossier names the person by. */
    subject: z.string().min(1).max(200),
    pdfSha256: Hex64,
    pdfBytes: z.number().int().min(1),
    custody: z
      .array(z.object({ seq: z.number().int().min(1), kind: z.string().max(100), hash: Hex64 }).strict())
      .max(100_000),
    head: Hex64,
    signer: z.string().regex(/^[0-9a-hjkmnp-tv-z]{32}$/),
  })
  .strict()
export type DossierManifest = z.infer<typeof DossierManifest>

const Sealed = z.object({ manifest: DossierManifest, publicKey: z.string(), signature: z.string() }).strict()

/**
 * Appends the signed manifest to the printed PDF as a final comment block after its `%%EOF`
 * (PDF readers ignore it): `\n%AMANAT-DOSSIER-MANIFEST <base64url of canonical JSON>\n%%EOF\n`.
 * The manifest carries the SHA-256 and length of everything before the block, so a change to any
 * byte of the PDF breaks the hash, and a change to any byte of the block breaks its exact form or
 * the signature.
 */
export function sealDossier(
  pdf: Uint8Array,
  manifest: Omit<DossierManifest, 'pdfSha256' | 'pdfBytes' | 'signer'>,
  key: SigningKey,
): { bytes: Buffer; manifest: DossierManifest } {
  const full: DossierManifest = {
    ...manifest,
    pdfSha256: sha256(pdf),
    pdfBytes: pdf.length,
    signer: fingerprintOf(key.publicKey),
  }
  const signature = signDocument(key, DOSSIER_CONTEXT, full)
  return {
    bytes: Buffer.concat([pdf, block({ manifest: full, publicKey: key.publicKey, signature })]),
    manifest: full,
  }
}

/** What a successful verification found. */
export interface DossierCheck {
  readonly manifest: DossierManifest
  /** The signing key's fingerprint: compare it with the one the organisation publishes. */
  readonly fingerprint: string
}

/**
 * Checks a dossier file: the manifest block is the file's exact end, in its one canonical form;
 * its signature verifies under the key it names; the bytes before it have the signed length and
 * SHA-256; and, when `expectedFingerprint` is given, the key is the organisation's.
 *
 * Throws integrity `dossier.invalid` (with the reason) on any failure.
 */
export function verifyDossier(file: Uint8Array, expectedFingerprint?: string): DossierCheck {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.length)
  const at = bytes.lastIndexOf(MARKER)
  if (at === -1) throw invalid('it carries no Amanat manifest')
  const encoded = bytes.subarray(at + MARKER.length, bytes.length - END.length).toString('latin1')
  let sealed: z.infer<typeof Sealed>
  try {
    sealed = Sealed.parse(JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8')))
  } catch {
    throw invalid('its manifest is damaged')
  }
  if (!block(sealed).equals(bytes.subarray(at))) throw invalid('its manifest block was altered')
  if (!verifyDocument(sealed.publicKey, DOSSIER_CONTEXT, sealed.manifest, sealed.signature))
    throw invalid('the signature does not verify')
  const fingerprint = fingerprintOf(sealed.publicKey)
  if (fingerprint !== sealed.manifest.signer) throw invalid('the manifest names another signer')
  const pdf = bytes.subarray(0, at)
  if (pdf.length !== sealed.manifest.pdfBytes || sha256(pdf) !== sealed.manifest.pdfSha256)
    throw invalid('the PDF was altered after signing')
  if (expectedFingerprint !== undefined && normalizeFingerprint(expectedFingerprint) !== fingerprint) {
    throw invalid("it was signed by another key than the organisation's")
  }
  return { manifest: sealed.manifest, fingerprint }
}

function block(sealed: z.infer<typeof Sealed>): Buffer {
  return Buffer.from(
    `${MARKER}${Buffer.from(canonicalJson(sealed), 'utf8').toString('base64url')}${END}`,
    'latin1',
  )
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

function invalid(why: string) {
  return integrityError('dossier.invalid', `This dossier does not verify: ${why}.`)
}
