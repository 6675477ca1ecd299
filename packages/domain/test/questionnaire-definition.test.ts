import { describe, expect, it } from 'vitest'
import {
  type AmanatError,
  checkQuestionnaire,
  compileQuestionnaire,
  CORE_LANGUAGES,
  extendCodebook,
  isAmanatError,
  type Question,
  Questionnaire,
  QuestionnaireDefinition,
  type QuestionnaireProblem,
} from '../src/index.ts'
import {
  attachment,
  choice,
  choices,
  compiled,
  country,
  date,
  defaultQuestionnaireText,
  definition,
  en,
  everyKindDefinition,
  group,
  longText,
  number,
  question,
  section,
  shortText,
  yesNo,
} from './questionnaire-builders.ts'
import { defaultCodebook } from './support.ts'

type Json = Record<string, unknown>

/** Runs the check on a document written as indented JSON (so problems have distinct lines). */
function check(doc: Json, source = 'test.json') {
  return checkQuestionnaire(JSON.stringify(doc, null, 2), defaultCodebook(), source)
}

/** The refusal `check` throws for `doc`; fails the test when it is accepted. */
function refusal(docOrText: Json | string): AmanatError {
  const text = typeof docOrText === 'string' ? docOrText : JSON.stringify(docOrText, null, 2)
  try {
    checkQuestionnaire(text, defaultCodebook(), 'test.json')
  } catch (error) {
    if (isAmanatError(error, 'questionnaire.invalid')) return error
    throw error
  }
  throw new Error('the questionnaire was accepted')
}

const problemsOf = (error: AmanatError) => error.details.problems as QuestionnaireProblem[]
const pathsOf = (error: AmanatError) => problemsOf(error).map((p) => p.path)

/** The 1-based line of the first occurrence of `needle` in `text`. */
const lineOf = (text: string, needle: string) => text.slice(0, text.indexOf(needle)).split('\n').length

describe('the default questionnaire', () => {
  it('checks clean against the default codebook, with nothing left untranslated in en, ug, zh and tr', () => {
    const result = checkQuestionnaire(defaultQuestionnaireText(), defaultCodebook(), 'default.json')
    expect(result.missingTranslations).toEqual([])
    expect(result.questionnaire.languages).toEqual([...CORE_LANGUAGES])
    expect(Questionnaire.safeParse(result.questionnaire).success).toBe(true)
  })

  it('takes every choice list it maps to the codebook from the codebook, with labels in all four languages', () => {
    const doc = QuestionnaireDefinition.parse(JSON.parse(defaultQuestionnaireText()))
    const q = compileQuestionnaire(doc, defaultCodebook())
    const byId = new Map<string, unknown>(
      q.sections
        .flatMap((s) => s.items.flatMap((i) => (i.kind === 'group' ? [i, ...i.items] : [i])))
        .map((i) => [i.id, i]),
    )
    const type = byId.get('incident_type') as Question | undefined
    if (type?.kind !== 'single_choice') throw new Error('incident_type should be a single choice')
    const codes = defaultCodebook().sections.harassment_types.filter((e) => e.deprecated !== true)
    expect(type.options.map((o) => o.value)).toEqual(codes.map((e) => e.code))
    for (const option of type.options)
      expect(Object.keys(option.label).sort()).toEqual([...CORE_LANGUAGES].sort())
  })

  it('writes Uyghur in Arabic script, never in Latin or Cyrillic letters', () => {
    const doc = JSON.parse(defaultQuestionnaireText()) as unknown
    const uyghur: string[] = []
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(collect)
      else if (typeof value === 'object' && value !== null) {
        for (const [key, inner] of Object.entries(value)) {
          if (key === 'ug' && typeof inner === 'string') uyghur.push(inner)
          else collect(inner)
        }
      }
    }
    collect(doc)
    expect(uyghur.length).toBeGreaterThan(50)
    for (const text of uyghur) {
      expect(text).toMatch(/[\u0600-\u06FF]/)
      expect(text).not.toMatch(/[\u0400-\u04FF]/)
    }
  })

  it('compiles a questionnaire with every kind, condition and mapping', () => {
    const q = compiled(everyKindDefinition())
    expect(q.sections.flatMap((s) => s.items).map((i) => i.kind)).toContain('group')
  })
})

