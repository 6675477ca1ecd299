import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'
import { checkQuestionnaire, mapSubmission, SubmissionPlaintext, validateSubmission } from '../src/index.ts'
import { countingIds } from './questionnaire-builders.ts'
import { defaultCodebook } from './support.ts'

/** The JSON examples of docs/questionnaire-format.md, in order. */
function jsonBlocks(): string[] {
  const text = readFileSync(new URL('../../../docs/questionnaire-format.md', import.meta.url), 'utf8')
  return [...text.matchAll(/```json\n([\s\S]*?)```/g)].map((m) => m[1] ?? '')
}

describe('docs/questionnaire-format.md', () => {
  it('has an example questionnaire that checks clean, and an example submission that fits it', () => {
    const [definitionText, submissionText] = jsonBlocks()
    if (definitionText === undefined || submissionText === undefined)
      throw new Error('the doc lost its examples')
    const { questionnaire, missingTranslations } = checkQuestionnaire(
      definitionText,
      defaultCodebook(),
      'doc',
    )
    expect(missingTranslations).toEqual([])
    const submission = SubmissionPlaintext.parse(JSON.parse(submissionText))
    expect(validateSubmission(questionnaire, submission)).toEqual([])
    const body = mapSubmission(questionnaire, submission, countingIds(), defaultCodebook(), '2025-03-02')
    expect(body.incidents.map((i) => [i.type, i.target, i.date])).toEqual([
      ['threat_to_relatives', 'relative', { precision: 'year', value: '2019' }],
    ])
    expect(body.respondent.consent.uses).toEqual(['aggregate'])
  })
})
