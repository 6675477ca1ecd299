import { describe, expect, it } from 'vitest'
import {
  activeCodes,
  assertCode,
  checkCodes,
  Codebook,
  codebookLanguages,
  codebookRef,
  extendCodebook,
  findCode,
  hasCode,
  isAmanatError,
  labelOf,
  parseCodebook,
  SECTION_NAMES,
  WorkspaceEventBody,
  type AmanatError,
  type SectionName,
  type SourceProblem,
} from '../src/index.ts'
import { aRelative, aRespondent, anIncident, defaultCodebook, defaultCodebookText } from './support.ts'

/** The codes DESIGN.md lists for the default codebook, and the brief's lists for the other sections. */
const REQUIRED_CODES: Readonly<Record<SectionName, readonly string[]>> = {
  harassment_types: [
    'threat_to_relatives',
    'relative_detained',
    'lost_contact_with_family',
    'pressure_to_return',
    'personal_data_request',
    'informant_recruitment',
    'inducement_offer',
    'pretext_contact',
    'lure_to_diplomatic_mission',
    'document_denial',
    'surveillance',
    'public_intimidation',
    'death_threat',
    'retaliation_for_activism',
    'smear_campaign',
    'deportation_threat',
    'communication_monitoring',
  ],
  channels: [
    'wechat',
    'whatsapp',
    'other_messaging_app',
    'phone_call',
    'recorded_phone_message',
    'in_person',
    'via_relative',
    'state_media',
    'social_media',
    'email',
    'post_or_courier',
  ],
  perpetrators: [
    'home_police',
    'state_security',
    'embassy_consulate',
    'state_media',
    'intermediary',
    'unidentified_believed_state_linked',
    'host_state_authority',
  ],
  impacts: [
    'fear',
    'self_censorship',
    'mistrust_in_community',
    'depression',
    'relocation',
    'stopped_using_app',
    'sought_police_protection',
    'lost_contact',
  ],
  residence_statuses: [
    'citizen',
    'permanent_resident',
    'temporary_resident',
    'refugee',
    'asylum_seeker',
    'student',
    'undocumented',
    'other',
  ],
  ethnicities: ['uyghur', 'kazakh', 'kyrgyz', 'uzbek', 'tajik', 'hui', 'tatar', 'other'],
  relative_statuses: [
    'detained',
    'disappeared',
    'imprisoned',
    'released',
    'in_contact',
    'deceased',
    'unknown',
  ],
  relations: ['parent', 'sibling', 'child', 'spouse', 'grandparent', 'extended_family', 'other'],
}

const ARABIC_LETTER = /[\u0600-\u06FF]/
const HAN = /\p{Script=Han}/u

/** What a refusal must look like; returns the error for further checks. */
function refusal(run: () => unknown, code = 'codebook.invalid'): AmanatError {
  try {
    run()
  } catch (error) {
    if (isAmanatError(error, code)) {
      expect(error.kind).toBe('input')
      return error
    }
    throw error
  }
  throw new Error(`expected a ${code} refusal, but nothing was thrown`)
}

function problemsOf(error: AmanatError): SourceProblem[] {
  return error.details.problems as SourceProblem[]
}

function firstProblem(error: AmanatError): SourceProblem {
  const first = problemsOf(error)[0]
  if (first === undefined) throw new Error('the refusal lists no problems')
  return first
}

/**
 * A small valid codebook; the comment on each line is its line number, which the tests below
 * assert against. Edit it with {@link replaceLine}, {@link removeLine} and {@link insertAfter}.
 */
const SMALL: readonly string[] = [
  'id: test-book', // 1
  'version: 1.0.0', // 2
  'languages: [en, ug]', // 3
  'sections:', // 4
  '  harassment_types:', // 5
  '    - code: threat_to_relatives', // 6
  '      labels: { en: Threat to relatives, ug: تۇغقانلارغا تەھدىت }', // 7
  '  channels:', // 8
  '    - code: wechat', // 9
  '      labels:', // 10
  '        en: WeChat', // 11
  '        ug: ئۈندىدار', // 12
  '    - code: phone_call', // 13
  '      labels: { en: Phone call, ug: تېلېفون }', // 14
  '  perpetrators: [{ code: home_police, labels: { en: Police at home, ug: يۇرتتىكى ساقچىلار } }]', // 15
  '  impacts: [{ code: fear, labels: { en: Fear, ug: قورقۇنچ } }]', // 16
  '  residence_statuses: [{ code: refugee, labels: { en: Refugee, ug: مۇساپىر } }]', // 17
  '  ethnicities: [{ code: uyghur, labels: { en: Uyghur, ug: ئۇيغۇر } }]', // 18
  '  relative_statuses: [{ code: detained, labels: { en: Detained, ug: تۇتقۇن قىلىنغان } }]', // 19
  '  relations: [{ code: sibling, labels: { en: Sibling, ug: قېرىنداش } }]', // 20
]