describe('checkQuestionnaire refuses a malformed definition with the path of the problem', () => {
  it('refuses a duplicate id, even one inside a group', () => {
    const error = refusal(definition(section(shortText('a'), group('g', [shortText('a')]))))
    expect(error.message).toContain('sections[0].items[1].items[0].id')
    expect(error.message).toContain('already used')
  })

  it('refuses a condition on a later question, and on itself', () => {
    const later = refusal(
      definition(section(shortText('a', { showIf: { op: 'answered', question: 'b' } }), shortText('b'))),
    )
    expect(pathsOf(later)).toEqual(['sections[0].items[0].showIf.question'])
    expect(later.message).toContain('comes later')
    const self = refusal(definition(section(shortText('a', { showIf: { op: 'answered', question: 'a' } }))))
    expect(self.message).toContain('cannot depend on itself')
  })

  it('refuses a condition that looks into a group from outside it, or names no question', () => {
    const inside = refusal(
      definition(
        section(
          group('g', [yesNo('x')]),
          shortText('a', { showIf: { op: 'equals', question: 'x', value: true } }),
        ),
      ),
    )
    expect(pathsOf(inside)).toEqual(['sections[0].items[1].showIf.question'])
    const nowhere = refusal(
      definition(
        section(shortText('a', { showIf: { op: 'not', condition: { op: 'answered', question: 'zz' } } })),
      ),
    )
    expect(pathsOf(nowhere)).toEqual(['sections[0].items[0].showIf.condition.question'])
  })

  it('accepts a condition on an earlier item of the same group instance and on a top-level question', () => {
    const doc = definition(
      section(
        yesNo('top'),
        group('g', [
          yesNo('first'),
          shortText('second', {
            showIf: {
              op: 'all',
              conditions: [
                { op: 'equals', question: 'first', value: true },
                { op: 'equals', question: 'top', value: false },
              ],
            },
          }),
        ]),
      ),
    )
    expect(() => check(doc)).not.toThrow()
  })

  it('refuses condition values that do not exist or do not fit the question', () => {
    const cases: [Json, string, string][] = [
      [
        definition(
          section(
            choice('c', ['a', 'b']),
            shortText('t', { showIf: { op: 'equals', question: 'c', value: 'z' } }),
          ),
        ),
        'sections[0].items[1].showIf.value',
        'not an option',
      ],
      [
        definition(
          section(yesNo('y'), shortText('t', { showIf: { op: 'equals', question: 'y', value: 'yes' } })),
        ),
        'sections[0].items[1].showIf.value',
        'true or false',
      ],
      [
        definition(
          section(
            choices('m', ['a']),
            shortText('t', { showIf: { op: 'equals', question: 'm', value: 'a' } }),
          ),
        ),
        'sections[0].items[1].showIf.op',
        'use includes',
      ],
      [
        definition(
          section(
            choice('c', ['a']),
            shortText('t', { showIf: { op: 'includes', question: 'c', value: 'a' } }),
          ),
        ),
        'sections[0].items[1].showIf.op',
        'multiple choice',
      ],
      [
        definition(
          section(country('k'), shortText('t', { showIf: { op: 'equals', question: 'k', value: 'XX' } })),
        ),
        'sections[0].items[1].showIf.value',
        'country code',
      ],
      [
        definition(
          section(date('d'), shortText('t', { showIf: { op: 'equals', question: 'd', value: '2019' } })),
        ),
        'sections[0].items[1].showIf.op',
        'use answered',
      ],
    ]
    for (const [doc, path, words] of cases) {
      const error = refusal(doc)
      expect(pathsOf(error)).toEqual([path])
      expect(error.message).toContain(words)
    }
  })

  it('refuses a codebook value in a condition that the codebook section does not offer', () => {
    const doc = definition(
      section(
        question('s', 'single_choice', { optionsFrom: 'residence_statuses' }),
        shortText('t', { showIf: { op: 'equals', question: 's', value: 'astronaut' } }),
      ),
    )
    const error = refusal(doc)
    expect(pathsOf(error)).toEqual(['sections[0].items[1].showIf.value'])
    expect(error.message).toContain('astronaut is not an option of s')
  })

  it('refuses a maps target that does not fit the question kind, scope or model values', () => {
    const cases: [Json, string, string][] = [
      [
        definition(section(shortText('a', { maps: 'respondent.activist' }))),
        'sections[0].items[0].maps',
        'needs a yes_no question, not short_text',
      ],
      [
        definition(section(country('a', { maps: 'incident.receivedIn.country' }))),
        'sections[0].items[0].maps',
        'inside the group that maps to incidents',
      ],
      [
        definition(section(group('g', [country('a', { maps: 'respondent.residenceCountry' })]))),
        'sections[0].items[0].items[0].maps',
        'top-level question',
      ],
      [
        definition(section(choice('a', ['anonymous', 'famous'], { maps: 'respondent.disclosure' }))),
        'sections[0].items[0].options[1].value',
        'not a value of respondent.disclosure',
      ],
      [
        definition(
          section(question('a', 'single_choice', { optionsFrom: 'channels', maps: 'respondent.status' })),
        ),
        'sections[0].items[0].optionsFrom',
        'residence_statuses, not channels',
      ],
      [
        definition(section(shortText('a', { maps: 'respondent.occupation', maxLength: 500 }))),
        'sections[0].items[0].maxLength',
        'at most 200',
      ],
      [
        definition(
          section(yesNo('a', { maps: 'respondent.activist' }), yesNo('b', { maps: 'respondent.activist' })),
        ),
        'sections[0].items[1].maps',
        'already mapped by the question a',
      ],
    ]
    for (const [doc, path, words] of cases) {
      const error = refusal(doc)
      expect(pathsOf(error), words).toEqual([path])
      expect(error.message).toContain(words)
    }
  })

  it('refuses an incidents group without a required, unconditional type and target', () => {
    const missing = refusal(
      definition(section(group('g', [shortText('n', { maps: 'incident.note' })], { maps: 'incidents' }))),
    )
    expect(pathsOf(missing)).toEqual(['sections[0].items[0].items', 'sections[0].items[0].items'])
    expect(
      problemsOf(missing)
        .map((p) => p.message)
        .join(' '),
    ).toMatch(/incident\.type.*incident\.target/)
    const optional = refusal(
      definition(
        section(
          group(
            'g',
            [
              question('t', 'single_choice', { optionsFrom: 'harassment_types', maps: 'incident.type' }),
              choice('w', ['self', 'relative'], { maps: 'incident.target', required: true }),
            ],
            { maps: 'incidents' },
          ),
        ),
      ),
    )
    expect(pathsOf(optional)).toEqual(['sections[0].items[0].items[0].maps'])
    expect(optional.message).toContain('required question without showIf')
  })

  it('refuses an unknown codebook code in explicit options, and a deprecated one', () => {
    const unknown = refusal(
      definition(section(choice('c', ['wechat', 'carrier_pigeon'], { maps: 'respondent.status' }))),
    )
    expect(pathsOf(unknown)).toEqual([
      'sections[0].items[0].options[0].value',
      'sections[0].items[0].options[1].value',
    ])
    expect(unknown.message).toContain('wechat is not a code of residence_statuses')

    const base = defaultCodebook()
    const extended = extendCodebook(
      base,
      'extends: amanat-default@1.0.0\nid: org\nversion: 1.0.0\ndeprecate:\n  channels: [email]\n',
    )
    const doc = QuestionnaireDefinition.parse(
      definition(
        section(
          group(
            'g',
            [
              question('t', 'single_choice', {
                optionsFrom: 'harassment_types',
                maps: 'incident.type',
                required: true,
              }),
              choice('w', ['self'], { maps: 'incident.target', required: true }),
              choice('c', ['email', 'wechat'], { maps: 'incident.channel' }),
            ],
            { maps: 'incidents' },
          ),
        ),
      ),
    )
    expect(() => compileQuestionnaire(doc, extended)).toThrow(/options\[0\]\.value: email is deprecated/)
  })

  it('offers only active codes from optionsFrom, and compiles against an extension of the named codebook', () => {
    const extended = extendCodebook(
      defaultCodebook(),
      'extends: amanat-default@1.0.0\nid: org\nversion: 2.0.0\ndeprecate:\n  channels: [email]\n',
    )
    const q = compileQuestionnaire(
      QuestionnaireDefinition.parse(
        definition(section(question('c', 'single_choice', { optionsFrom: 'channels' }))),
      ),
      extended,
    )
    const only = q.sections[0]?.items[0]
    if (only?.kind !== 'single_choice') throw new Error('expected a single choice')
    expect(only.options.map((o) => o.value)).not.toContain('email')
    expect(only.options.map((o) => o.value)).toContain('wechat')
  })

  it('refuses a definition written for another codebook', () => {
    const doc = QuestionnaireDefinition.parse({
      ...definition(section(shortText('a'))),
      codebook: 'someone-else@1.0.0',
    })
    expect(() => compileQuestionnaire(doc, defaultCodebook())).toThrow(
      /at codebook: this questionnaire is written for someone-else@1.0.0/,
    )
  })

  it('refuses unknown kinds, unknown fields, undeclared languages and a missing default-language text', () => {
    expect(refusal(definition(section(question('a', 'essay')))).message).toMatch(
      /sections\[0\]\.items\[0\]\.kind: unknown kind; expected one of short_text/,
    )
    expect(refusal(definition(section(shortText('a', { colour: 'red' })))).message).toContain(
      'sections[0].items[0].colour: unknown field colour',
    )
    expect(refusal(definition(section(shortText('a', { label: { en: 'A', uy: 'B' } })))).message).toContain(
      "sections[0].items[0].label.uy: uy is not one of the questionnaire's languages",
    )
    const blankDefault = refusal({
      ...definition(section(shortText('a', { label: { en: ' ', tr: 'Soru' } }))),
      languages: ['en', 'tr'],
    })
    expect(blankDefault.message).toContain(
      'sections[0].items[0].label.en: missing the en text (en is the default language)',
    )
    const missing = refusal(definition(section({ id: 'a', kind: 'yes_no' })))
    expect(missing.message).toContain('sections[0].items[0].label: this field is missing')
  })

  it('refuses options with a repeated value, impossible limits and choices with no options', () => {
    expect(refusal(definition(section(choice('a', ['x', 'x'])))).message).toContain(
      'sections[0].items[0].options[1].value: the value x appears twice',
    )
    expect(refusal(definition(section(choices('a', ['x', 'y'], { min: 3 })))).message).toContain(
      'min is greater than the number of options',
    )
    expect(refusal(definition(section(number('n', { min: 5, max: 1 })))).message).toContain(
      'sections[0].items[0].min: min is greater than max',
    )
    expect(refusal(definition(section(group('g', [yesNo('y')], { min: 3, max: 2 })))).message).toContain(
      'min is greater than max',
    )
    expect(refusal(definition(section(question('a', 'single_choice')))).message).toContain(
      'a choice needs options or optionsFrom',
    )
    expect(refusal(definition(section(choice('a', ['x'], { optionsFrom: 'channels' })))).message).toContain(
      'either options or optionsFrom, not both',
    )
  })

  it('refuses limits a valid submission could not fit in the model', () => {
    const files = refusal(
      definition(
        section(attachment('a', { maxFiles: 5 }), group('g', [attachment('b', { maxFiles: 2 })], { max: 8 })),
      ),
    )
    expect(pathsOf(files)).toEqual(['sections[0].items[1].items[0].maxFiles'])
    expect(files.message).toContain('allow 21 files in all')
    const stories = Array.from({ length: 51 }, (_, k) => longText(`story_${k}`, { maps: 'narrative' }))
    expect(pathsOf(refusal(definition(section(...stories))))).toEqual(['sections[0].items[50].maps'])
    const impacts = choices(
      'effects',
      Array.from({ length: 51 }, (_, k) => `code_${k}`),
      { maps: 'respondent.impacts' },
    )
    expect(refusal(definition(section(impacts))).message).toContain(
      'sections[0].items[0].max: respondent.impacts holds at most 50 values',
    )
  })

  it('gives the line and column of each problem, and lists every problem in the details', () => {
    const doc = definition(
      section(shortText('a'), shortText('a'), yesNo('b', { maps: 'respondent.occupation' })),
    )
    const text = JSON.stringify(doc, null, 2)
    const error = refusal(text)
    const problems = problemsOf(error)
    expect(problems.map((p) => p.path)).toEqual(['sections[0].items[1].id', 'sections[0].items[2].maps'])
    const secondA = text.indexOf('"id": "a"', text.indexOf('"id": "a"') + 1)
    expect(problems[0]?.line).toBe(text.slice(0, secondA).split('\n').length)
    expect(problems[1]?.line).toBe(lineOf(text, '"maps": "respondent.occupation"'))
    expect(error.message).toMatch(
      /^test\.json line \d+, column \d+, at sections\[0\]\.items\[1\]\.id: .* \(and 1 more problem\)$/,
    )
  })
})

