import { describe, expect, it } from 'vitest'
import { checkStoryText, digitRuns, type ForbiddenTerm } from '../../src/stories/story-check.ts'

const phone: ForbiddenTerm = { source: 'identifier', kind: 'phone', value: '+905321234567' }
const wechat: ForbiddenTerm = { source: 'identifier', kind: 'wechat', value: 'Sky_Lantern88' }
const email: ForbiddenTerm = { source: 'identifier', kind: 'email', value: 'officer.zhang@example.org' }
const office: ForbiddenTerm = {
  source: 'identifier',
  kind: 'office',
  value: 'Third Precinct Public Security Bureau',
}
const name: ForbiddenTerm = { source: 'vault', kind: 'vault_entry', value: 'Amina Testova' }
const place: ForbiddenTerm = { source: 'place', kind: 'locality', value: 'Istanbul' }
const ALL = [phone, wechat, email, office, name, place]

const SAFE =
  'In 2019 a man who said he was from the police called Blue Heron over a messaging app and asked for the names of other members of the community. Blue Heron, who lives in Turkey, refused.'

describe('the story check', () => {
  it('passes a story told under a pseudonym, with country and year only', () => {
    expect(checkStoryText(SAFE, ALL)).toEqual([])
  })

  it.each([
    ['the E.164 form', 'He was called from +905321234567.'],
    ['spaces and brackets', 'The number was +90 (532) 123 45 67.'],
    ['the national form with dashes', 'It was 0532-123-45-67 again.'],
    ['dots', 'Call 532.123.45.67 back, they said.'],
    ['Arabic-Indic digits', 'نومۇر ۰۵۳۲ ۱۲۳ ۴۵ ۶۷ ئىدى'],
    ['fullwidth digits', '号码是０５３２１２３４５６７'],
  ])('finds a phone number written with %s', (_how, text) => {
    expect(checkStoryText(text, [phone])).toEqual([
      { problem: 'identifying_term', source: 'identifier', kind: 'phone' },
    ])
  })

  it.each([
    ['another case', 'The id was sky_lantern88.'],
    ['spaces inside', 'The id was Sky Lantern 88.'],
    ['an e-mail', 'They wrote from OFFICER.ZHANG@EXAMPLE.ORG.'],
    ['an office name across a line break', 'the third precinct\npublic security bureau'],
    ['a vault name', 'Amina  Testova told us'],
    ['a locality', 'She lives in istanbul'],
  ])('finds an identifying term in %s', (_how, text) => {
    expect(checkStoryText(text, ALL)).toHaveLength(1)
  })

  it('names what it found by source and kind, never by the value', () => {
    const findings = checkStoryText('Sky_Lantern88 called 0532 123 45 67 from Istanbul', ALL)
    expect(findings).toHaveLength(3)
    expect(JSON.stringify(findings)).not.toMatch(/Sky|0532|Istanbul/i)
  })

  it.each([
    'on 2019-03-14',
    'on 14.03.2019',
    'on 3/14/2019',
    'in March 2019',
    'on 14 March',
    'on March 14',
    '14 Mart 2019',
    '2019年3月',
  ])('refuses a date finer than a year: %s', (date) => {
    expect(checkStoryText(`It happened ${date}.`, [])).toEqual([{ problem: 'exact_date' }])
  })

  it('does not take a year or a count for a phone number', () => {
    expect(
      checkStoryText('In 2019, 12 people were called; 123 times in all.', [
        { source: 'identifier', kind: 'phone', value: '+1 202 555 0123' },
      ]),
    ).toEqual([])
  })

  it('reads digit runs across separators', () => {
    expect(digitRuns('+90 (532) 123-45-67 and 2019')).toEqual(['905321234567', '2019'])
  })
})
