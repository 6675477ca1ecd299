// Bench-only entry (bench/page.ts): the page's own sealing functions, exposed to the bench driver.
// Never part of the page's bundle.
import '../apps/questionnaire/src/zod-jitless.ts'
import { sealAttachmentContent, sealSubmissionText } from '../apps/questionnaire/src/seal.ts'

interface SealBench {
  /** Milliseconds the page takes to pad and seal `bytes` of text (a submission) or of a file. */
  (kind: 'text' | 'file', bytes: number, recipients: string[]): Promise<number>
}

const bench: SealBench = async (kind, bytes, recipients) => {
  let ms: number
  if (kind === 'text') {
    const json = JSON.stringify({ story: 'a'.repeat(Math.max(0, bytes - 13)) })
    const start = performance.now()
    await sealSubmissionText(json, recipients, 3 * 1024 * 1024)
    ms = performance.now() - start
  } else {
    const content = new Uint8Array(bytes)
    for (let at = 0; at < bytes; at += 65536) crypto.getRandomValues(content.subarray(at, Math.min(bytes, at + 65536)))
    const start = performance.now()
    await sealAttachmentContent(content, recipients)
    ms = performance.now() - start
  }
  return ms
}

;(globalThis as unknown as { amanatSealBench: SealBench }).amanatSealBench = bench