describe('checkQuestionnaire and JSON syntax', () => {
  const good = JSON.stringify(definition(section(shortText('a'), yesNo('b'))), null, 2)

  it('reports a JSON syntax error with its line and column', () => {
    const broken = good.replace('"kind": "yes_no"', '"kind" "yes_no"')
    const error = refusal(broken)
    const line = lineOf(broken, '"kind" "yes_no"')
    expect(problemsOf(error)[0]).toMatchObject({ path: '(document)', line })
    expect(error.message).toMatch(
      new RegExp(`^test\\.json line ${line}, column \\d+, at \\(document\\): not valid JSON: expected ':'`),
    )
  })

  it('refuses a trailing comma, a duplicate key, a comment and an unclosed document, each at its line', () => {
    const cases: [string, string, RegExp][] = [
      [good.replace('"Question b"', '"Question b",'), '"Question b",', /trailing comma/],
      [
        good.replace('"kind": "yes_no"', '"kind": "yes_no", "kind": "country"'),
        '"kind": "country"',
        /"kind" appears twice/,
      ],
      [
        good.replace('"kind": "yes_no"', '// a comment\n"kind": "yes_no"'),
        '// a comment',
        /expected a property name/,
      ],
    ]
    for (const [text, needle, reason] of cases) {
      const error = refusal(text)
      expect(error.message).toMatch(reason)
      expect(problemsOf(error)[0]?.line).toBe(lineOf(text, needle))
    }
    expect(refusal(good.slice(0, -3)).message).toMatch(/not valid JSON/)
    expect(refusal('').message).toMatch(/ends where a value was expected/)
  })

  it('accepts a byte-order mark and refuses a file over the size limit', () => {
    expect(() => checkQuestionnaire(`\uFEFF${good}`, defaultCodebook())).not.toThrow()
    expect(refusal(' '.repeat(4 * 1024 * 1024 + 1)).message).toMatch(/larger than 4 MiB/)
  })
})

