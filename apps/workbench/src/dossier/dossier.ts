import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import { inputError } from '@amanat/domain'
import { writeFileDurably } from '../intake/durable-file.ts'
import type { IntakeSession } from '../intake/intake-session.ts'
import { currentCodebook } from '../workspace/current-codebook.ts'
import { readDossierData } from './dossier-data.ts'
import { dossierHtml } from './dossier-html.ts'
import { sealDossier, type DossierManifest } from './manifest.ts'
import { printPdf } from './print-pdf.ts'

/**
 * Makes an asylum dossier (issue #5 part 6): checks consent, prints the person's timeline,
 * testimony, attachments' hashes and chain of custody with Chromium, signs a manifest binding the
 * PDF's bytes with the organisation's key, writes the file, and records `dossier.issued` (sealed
 * under the person's key, so erasing them erases that record's content too).
 *
 * Throws input `dossier.exists`, `dossier.no_consent`, `respondent.not_found`.
 */
export async function issueDossier(
  session: IntakeSession,
  ref: string,
  out: string,
): Promise<{ file: string; manifest: DossierManifest; sha256: string }> {
  const file = resolve(out)
  if (existsSync(file))
    throw inputError('dossier.exists', `${file} already exists; a dossier never overwrites a file.`)
  const { workspace } = session
  const data = await readDossierData(
    workspace.store,
    ref,
    workspace.config.name,
    await currentCodebook(workspace.store),
  )
  const issuedAt = new Date().toISOString()
  const pdf = await printPdf(dossierHtml(data, issuedAt))
  const key = await session.signingKey()
  const { bytes, manifest } = sealDossier(
    pdf,
    {
      format: 1,
      issuedAt,
      workspace: data.workspaceName,
      subject: data.name,
      custody: data.custody.map(({ seq, kind, hash }) => ({ seq, kind, hash })),
      head: data.head,
    },
    key,
  )
  writeFileDurably(file, bytes)
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  await workspace.store.append(workspace.analyst.id, {
    kind: 'dossier.issued',
    respondentId: data.respondent.id,
    sha256,
    events: data.custody.length,
  })
  return { file, manifest, sha256 }
}
