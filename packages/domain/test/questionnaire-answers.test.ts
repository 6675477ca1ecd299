import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PROPERTY_RUNS } from '../../../tools/test-support/profile.ts'
import {
  Answers,
  type Condition,
  evaluateCondition,
  pruneAnswers,
  QuestionId,
  SubmissionPlaintext,
  validateAnswers,
  validateSubmission,
  visibleQuestions,
} from '../src/index.ts'
import {
  attachment,
  choice,
  choices,
  compiled,
  country,
  date,
  defaultQuestionnaire,
  definition,
  everyKindDefinition,
  group,
  longText,
  number,
  section,
  shortText,
  validSubmissions,
  yesNo,
} from './questionnaire-builders.ts'

const UPLOAD = 'a'.repeat(26)
const OTHER_UPLOAD = 'b'.repeat(26)

/** A questionnaire with one question of each kind, plus a conditional one and a group. */
const kinds = compiled(
  definition(
    section(
      shortText('name_of_town', { required: true, maxLength: 10 }),
      longText('story', { maxLength: 20 }),
      choice('colour', ['red', 'blue']),
      choices('tags', ['a', 'b', 'c'], { min: 2, max: 2 }),
      country('home'),
      date('when', { precisions: ['year', 'month'] }),
      number('count', { integer: true, min: 0, max: 10 }),
      yesNo('ok'),
      attachment('photo', { accept: ['image/*'], maxFiles: 1, maxBytes: 100 }),
      yesNo('family'),
      group(
        'kin',
        [
          choice('state', ['held', 'free'], { required: true }),
          shortText('since', { showIf: { op: 'equals', question: 'state', value: 'held' } }),
        ],
        {
          showIf: { op: 'equals', question: 'family', value: true },
          max: 2,
        },
      ),
    ),
  ),
)

const good = Answers.parse({
  name_of_town: 'Somewhere',
  story: 'What happened.',
  colour: 'red',
  tags: ['a', 'c'],
  home: 'TR',
  when: { precision: 'month', value: '2019-03' },
  count: 3,
  ok: false,
  photo: [UPLOAD],
  family: true,
  kin: [{ state: 'held', since: '2017' }, { state: 'free' }],
})
const photo = {
  upload: UPLOAD,
  sha256: 'ab'.repeat(32),
  byteLength: 90,
  paddedLength: 128,
  mediaType: 'image/png',
  name: null,
  metadataKept: false,
}

const kindsOf = (answers: Record<string, unknown>, attachments?: (typeof photo)[]) =>
  validateAnswers(
    kinds,
    Answers.parse(answers),
    attachments === undefined
      ? undefined
      : attachments.map((a) => SubmissionPlaintext.shape.attachments.element.parse(a)),
  ).map((p) => `${p.path}:${p.problem}`)

describe('validateAnswers', () => {
  it('accepts a good answer set', () => {
    expect(
      validateAnswers(kinds, good, [SubmissionPlaintext.shape.attachments.element.parse(photo)]),
    ).toEqual([])
  })

  it('reports each kind of bad answer at its path', () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ name_of_town: '' }, 'name_of_town:required'],
      [{ name_of_town: 'far too long a name' }, 'name_of_town:too_long'],
      [{ story: 'x'.repeat(21) }, 'story:too_long'],
      [{ story: 7 }, 'story:wrong_type'],
      [{ colour: 'green' }, 'colour:not_an_option'],
      [{ tags: ['a'] }, 'tags:too_few'],
      [{ tags: ['a', 'b', 'c'] }, 'tags:too_many'],
      [{ tags: ['a', 'z'] }, 'tags:not_an_option'],
      [{ tags: ['a', 'a'] }, 'tags:duplicate'],
      [{ home: 'XX' }, 'home:unknown_country'],
      [{ when: { precision: 'day', value: '2019-03-04' } }, 'when:precision'],
      [{ when: '2019' }, 'when:wrong_type'],
      [{ count: 2.5 }, 'count:not_whole'],
      [{ count: 11 }, 'count:out_of_range'],
      [{ ok: 'yes' }, 'ok:wrong_type'],
      [{ photo: [UPLOAD, OTHER_UPLOAD] }, 'photo:too_many'],
      [{ photo: ['not-an-upload-id'] }, 'photo:wrong_type'],
      [{ nickname: 'x' }, 'nickname:unknown_question'],
      [{ since: '2017' }, 'since:unknown_question'],
      [{ kin: [{ state: 'held' }, { state: 'free' }, { state: 'free' }] }, 'kin:too_many'],
      [{ kin: [{}] }, 'kin[0].state:required'],
      [{ kin: [{ state: 'free', since: '2017' }] }, 'kin[0].since:hidden'],
      [{ kin: [{ state: 'held', colour: 'red' }] }, 'kin[0].colour:unknown_question'],
    ]
    for (const [change, expected] of cases) {
      expect(kindsOf({ ...good, ...change }), expected).toEqual([expected])
    }
  })

  it('refuses an answer to a question its condition hides', () => {
    expect(kindsOf({ ...good, family: false })).toEqual(['kin:hidden'])
  })

  it("checks attachment answers against the submission's files", () => {
    expect(kindsOf(good, [{ ...photo, upload: OTHER_UPLOAD }])).toEqual(['photo[0]:unknown_attachment'])
    expect(kindsOf(good, [{ ...photo, mediaType: 'application/pdf' }])).toEqual(['photo[0]:attachment_type'])
    expect(kindsOf(good, [{ ...photo, byteLength: 101, paddedLength: 128 }])).toEqual([
      'photo[0]:attachment_too_large',
    ])
  })

  it('never repeats what the respondent wrote in a problem', () => {
    const secret = 'Ürümqi-7-street'
    const problems = validateAnswers(
      kinds,
      Answers.parse({
        ...good,
        name_of_town: secret.repeat(3),
        colour: secret.toLowerCase().replace(/[^a-z]/g, ''),
      }),
    )
    expect(problems.length).toBe(2)
    expect(JSON.stringify(problems)).not.toContain('rümqi')
  })
})