const text = (lines: readonly string[]) => `${lines.join('\n')}\n`
const replaceLine = (line: number, content: string) =>
  text(SMALL.map((l, i) => (i + 1 === line ? content : l)))
const removeLine = (line: number) => text(SMALL.filter((_, i) => i + 1 !== line))
const insertAfter = (line: number, content: string) =>
  text([...SMALL.slice(0, line), content, ...SMALL.slice(line)])

describe('the default codebook', () => {
  it('loads and validates as amanat-default 1.0.0 in en, ug, zh and tr', () => {
    const book = defaultCodebook()
    expect(codebookRef(book)).toBe('amanat-default@1.0.0')
    expect(book.languages).toEqual(['en', 'ug', 'zh', 'tr'])
    expect(book.partialLanguages).toBeUndefined()
    expect(Codebook.safeParse(book).success).toBe(true)
  })

  it('has every DESIGN.md code in its section, none deprecated', () => {
    const book = defaultCodebook()
    for (const section of SECTION_NAMES) {
      const active = activeCodes(book, section).map((entry) => entry.code)
      for (const code of REQUIRED_CODES[section]) expect(active, `${section}.${code}`).toContain(code)
      expect(book.sections[section].filter((entry) => entry.deprecated === true)).toEqual([])
    }
  })

  it('gives every entry a label in every language and an English description', () => {
    const book = defaultCodebook()
    let entries = 0
    for (const section of SECTION_NAMES) {
      for (const entry of book.sections[section]) {
        entries += 1
        for (const lang of book.languages)
          expect(entry.labels[lang]?.trim(), `${entry.code} ${lang}`).toBeTruthy()
        expect(entry.description?.en?.length ?? 0, `${entry.code} description`).toBeGreaterThan(20)
        expect(entry.labels.ug, `${entry.code} ug`).toMatch(ARABIC_LETTER)
        // Brand names (WhatsApp) are written in Latin letters in Chinese too; anything else is in Han.
        expect(entry.labels.zh, `${entry.code} zh`).toMatch(
          entry.labels.zh === entry.labels.en ? /^[A-Za-z]+$/ : HAN,
        )
      }
    }
    expect(entries).toBeGreaterThan(70)
  })

  it('writes Uyghur labels in Arabic script, not in transliteration', () => {
    for (const section of SECTION_NAMES) {
      for (const entry of defaultCodebook().sections[section]) {
        // Latin letters appear only inside parentheses, for a brand name such as (WeChat).
        const outsideParentheses = (entry.labels.ug ?? '').replace(/\([^)]*\)/g, '')
        expect(outsideParentheses, entry.code).not.toMatch(/[A-Za-z]/)
      }
    }
  })

  it('is frozen, so no caller can change a code under everyone else', () => {
    const book = defaultCodebook()
    const wechat = findCode(book, 'channels', 'wechat')
    expect(() => {
      ;(book.sections.channels as unknown[]).push({})
    }).toThrow(TypeError)
    expect(() => {
      if (wechat !== undefined) wechat.labels.en = 'changed'
    }).toThrow(TypeError)
  })

  it('documents an extension example in its header that really loads', () => {
    const header = defaultCodebookText()
      .split('\n')
      .filter((line) => line.startsWith('#'))
    const start = header.findIndex((line) => line.startsWith('#   extends:'))
    const end = header.findIndex((line) => line.includes('channels: [other_messaging_app]'))
    expect(start).toBeGreaterThan(0)
    expect(end).toBeGreaterThan(start)
    const example = header
      .slice(start, end + 1)
      .map((line) => line.slice(4))
      .join('\n')
    const book = extendCodebook(defaultCodebook(), example, 'header example')
    expect(codebookRef(book)).toBe('example-org@1.0.0')
    expect(labelOf(book, 'channels', 'telegram', 'kk')).toBe('Телеграм')
    expect(activeCodes(book, 'channels').map((entry) => entry.code)).not.toContain('other_messaging_app')
  })

  it('parses to the same codebook every time (the loader is deterministic)', () => {
    expect(parseCodebook(defaultCodebookText(), 'default.yaml')).toEqual(defaultCodebook())
  })
})

