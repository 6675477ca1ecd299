import { createHash } from 'node:crypto'
import { integrityError } from '@amanat/domain'
import { z } from 'zod'

const MAGIC = Buffer.from('AMANAT-BACKUP v1\n', 'utf8')
const Key = z.base64().length(44)

/** What a backup holds, written in clear inside the sealed archive before the files' bytes. */
export const BackupManifest = z
  .object({
    format: z.literal(1),
    workspaceName: z.string().min(1).max(200),
    createdAt: z.iso.datetime(),
    /** The chain head and length of the snapshot: a restore must reach exactly this. */
    head: z.string().regex(/^[0-9a-f]{64}$/),
    events: z.number().int().min(0),
    files: z
      .array(
        z
          .object({
            path: z.string().regex(/^(?!.*\.\.)[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/),
            size: z.number().int().min(0),
            sha256: z.string().regex(/^[0-9a-f]{64}$/),
          })
          .strict(),
      )
      .max(1_000_000),
    /**
     * The workspace's derived keys, so the holder of the offline backup identity can open and
     * check the store without the workspace passphrase (the key-loss drill, T20). The archive is
     * sealed to that identity and the analyst's, who can derive these anyway.
     */
    keys: z.object({ storeKey: Key, subjectKek: Key, vaultKey: Key }).strict(),
  })
  .strict()
export type BackupManifest = z.infer<typeof BackupManifest>

/** One file in the archive, by its path inside the workspace folder. */
export interface ArchiveFile {
  readonly path: string
  readonly bytes: Uint8Array
}

/**
 * Packs the manifest and files into one buffer: a magic line, the manifest as one JSON line,
 * then the files' bytes in manifest order. No compression: the store's pages are ciphertext.
 */
export function packArchive(header: Omit<BackupManifest, 'files'>, files: readonly ArchiveFile[]): Buffer {
  const manifest: BackupManifest = {
    ...header,
    files: files.map((file) => ({ path: file.path, size: file.bytes.length, sha256: sha256Hex(file.bytes) })),
  }
  return Buffer.concat([
    MAGIC,
    Buffer.from(`${JSON.stringify(manifest)}\n`, 'utf8'),
    ...files.map((f) => f.bytes),
  ])
}

/** The manifest and files of a packed archive. Throws integrity `backup.corrupt` on any mismatch. */
export function unpackArchive(packed: Uint8Array): { manifest: BackupManifest; files: ArchiveFile[] } {
  const bytes = Buffer.from(packed.buffer, packed.byteOffset, packed.length)
  if (!bytes.subarray(0, MAGIC.length).equals(MAGIC)) throw corrupt('it is not an Amanat backup')
  const end = bytes.indexOf(0x0a, MAGIC.length)
  if (end === -1) throw corrupt('its manifest is cut short')
  let json: unknown
  try {
    json = JSON.parse(bytes.subarray(MAGIC.length, end).toString('utf8'))
  } catch {
    throw corrupt('its manifest is not JSON')
  }
  const parsed = BackupManifest.safeParse(json)
  if (!parsed.success) throw corrupt('its manifest is damaged or from an unknown version')
  const manifest = parsed.data
  let at = end + 1
  const files = manifest.files.map((entry) => {
    const content = bytes.subarray(at, at + entry.size)
    at += entry.size
    if (content.length !== entry.size || sha256Hex(content) !== entry.sha256)
      throw corrupt(`${entry.path} does not match its hash`)
    return { path: entry.path, bytes: content }
  })
  if (at !== bytes.length) throw corrupt('it has bytes after its last file')
  return { manifest, files }
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

function corrupt(why: string) {
  return integrityError('backup.corrupt', `The backup cannot be restored: ${why}.`)
}
