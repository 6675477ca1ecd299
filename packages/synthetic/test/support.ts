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
 * Names of real people from the seed report (the brief's blocklist, with the other names the
 * report prints). None may appear anywhere in synthetic output.
 */
export const REAL_NAMES =
  /Tohti|Gheni|Rushan|Asqar|Enwer|Eldana|Ismayil Osman|Musajan|Husenjan|Gulshan|Gulruy|Dilnur|Yunus|Erkin|Abdurehim|Abbas|Reheman|Yiliyasijiang/i