describe('missing translations', () => {
  it('lists every text without a translation in a declared language, as warnings', () => {
    const doc: Json = {
      ...definition(
        section(
          shortText('a', {
            label: { en: 'Where?', ug: 'قەيەردە؟', tr: 'Nerede?' },
            help: { en: 'A city', ug: 'شەھەر', tr: ' ' },
          }),
          choice('c', ['x'], { label: { en: 'C', ug: 'C', tr: 'C' } }),
        ),
      ),
      languages: ['en', 'ug', 'tr'],
      title: { en: 'T', ug: 'ت', tr: 'T' },
    }
    ;(doc.sections as Json[])[0] = { ...(doc.sections as Json[])[0], title: { en: 'S', ug: 'س', tr: 'B' } }
    const result = check(doc)
    expect(result.missingTranslations).toEqual([
      { path: 'sections[0].items[0].help', language: 'tr' },
      { path: 'sections[0].items[1].options[0].label', language: 'ug' },
      { path: 'sections[0].items[1].options[0].label', language: 'tr' },
    ])
    const help = result.questionnaire.sections[0]?.items[0]?.help
    expect(help).toEqual({ en: 'A city', ug: 'شەھەر' })
  })

  it('lists codebook labels shown in English because the codebook lacks a questionnaire language', () => {
    const doc: Json = {
      ...definition(
        section(question('c', 'single_choice', { optionsFrom: 'relations', label: { en: 'R', kk: 'Р' } })),
      ),
      languages: ['en', 'kk'],
    }
    doc.title = { en: 'T', kk: 'Т' }
    ;(doc.sections as Json[])[0] = { ...(doc.sections as Json[])[0], title: { en: 'S', kk: 'С' } }
    const result = check(doc)
    const relations = defaultCodebook().sections.relations.filter((e) => e.deprecated !== true)
    expect(result.missingTranslations).toEqual(
      relations.map((e, o) => ({
        path: `sections[0].items[0].options[${o}].label`,
        language: 'kk',
        code: e.code,
      })),
    )
    const first = result.questionnaire.sections[0]?.items[0]
    if (first?.kind !== 'single_choice') throw new Error('expected a single choice')
    expect(first.options[0]?.label.kk).toBe(relations[0]?.labels.en)
  })
})

describe('the compiled Questionnaire schema', () => {
  it('rejects a compiled questionnaire that still names a codebook section', () => {
    const doc = { ...definition(section(question('c', 'single_choice', { optionsFrom: 'channels' }))) }
    expect(Questionnaire.safeParse(QuestionnaireDefinition.parse(doc)).success).toBe(false)
  })

  it('survives a JSON round trip unchanged, as it must to be signed as canonical JSON', () => {
    const q = compiled(everyKindDefinition())
    expect(JSON.parse(JSON.stringify(q))).toEqual(q)
  })

  it('fills every default, so the page never guesses', () => {
    const q = compiled(
      definition(section(shortText('a'), longText('b'), date('d'), number('n'), group('g', [yesNo('y')]))),
    )
    expect(q.sections[0]?.items).toMatchObject([
      { required: false, maxLength: 200 },
      { required: false, maxLength: 10_000 },
      { precisions: ['day', 'month', 'year', 'unknown'] },
      { integer: false },
      { min: 0, max: 20 },
    ])
    expect(en('x')).toEqual({ en: 'x' })
  })
})
