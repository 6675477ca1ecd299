import { createHash } from 'node:crypto'
import type { Codebook } from '@amanat/domain'
import { defaultCodebook } from '../../domain/test/support.ts'
import { generateStudy, type GenerateStudyOptions, type TestimonyImportedBody } from '../src/index.ts'

/** The codebook the synthetic tests code against: the project's default. */
export function testCodebook(): Codebook {
  return defaultCodebook()
}

/** A whole study in memory (tests only: the generator itself streams). */
export function study(options: Partial<GenerateStudyOptions> = {}): TestimonyImportedBody[] {
  return [...generateStudy({ seed: 'amanat-test', codebook: testCodebook(), ...options })]
}

/** The non-deprecated codes of one codebook section. */
export function codesIn(codebook: Codebook, section: keyof Codebook['sections']): Set<string> {
  return new Set(
    codebook.sections[section].filter((entry) => entry.deprecated !== true).map((entry) => entry.code),
  )
}

/**
 * Names of real people printed in the seed report (the brief's blocklist and the others the report
 * prints), kept only as truncated SHA-256 hashes of their lowercase words and word pairs, so that
 * no real name is written into this repository. None may appear anywhere in synthetic output.
 */
const REAL_NAME_HASHES: ReadonlySet<string> = new Set(["8017fd10058ac4ce39a891b8", "3df06ec4e885a7961ce0754b", "f64058eb648c526ae41c4819", "cf3f6797c3e3e5b32a55fa6a", "3f6d40be43e819a454321575", "851b45e428c19a246a19027a", "288cac0ab99858876f62f4c0", "d42ca86ce2df36c408f1b095", "ea354c62289863491639b7dc", "ac5e54b28b9c83b1dca79e24", "e1f374f495681f3dff5645c4", "28a3996315a25a7b889852c6", "fe604600879c251239796418", "dbd346981deaec8d9a4f7150", "46161fd715b46e23607cb1cc", "66cc6f6a245ee3a70ff54c9e", "cf75973fbed516b5990062a1", "e16a1ece198f93954961f34f"])

/** The words (and adjacent word pairs) of `text` that are real names from the seed report, as hashes. */
export function realNamesIn(text: string): string[] {
  const words = text.toLowerCase().match(/\p{L}+/gu) ?? []
  const found: string[] = []
  words.forEach((word, i) => {
    for (const candidate of [word, `${word} ${words[i + 1] ?? ''}`]) {
      const hash = createHash('sha256').update(candidate).digest('hex').slice(0, 24)
      if (REAL_NAME_HASHES.has(hash)) found.push(hash)
    }
  })
  return found
}
