import { readFileSync } from 'node:fs'
import { inputError } from '@amanat/domain'
import { formatFingerprint } from '@amanat/crypto'
import { verifyDossier } from '../../dossier/manifest.ts'
import type { Command } from '../command.ts'
import { EXIT } from '../exit-codes.ts'

export const verifyDossierCommand: Command = {
  name: 'verify-dossier',
  summary: 'check a dossier: its signature and that no byte of it changed',
  help: `Usage: amanat verify-dossier <file.pdf> [--fingerprint <fp>] [--json]

Checks the signed manifest at the end of a dossier: the signature, and that the PDF's bytes are
exactly those signed. Exits with 3 if anything differs. Prints the signing key's fingerprint:
compare it with the one the organisation publishes, or pass it with --fingerprint to have it
checked. Needs no workspace and no passphrase.

Options:
  --fingerprint <fp>   fail unless the dossier was signed by the key with this fingerprint
  --json               print the manifest as JSON on stdout
  -h, --help           this help`,
  options: { fingerprint: { type: 'string' }, json: { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  run({ values, positionals, terminal }) {
    const path = positionals[0] ?? ''
    let bytes: Buffer
    try {
      bytes = readFileSync(path)
    } catch {
      throw inputError('dossier.not_found', `Cannot read ${path}.`)
    }
    const expected = typeof values.fingerprint === 'string' ? values.fingerprint : undefined
    const check = verifyDossier(bytes, expected)
    if (values.json === true)
      terminal.out(JSON.stringify({ ok: true, fingerprint: check.fingerprint, manifest: check.manifest }))
    else {
      terminal.out(`dossier ok: signed ${check.manifest.issuedAt} by ${formatFingerprint(check.fingerprint)}`)
      terminal.out(
        `covers ${String(check.manifest.custody.length)} events; chain head ${check.manifest.head}`,
      )
      if (expected === undefined)
        terminal.info('compare the fingerprint with the one the organisation publishes.')
    }
    return Promise.resolve(EXIT.ok)
  },
}