describe('lookups', () => {
  it('finds codes, deprecated or not, and lists only active ones', () => {
    const book = defaultCodebook()
    expect(findCode(book, 'channels', 'wechat')?.labels.en).toBe('WeChat')
    expect(findCode(book, 'channels', 'home_police')).toBeUndefined()
    expect(hasCode(book, 'perpetrators', 'home_police')).toBe(true)
    expect(hasCode(book, 'channels', 'telegram')).toBe(false)
    expect(activeCodes(book, 'relations').map((entry) => entry.code)).toEqual(REQUIRED_CODES.relations)
  })

  it('falls back from the language to its primary tag, then English, then the code', () => {
    const book = defaultCodebook()
    expect(labelOf(book, 'ethnicities', 'uyghur', 'ug')).toBe('ئۇيغۇر')
    expect(labelOf(book, 'ethnicities', 'uyghur', 'zh')).toBe('维吾尔族')
    expect(labelOf(book, 'ethnicities', 'uyghur', 'zh-Hans')).toBe('维吾尔族')
    expect(labelOf(book, 'ethnicities', 'uyghur', 'fr')).toBe('Uyghur')
    expect(labelOf(book, 'ethnicities', 'no_such_code', 'ug')).toBe('no_such_code')
  })

  it('returns the entry of a known code', () => {
    expect(assertCode(defaultCodebook(), 'impacts', 'fear').labels.tr).toBe('Korku')
  })

  it('refuses an unknown code, naming the section and a close existing code', () => {
    const error = refusal(() => assertCode(defaultCodebook(), 'channels', 'wehcat'), 'codebook.unknown_code')
    expect(error.message).toBe(
      'the code wehcat is not in channels of codebook amanat-default@1.0.0; did you mean wechat?',
    )
    expect(error.details).toMatchObject({ section: 'channels', code: 'wehcat', suggestion: 'wechat' })
  })

  it('suggests nothing when no code is within two edits', () => {
    const error = refusal(
      () => assertCode(defaultCodebook(), 'channels', 'telegram'),
      'codebook.unknown_code',
    )
    expect(error.message).toBe('the code telegram is not in channels of codebook amanat-default@1.0.0')
    expect(error.details).toMatchObject({ suggestion: null })
  })

  it('does not repeat a value that is not shaped like a code (it could be a name)', () => {
    const error = refusal(
      () => assertCode(defaultCodebook(), 'ethnicities', 'Ayla Demir'),
      'codebook.unknown_code',
    )
    expect(error.message).not.toContain('Ayla')
    expect(JSON.stringify(error.details)).not.toContain('Ayla')
    expect(error.message).toContain('ethnicities')
  })

  it('accepts records whose codes are all in the codebook, with empty codes allowed', () => {
    const book = defaultCodebook()
    expect(() =>
      checkCodes(book, {
        respondents: [aRespondent(), aRespondent({ ethnicity: null, status: null })],
        incidents: [anIncident(), anIncident({ channel: null, perpetrator: null })],
        relatives: [aRelative()],
      }),
    ).not.toThrow()
    expect(() => checkCodes(book, {})).not.toThrow()
  })

  it('refuses the first unknown code, with the path of the field that holds it', () => {
    const book = defaultCodebook()
    const incidents = [anIncident(), anIncident({ channel: 'telegram' })]
    const error = refusal(() => checkCodes(book, { incidents }), 'codebook.unknown_code')
    expect(error.message).toMatch(/^incidents\[1\]\.channel: the code telegram is not in channels/)
    expect(error.details).toMatchObject({ path: 'incidents[1].channel', section: 'channels' })

    const respondents = [aRespondent({ ethnicity: 'uighur' })]
    expect(refusal(() => checkCodes(book, { respondents }), 'codebook.unknown_code').message).toBe(
      'respondents[0].ethnicity: the code uighur is not in ethnicities of codebook amanat-default@1.0.0; did you mean uyghur?',
    )
    const relatives = [aRelative({ status: 'arrested' })]
    expect(refusal(() => checkCodes(book, { relatives }), 'codebook.unknown_code').message).toMatch(
      /^relatives\[0\]\.status: .* relative_statuses/,
    )
    // A code from the wrong section is unknown there.
    const swapped = [anIncident({ type: 'wechat' })]
    expect(refusal(() => checkCodes(book, { incidents: swapped }), 'codebook.unknown_code').message).toMatch(
      /^incidents\[0\]\.type: .* harassment_types/,
    )
  })
})

