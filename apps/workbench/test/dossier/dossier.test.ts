import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PROPERTY_RUNS } from '../../../../tools/test-support/profile.ts'
import { chromiumAvailable } from '../../../../tools/test-support/services.ts'
import { verifyDossier } from '../../src/dossier/manifest.ts'
import { launchChromium, printPdf } from '../../src/dossier/print-pdf.ts'
import { openWorkspace, readWorkspaceConfig } from '../../src/workspace/workspace.ts'
import {
  PASSPHRASES,
  TEST_PASSPHRASE,
  amanat,
  filesBelow,
  inTemporaryFolder,
  tempDir,
  withEnvironment,
} from '../support.ts'
import { markedWorkspace } from '../keys/support.ts'

const withBrowser = chromiumAvailable() || process.env.CI === 'true'

async function issued() {
  const { dir, marked } = await markedWorkspace({
    respondents: 3,
    markers: ['DOSSIERMK'],
    markedConsent: ['aggregate', 'share_with_lawyer'],
  })
  const out = join(tempDir(), 'dossier.pdf')
  const run = await amanat(
    ['dossier', '--workspace', dir, '--respondent', marked[0]!.key, '--out', out, '--json'],
    PASSPHRASES,
  )
  expect(run.stderr.filter((l) => !l.includes('warning'))).toEqual([])
  expect(run.code).toBe(0)
  return {
    dir,
    out,
    respondent: marked[0]!,
    report: JSON.parse(run.stdout[0]!) as { sha256: string; manifest: { custody: unknown[] } },
  }
}

describe.runIf(withBrowser)('amanat dossier and verify-dossier (issue #5 part 6; needs Chromium)', () => {
  it('prints a PDF whose signed manifest verifies, checks the fingerprint, and records dossier.issued', async () => {
    const { dir, out, respondent, report } = await issued()
    const bytes = readFileSync(out)
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-')
    const fingerprint = readWorkspaceConfig(dir).keys.signingFingerprint
    const check = verifyDossier(bytes, fingerprint)
    expect(check.fingerprint).toBe(fingerprint)
    expect(check.manifest.subject).toBe(`Pseudo ${respondent.marker}`)
    expect(report.manifest.custody.length).toBeGreaterThan(0)

    const ok = await amanat(['verify-dossier', out, '--fingerprint', fingerprint])
    expect(ok.code).toBe(0)
    expect(ok.stdout.join('\n')).toMatch(/dossier ok/)
    const otherKey = 'a'.repeat(32)
    const wrongSigner = await amanat(['verify-dossier', out, '--fingerprint', otherKey])
    expect(wrongSigner.code).toBe(3)
    expect(wrongSigner.stderr.join('\n')).toMatch(/amanat: dossier.invalid: /)

    const workspace = await openWorkspace(dir, TEST_PASSPHRASE)
    try {
      const last = (await workspace.store.events({ limit: 10_000 })).at(-1)
      expect(last?.subject).toBe(respondent.id)
      expect(last?.body).toEqual({
        kind: 'dossier.issued',
        respondentId: respondent.id,
        sha256: report.sha256,
        events: report.manifest.custody.length,
      })
    } finally {
      await workspace.close()
    }
  }, 60_000)

  it('leaves nothing of the printed page on the disk, in the browser profile or the temporary folder', async () => {
    const markers = ['PRINTMARKTITLE', 'PRINTMARKBODY']
    const folder = tempDir()
    let searched = 0
    const hits: string[] = []
    const pdf = await inTemporaryFolder(folder, () =>
      printPdf(
        `<!doctype html><html><head><title>Evidence dossier: ${markers[0]}</title></head><body><h1>${markers[1]}</h1></body></html>`,
        {
          // Chromium wrote its session (the page's title among it) when the page closed.
          afterPagesClosed: () => {
            for (const file of filesBelow(folder)) {
              searched++
              const bytes = readFileSync(file)
              for (const marker of markers)
                if (bytes.includes(marker) || bytes.includes(Buffer.from(marker, 'utf16le'))) hits.push(file)
            }
            return Promise.resolve()
          },
        },
      ),
    )
    expect(Buffer.from(pdf.subarray(0, 5)).toString()).toBe('%PDF-')
    // The browser's profile was there, and was searched.
    expect(searched).toBeGreaterThan(20)
    expect(hits).toEqual([])
    expect(readdirSync(folder)).toEqual([])
  }, 60_000)

  it('keeps no crash dump of a page that crashes, in the home folder or the temporary folder', async () => {
    // Debian's Chromium keeps a dump of every crashed process in ~/.config/chromium/Crash Reports
    // for 30 days unless, as here, its configuration folder cannot be made.
    const [home, folder] = [tempDir(), tempDir()]
    let crashed = false
    await withEnvironment({ HOME: home, TMPDIR: folder }, async () => {
      const browser = await launchChromium()
      try {
        const context = await browser.newContext({ offline: true })
        const page = await context.newPage()
        const crash = new Promise<void>((resolve) => page.once('crash', () => resolve()))
        await page.setContent(
          `<title>Evidence dossier: CRASHMARK</title><p>${'CRASHMARK '.repeat(10_000)}</p>`,
        )
        const devtools = await context.newCDPSession(page)
        // Chromium answers a crash with silence: the crash event is the answer.
        void devtools.send('Page.crash').catch(() => undefined)
        await crash
        crashed = true
        // The crash reporter writes its dump beside the browser: time for it to do so.
        await new Promise((resolve) => setTimeout(resolve, 1000))
        await context.close()
      } finally {
        await browser.close()
      }
    })
    expect(crashed).toBe(true)
    expect(filesBelow(home)).toEqual([])
    expect(readdirSync(folder)).toEqual([])
  }, 60_000)

  it('fails to verify after any single byte changes, anywhere in the file (property)', async () => {
    const { out } = await issued()
    const original = readFileSync(out)
    verifyDossier(original)
    fc.assert(
      fc.property(fc.nat({ max: original.length - 1 }), fc.integer({ min: 1, max: 255 }), (position, xor) => {
        const bytes = Buffer.from(original)
        bytes[position] = (bytes[position] ?? 0) ^ xor
        expect(() => verifyDossier(bytes)).toThrow(/dossier.invalid|does not verify/)
      }),
      { numRuns: PROPERTY_RUNS },
    )
    // The tail (the manifest block) is where a lenient parser would let a change through: every byte of it.
    const tail = original.length - original.lastIndexOf('\n%AMANAT-DOSSIER-MANIFEST ')
    for (let back = 1; back <= tail; back += 1) {
      const bytes = Buffer.from(original)
      bytes[bytes.length - back] = (bytes[bytes.length - back] ?? 0) ^ 1
      expect(() => verifyDossier(bytes)).toThrow()
    }
    expect(() => verifyDossier(Buffer.concat([original, Buffer.from(' ')]))).toThrow()
    expect(() => verifyDossier(original.subarray(1))).toThrow()
  }, 60_000)
})

describe('amanat dossier without consent', () => {
  it('refuses clearly and writes nothing', async () => {
    const { dir, marked } = await markedWorkspace({
      respondents: 2,
      markers: ['NOCONSENT'],
      markedConsent: ['aggregate'],
    })
    const out = join(tempDir(), 'refused.pdf')
    const run = await amanat(
      ['dossier', '--workspace', dir, '--respondent', marked[0]!.key, '--out', out],
      PASSPHRASES,
    )
    expect(run.code).toBe(1)
    expect(run.stderr.join('\n')).toMatch(/amanat: dossier.no_consent: .*lawyer/)
    expect(existsSync(out)).toBe(false)
  })
})