describe('validateSubmission', () => {
  const q = compiled(definition(section(attachment('photo', { maxFiles: 2 }))))
  const submission = (answers: Record<string, unknown>, uploads: string[]) =>
    SubmissionPlaintext.parse({
      format: 'amanat-submission/1',
      questionnaireId: q.id,
      questionnaireVersion: q.version,
      language: 'en',
      answers,
      attachments: uploads.map((upload) => ({ ...photo, upload })),
      submittedOn: '2024-05-01',
    })

  it('accepts a submission whose every file is referenced once', () => {
    expect(validateSubmission(q, submission({ photo: [UPLOAD] }, [UPLOAD]))).toEqual([])
  })

  it('reports a file no answer refers to, another questionnaire, and an unknown language', () => {
    expect(validateSubmission(q, submission({}, [UPLOAD])).map((p) => p.problem)).toEqual([
      'unreferenced_attachment',
    ])
    expect(
      validateSubmission(q, { ...submission({}, []), questionnaireVersion: '2.0.0' }).map((p) => p.problem),
    ).toEqual(['wrong_questionnaire'])
    expect(validateSubmission(q, { ...submission({}, []), language: 'ug' }).map((p) => p.problem)).toEqual([
      'unknown_language',
    ])
  })
})

describe('showIf', () => {
  const q = compiled(
    definition(
      section(
        yesNo('harassed'),
        choices('how', ['call', 'message', 'visit'], {
          showIf: { op: 'equals', question: 'harassed', value: true },
        }),
        shortText('number', { showIf: { op: 'includes', question: 'how', value: 'call' } }),
        shortText('why_not', { showIf: { op: 'not', condition: { op: 'answered', question: 'harassed' } } }),
        shortText('either', {
          showIf: {
            op: 'any',
            conditions: [
              { op: 'includes', question: 'how', value: 'visit' },
              { op: 'equals', question: 'harassed', value: false },
            ],
          },
        }),
      ),
    ),
  )
  const shown = (answers: Record<string, unknown>) => [...visibleQuestions(q, Answers.parse(answers)).top]

  it('shows a question only while its condition holds', () => {
    expect(shown({})).toEqual(['harassed', 'why_not'])
    expect(shown({ harassed: true })).toEqual(['harassed', 'how'])
    expect(shown({ harassed: true, how: ['call'] })).toEqual(['harassed', 'how', 'number'])
    expect(shown({ harassed: true, how: ['visit'] })).toEqual(['harassed', 'how', 'either'])
    expect(shown({ harassed: false })).toEqual(['harassed', 'either'])
  })

  it('cascades: a question depending on a hidden one is hidden, whatever stale answer remains', () => {
    const stale = Answers.parse({ harassed: false, how: ['call'], number: '12345' })
    expect([...visibleQuestions(q, stale).top]).toEqual(['harassed', 'either'])
    expect(pruneAnswers(q, stale)).toEqual({ harassed: false })
    expect(validateAnswers(q, stale).map((p) => `${p.path}:${p.problem}`)).toEqual([
      'how:hidden',
      'number:hidden',
    ])
  })

  it('evaluates a group item against its own instance', () => {
    const answers = Answers.parse({
      family: true,
      kin: [
        { state: 'held', since: '2017' },
        { state: 'free', since: '2020' },
      ],
    })
    const visible = visibleQuestions(kinds, answers)
    expect(visible.groups.get('kin')?.map((s) => [...s])).toEqual([['state', 'since'], ['state']])
    expect(pruneAnswers(kinds, answers)).toEqual({
      family: true,
      kin: [{ state: 'held', since: '2017' }, { state: 'free' }],
    })
  })

  it('treats blank and empty answers as no answer', () => {
    const condition: Condition = { op: 'answered', question: QuestionId.parse('x') }
    expect(evaluateCondition(condition, Answers.parse({ x: '  ' }))).toBe(false)
    expect(evaluateCondition(condition, Answers.parse({ x: [] }))).toBe(false)
    expect(evaluateCondition(condition, Answers.parse({ x: false }))).toBe(true)
    expect(evaluateCondition(condition, Answers.parse({ x: { precision: 'unknown' } }))).toBe(true)
  })
})

describe('the answer generator used by the mapping properties', () => {
  it('makes only valid submissions, for the default questionnaire and one with every kind', () => {
    for (const q of [defaultQuestionnaire(), compiled(everyKindDefinition())]) {
      fc.assert(
        fc.property(validSubmissions(q), (plaintext) => {
          expect(validateSubmission(q, plaintext).map((p) => `${p.path}:${p.problem}`)).toEqual([])
        }),
        { numRuns: PROPERTY_RUNS },
      )
    }
  })

  it('is not trivial: it shows conditional questions and fills groups', () => {
    const q = compiled(everyKindDefinition())
    const samples = fc.sample(validSubmissions(q), { numRuns: 200, seed: 7 })
    expect(samples.some((s) => Array.isArray(s.answers.kin) && s.answers.kin.length > 0)).toBe(true)
    expect(samples.some((s) => typeof s.answers.tag_detail === 'string')).toBe(true)
    expect(samples.some((s) => s.attachments.length > 0)).toBe(true)
  })
})