describe('parseCodebook refusals', () => {
  it('accepts the small fixture the refusals below are made from', () => {
    const book = parseCodebook(text(SMALL), 'small.yaml')
    expect(codebookRef(book)).toBe('test-book@1.0.0')
    expect(book.sections.channels.map((entry) => entry.code)).toEqual(['wechat', 'phone_call'])
  })

  it('names the source, line and field of a missing label', () => {
    const error = refusal(() => parseCodebook(removeLine(12), 'small.yaml'))
    expect(error.message).toBe(
      'small.yaml line 10, field sections.channels[0].labels.ug: missing the ug label',
    )
    expect(error.details).toEqual({
      source: 'small.yaml',
      problems: [
        { line: 10, column: 7, field: 'sections.channels[0].labels.ug', message: 'missing the ug label' },
      ],
    })
  })

  it('points at the parent when a whole field is missing', () => {
    const problem = firstProblem(refusal(() => parseCodebook(removeLine(14), 'small.yaml')))
    expect(problem).toMatchObject({ line: 13, field: 'sections.channels[1].labels' })
    expect(problem.message).toBe('missing (expected a mapping of fields)')

    const noSection = firstProblem(refusal(() => parseCodebook(removeLine(20), 'small.yaml')))
    expect(noSection).toMatchObject({
      line: 4,
      field: 'sections.relations',
      message: 'missing (expected a list)',
    })
  })

  it('refuses a value of the wrong type at its own line', () => {
    const list = firstProblem(refusal(() => parseCodebook(replaceLine(11, '        en: [WeChat]'))))
    expect(list).toMatchObject({ line: 11, column: 9, field: 'sections.channels[0].labels.en' })
    expect(list.message).toBe('expected text, got a list')

    const flag = firstProblem(refusal(() => parseCodebook(insertAfter(14, '      deprecated: maybe'))))
    expect(flag).toMatchObject({
      line: 15,
      field: 'sections.channels[1].deprecated',
      message: 'expected true or false, got text',
    })
  })

  it('refuses a bad version: a number, or text of the wrong shape', () => {
    const number = refusal(() => parseCodebook(replaceLine(2, 'version: 1.0'), 'small.yaml'))
    expect(number.message).toBe(
      'small.yaml line 2, field version: expected text, got a number (write it in quotes)',
    )
    const shape = firstProblem(refusal(() => parseCodebook(replaceLine(2, 'version: "1.0"'))))
    expect(shape).toMatchObject({
      line: 2,
      column: 10,
      field: 'version',
      message: 'expected a version such as 1.0.0',
    })
  })

  it('refuses a duplicate code at the second occurrence', () => {
    const problem = firstProblem(refusal(() => parseCodebook(replaceLine(13, '    - code: wechat'))))
    expect(problem).toMatchObject({ line: 13, field: 'sections.channels[1].code' })
    expect(problem.message).toBe('the code wechat appears twice in channels')
  })

  it('refuses an unknown key at the key, and an unknown section at its name', () => {
    const field = firstProblem(refusal(() => parseCodebook(insertAfter(9, '      colour: red'))))
    expect(field).toEqual({
      line: 10,
      column: 7,
      field: 'sections.channels[0].colour',
      message: 'unknown field colour',
    })

    const section = firstProblem(
      refusal(() =>
        parseCodebook(insertAfter(20, '  weapons: [{ code: knife, labels: { en: Knife, ug: پىچاق } }]')),
      ),
    )
    expect(section).toMatchObject({ line: 21, field: 'sections.weapons', message: 'unknown field weapons' })
  })

  it('refuses a label in an undeclared language (a typo such as uy for ug)', () => {
    const problem = firstProblem(refusal(() => parseCodebook(insertAfter(12, '        uy: ئۈندىدار'))))
    expect(problem).toMatchObject({ line: 13, field: 'sections.channels[0].labels.uy' })
    expect(problem.message).toBe("uy is not one of the codebook's languages")
  })

  it('refuses a key that is not a language tag, and an empty label', () => {
    const key = firstProblem(refusal(() => parseCodebook(replaceLine(11, '        EN: WeChat'))))
    expect(key).toMatchObject({ line: 11, column: 9, field: 'sections.channels[0].labels.EN' })
    expect(key.message).toBe('not an allowed key: expected a language tag such as ug, zh or en')

    const empty = firstProblem(refusal(() => parseCodebook(replaceLine(11, '        en: "  "'))))
    expect(empty).toMatchObject({
      line: 11,
      field: 'sections.channels[0].labels.en',
      message: 'a label cannot be empty',
    })
  })

  it('refuses bad YAML syntax with the line and the field being read', () => {
    const nested = refusal(() => parseCodebook(replaceLine(11, '        en: WeChat: the app'), 'small.yaml'))
    expect(nested.message).toMatch(
      /^small\.yaml line 11, field sections\.channels\[0\]\.labels\.en: not valid YAML: /,
    )

    const duplicateKey = firstProblem(
      refusal(() => parseCodebook(replaceLine(12, '        en: WeChat again'))),
    )
    expect(duplicateKey).toMatchObject({ line: 12, field: 'sections.channels[0].labels.en' })
    expect(duplicateKey.message).toBe('this key appears twice in the same mapping')

    const tab = firstProblem(refusal(() => parseCodebook(replaceLine(9, '\t- code: wechat'))))
    expect(tab).toMatchObject({
      line: 9,
      column: 1,
      message: 'not valid YAML: Tabs are not allowed as indentation',
    })
  })

  it('reports every problem in file order, and counts the rest in the message', () => {
    const broken = text(
      SMALL.map((line, i) =>
        i + 1 === 2 ? 'version: 1' : i + 1 === 11 ? '        en: [WeChat]' : line,
      ).concat('extra: true'),
    )
    const error = refusal(() => parseCodebook(broken, 'small.yaml'))
    expect(error.message).toBe(
      'small.yaml line 2, field version: expected text, got a number (write it in quotes) (and 2 more problems)',
    )
    expect(problemsOf(error).map((p) => [p.line, p.field])).toEqual([
      [2, 'version'],
      [11, 'sections.channels[0].labels.en'],
      [21, 'extra'],
    ])
  })

  it('refuses an empty file, a list, and more than one document', () => {
    expect(firstProblem(refusal(() => parseCodebook('')))).toMatchObject({ line: 1, field: '(document)' })
    expect(firstProblem(refusal(() => parseCodebook('- a\n- b\n'))).message).toBe(
      'expected a mapping of fields, got a list',
    )
    expect(firstProblem(refusal(() => parseCodebook(`${text(SMALL)}---\nid: other\n`))).line).toBe(21)
  })

  it('refuses a file that expands aliases without limit', () => {
    const bomb = ['a: &a [x, x, x, x, x, x, x, x, x, x]', `b: &b [${Array(10).fill('*a').join(', ')}]`]
    bomb.push(`c: [${Array(30).fill('*b').join(', ')}]`)
    expect(firstProblem(refusal(() => parseCodebook(text(bomb)))).message).toMatch(/too many aliases/)
  })

  it('refuses an extension file, which needs its base', () => {
    const problem = firstProblem(
      refusal(() => parseCodebook(`extends: amanat-default@1.0.0\n${text(SMALL)}`)),
    )
    expect(problem).toMatchObject({ line: 1, field: 'extends' })
    expect(problem.message).toMatch(/extendCodebook/)
  })
})

/** An extension of the default codebook; the comment on each line is its line number. */
const EXTENSION: readonly string[] = [
  'extends: amanat-default@1.0.0', // 1
  'id: example-org', // 2
  'version: 2.1.0', // 3
  'languages: [kk]', // 4
  'sections:', // 5
  '  channels:', // 6
  '    - code: telegram', // 7
  '      labels:', // 8
  '        en: Telegram', // 9
  '        ug: تېلېگرام', // 10
  '        zh: Telegram', // 11
  '        tr: Telegram', // 12
  '        kk: Телеграм', // 13
  '      description: { en: Contact through Telegram., kk: Telegram арқылы байланыс. }', // 14
  '  impacts:', // 15
  '    - code: isolation', // 16
  '      labels: { en: Isolation, ug: يالغۇزلىنىش, zh: 孤立, tr: Yalnızlaşma, kk: Оқшаулану }', // 17
  'deprecate:', // 18
  '  channels: [other_messaging_app]', // 19
  '  relations:', // 20
  '    - extended_family', // 21
]

const extension = (edit: (lines: string[]) => string[] = (l) => l) => text(edit([...EXTENSION]))
const at = (line: number, content: string) => (lines: string[]) =>
  lines.map((l, i) => (i + 1 === line ? content : l))

describe('extendCodebook', () => {
  it("returns the merged codebook under the organisation's id and version", () => {
    const book = extendCodebook(defaultCodebook(), extension(), 'example-org.yaml')
    expect(codebookRef(book)).toBe('example-org@2.1.0')
    expect(book.basedOn).toBe('amanat-default@1.0.0')
    expect(book.languages).toEqual(['en', 'ug', 'zh', 'tr'])
    expect(book.partialLanguages).toEqual(['kk'])
    expect(codebookLanguages(book)).toEqual(['en', 'ug', 'zh', 'tr', 'kk'])
    const channels = book.sections.channels.map((entry) => entry.code)
    expect(channels.at(-1)).toBe('telegram')
    expect(channels).toHaveLength(defaultCodebook().sections.channels.length + 1)
    expect(hasCode(book, 'impacts', 'isolation')).toBe(true)
    // The merged book is a valid codebook on its own, as the workspace log stores it.
    expect(Codebook.safeParse(book).success).toBe(true)
    expect(WorkspaceEventBody.safeParse({ kind: 'codebook.adopted', codebook: book }).success).toBe(true)
  })

  it('shows inherited entries in English in an added language', () => {
    const book = extendCodebook(defaultCodebook(), extension())
    expect(labelOf(book, 'channels', 'telegram', 'kk')).toBe('Телеграм')
    expect(labelOf(book, 'channels', 'wechat', 'kk')).toBe('WeChat')
    expect(labelOf(book, 'channels', 'wechat', 'ug')).toBe('ئۈندىدار (WeChat)')
  })

  it('deprecates codes: valid for old codings, no longer offered', () => {
    const book = extendCodebook(defaultCodebook(), extension())
    expect(findCode(book, 'channels', 'other_messaging_app')?.deprecated).toBe(true)
    expect(activeCodes(book, 'channels').map((entry) => entry.code)).not.toContain('other_messaging_app')
    expect(activeCodes(book, 'relations').map((entry) => entry.code)).not.toContain('extended_family')
    expect(assertCode(book, 'relations', 'extended_family').code).toBe('extended_family')
    expect(() =>
      checkCodes(book, {
        incidents: [anIncident({ channel: 'other_messaging_app' })],
        relatives: [aRelative({ relation: 'extended_family' })],
      }),
    ).not.toThrow()
    // The base is untouched.
    expect(findCode(defaultCodebook(), 'channels', 'other_messaging_app')?.deprecated).toBeUndefined()
  })

  it('extends an extension, keeping the added languages', () => {
    const first = extendCodebook(defaultCodebook(), extension())
    const second = [
      'extends: example-org@2.1.0',
      'id: example-org-branch',
      'version: 1.0.0',
      'sections:',
      '  channels:',
      '    - code: signal',
      '      labels: { en: Signal, ug: Signal (سىگنال), zh: Signal, tr: Signal }',
    ]
    const problem = firstProblem(refusal(() => extendCodebook(first, text(second))))
    expect(problem).toMatchObject({
      line: 7,
      field: 'sections.channels[0].labels.kk',
      message: 'missing the kk label',
    })

    second[6] = '      labels: { en: Signal, ug: Signal (سىگنال), zh: Signal, tr: Signal, kk: Signal }'
    const book = extendCodebook(first, text(second))
    expect(book.basedOn).toBe('example-org@2.1.0')
    expect(book.partialLanguages).toEqual(['kk'])
    expect(book.sections.channels.map((entry) => entry.code).slice(-2)).toEqual(['telegram', 'signal'])
  })

  it('refuses an extension of another codebook', () => {
    const error = refusal(() =>
      extendCodebook(defaultCodebook(), extension(at(1, 'extends: amanat-default@1.1.0')), 'org.yaml'),
    )
    expect(error.message).toBe(
      'org.yaml line 1, field extends: this file extends amanat-default@1.1.0, but the codebook given is amanat-default@1.0.0',
    )
  })

  it("refuses the base's own id", () => {
    const problem = firstProblem(
      refusal(() => extendCodebook(defaultCodebook(), extension(at(2, 'id: amanat-default')))),
    )
    expect(problem).toMatchObject({ line: 2, field: 'id' })
  })

  it('refuses a code that already exists, even deprecated, and a code added twice', () => {
    const exists = firstProblem(
      refusal(() => extendCodebook(defaultCodebook(), extension(at(7, '    - code: wechat')))),
    )
    expect(exists).toMatchObject({ line: 7, column: 13, field: 'sections.channels[0].code' })
    expect(exists.message).toBe('the code wechat already exists in channels of amanat-default@1.0.0')

    const deprecatedBase = extendCodebook(defaultCodebook(), extension())
    const reuse = [
      'extends: example-org@2.1.0',
      'id: example-org-branch',
      'version: 1.0.0',
      'sections:',
      '  channels:',
      '    - code: other_messaging_app',
      '      labels: { en: Other app, ug: باشقا دېتال, zh: 其他应用, tr: Diğer uygulama, kk: Басқа қолданба }',
    ]
    const reused = firstProblem(refusal(() => extendCodebook(deprecatedBase, text(reuse))))
    expect(reused).toMatchObject({ line: 6, field: 'sections.channels[0].code' })
    expect(reused.message).toMatch(/deprecated there: a new meaning needs a new code/)

    const twice = extension((lines) => [...lines.slice(0, 14), ...lines.slice(6, 14), ...lines.slice(14)])
    const problem = firstProblem(refusal(() => extendCodebook(defaultCodebook(), twice)))
    expect(problem).toMatchObject({
      line: 15,
      field: 'sections.channels[1].code',
      message: 'the code telegram appears twice in channels',
    })
  })

  it('refuses the deprecation of a code the base does not have', () => {
    const error = refusal(() =>
      extendCodebook(defaultCodebook(), extension(at(21, '    - extended_famly')), 'org.yaml'),
    )
    expect(error.message).toBe(
      'org.yaml line 21, field deprecate.relations[0]: relations of amanat-default@1.0.0 has no code extended_famly to deprecate',
    )
  })

  it('requires added entries to be labelled in every language, the added ones too', () => {
    const noKk = extension((lines) => lines.filter((_, i) => i + 1 !== 13))
    const problem = firstProblem(refusal(() => extendCodebook(defaultCodebook(), noKk)))
    expect(problem).toMatchObject({
      line: 8,
      field: 'sections.channels[0].labels.kk',
      message: 'missing the kk label',
    })

    const ky = problemsOf(
      refusal(() => extendCodebook(defaultCodebook(), extension(at(4, 'languages: [ky]')))),
    )
    expect(ky).toContainEqual({
      line: 8,
      column: 7,
      field: 'sections.channels[0].labels.ky',
      message: 'missing the ky label',
    })
    expect(ky).toContainEqual({
      line: 13,
      column: 9,
      field: 'sections.channels[0].labels.kk',
      message: "kk is not one of the codebook's languages (add it to languages)",
    })
  })

  it('refuses an unknown section and a malformed file with line and field', () => {
    const section = firstProblem(
      refusal(() => extendCodebook(defaultCodebook(), extension(at(15, '  impact:')))),
    )
    expect(section).toMatchObject({ line: 15, field: 'sections.impact', message: 'unknown field impact' })

    const syntax = firstProblem(
      refusal(() => extendCodebook(defaultCodebook(), extension(at(19, '  channels: [other_messaging_app')))),
    )
    expect(syntax.line).toBeGreaterThanOrEqual(19)
    expect(syntax.message).toMatch(/^not valid YAML/)
  })

  it('needs no additions: an extension may only deprecate', () => {
    const only = [
      'extends: amanat-default@1.0.0',
      'id: example-org',
      'version: 1.0.1',
      'deprecate:',
      '  impacts: [depression]',
    ]
    const book = extendCodebook(defaultCodebook(), text(only))
    expect(book.partialLanguages).toBeUndefined()
    expect(activeCodes(book, 'impacts')).toHaveLength(defaultCodebook().sections.impacts.length - 1)
  })
})
