import { readFileSync } from 'node:fs'
import fc from 'fast-check'
import {
  AGE_BANDS,
  type AnswerValue,
  type Answers,
  type AttachmentRef,
  compileQuestionnaire,
  countryCodes,
  type GroupInstance,
  mediaTypeMatches,
  pruneAnswers,
  type Question,
  type Questionnaire,
  QuestionnaireDefinition,
  type ScalarAnswer,
  seededId,
  SUBMISSION_FORMAT,
  SubmissionId,
  type SubmissionIds,
  SubmissionPlaintext,
  UploadId,
} from '../src/index.ts'
import { defaultCodebook } from './support.ts'

/**
 * Small builders for questionnaire tests (STYLE.md rule 17): a definition is written as
 * `definition(section(shortText('q1'), choice('q2', ['a', 'b'])))`, and a generator of valid
 * answer sets drives the property tests.
 */

type Json = Record<string, unknown>

/** English-only text, enough for tests that are not about translation. */
export const en = (text: string) => ({ en: text })

/** A definition document (plain JSON, before parsing) with the given sections. */
export function definition(...sections: Json[]): Json {
  return {
    format: 'amanat-questionnaire/1',
    id: 'test-questionnaire',
    version: '1.0.0',
    languages: ['en'],
    codebook: 'amanat-default@1.0.0',
    title: en('A test questionnaire'),
    sections,
  }
}

/** A section holding `items`. */
export const section = (...items: Json[]): Json => ({ title: en('A section'), items })

/** A question of any kind with an English label. */
export const question = (id: string, kind: string, extra: Json = {}): Json => ({
  id,
  kind,
  label: en(`Question ${id}`),
  ...extra,
})

export const shortText = (id: string, extra: Json = {}) => question(id, 'short_text', extra)
export const longText = (id: string, extra: Json = {}) => question(id, 'long_text', extra)
export const yesNo = (id: string, extra: Json = {}) => question(id, 'yes_no', extra)
export const country = (id: string, extra: Json = {}) => question(id, 'country', extra)
export const date = (id: string, extra: Json = {}) => question(id, 'date', extra)
export const number = (id: string, extra: Json = {}) => question(id, 'number', extra)
export const attachment = (id: string, extra: Json = {}) =>
  question(id, 'attachment', { accept: ['image/*'], maxFiles: 2, maxBytes: 1000, ...extra })

/** A single choice with explicit options (labels are the values in English). */
export const choice = (id: string, values: readonly string[], extra: Json = {}) =>
  question(id, 'single_choice', { options: values.map((value) => ({ value, label: en(value) })), ...extra })

/** A multiple choice with explicit options. */
export const choices = (id: string, values: readonly string[], extra: Json = {}) =>
  question(id, 'multiple_choice', { options: values.map((value) => ({ value, label: en(value) })), ...extra })

/** A repeatable group of `items`. */
export const group = (id: string, items: Json[], extra: Json = {}): Json => ({
  id,
  kind: 'group',
  label: en(`Group ${id}`),
  itemLabel: en('Entry'),
  addLabel: en('Add another'),
  items,
  ...extra,
})

/** Parses and compiles a definition document against the default codebook (throws when invalid). */
export function compiled(doc: Json): Questionnaire {
  return compileQuestionnaire(QuestionnaireDefinition.parse(doc), defaultCodebook())
}

const DEFAULT_QUESTIONNAIRE_URL = new URL('../questionnaires/default.json', import.meta.url)

/** The text of packages/domain/questionnaires/default.json. */
export function defaultQuestionnaireText(): string {
  return readFileSync(DEFAULT_QUESTIONNAIRE_URL, 'utf8')
}

/** The default questionnaire compiled against the default codebook. */
export function defaultQuestionnaire(): Questionnaire {
  return compiled(JSON.parse(defaultQuestionnaireText()) as Json)
}

/**
 * A questionnaire with every kind, conditions of every operator (including one inside a group
 * instance), and both mapped groups: what the answer generator must cover beyond the default.
 */
export function everyKindDefinition(): Json {
  return definition(
    section(
      country('home', { maps: 'respondent.residenceCountry', required: true }),
      question('status', 'single_choice', { optionsFrom: 'residence_statuses', maps: 'respondent.status' }),
      choice('age', [...AGE_BANDS], { maps: 'respondent.ageBand' }),
      shortText('job', { maxLength: 80, maps: 'respondent.occupation' }),
      yesNo('active', { maps: 'respondent.activist' }),
      number('children', { integer: true, min: 0, max: 20 }),
      number('score', { min: -1.5, max: 2.5, showIf: { op: 'answered', question: 'children' } }),
      choices('tags', ['a', 'b', 'c', 'd'], { min: 2, max: 3 }),
      shortText('tag_detail', { showIf: { op: 'includes', question: 'tags', value: 'c' } }),
      date('arrived', { precisions: ['year', 'month'] }),
    ),
    section(
      group(
        'events',
        [
          question('type', 'single_choice', {
            optionsFrom: 'harassment_types',
            maps: 'incident.type',
            required: true,
          }),
          choice('aimed', ['self', 'relative'], { maps: 'incident.target', required: true }),
          question('via', 'single_choice', { optionsFrom: 'channels', maps: 'incident.channel' }),
          question('who', 'single_choice', { optionsFrom: 'perpetrators', maps: 'incident.perpetrator' }),
          date('when', { maps: 'incident.date' }),
          country('got_in', { maps: 'incident.receivedIn.country' }),
          shortText('got_where', { maps: 'incident.receivedIn.locality', maxLength: 200 }),
          country('from', { maps: 'incident.originatedIn.country' }),
          shortText('from_where', { maps: 'incident.originatedIn.locality', maxLength: 200 }),
          shortText('number_used', {
            maps: 'incident.identifier',
            showIf: {
              op: 'any',
              conditions: [
                { op: 'equals', question: 'via', value: 'phone_call' },
                { op: 'equals', question: 'via', value: 'wechat' },
              ],
            },
          }),
          longText('said', { maps: 'incident.note', maxLength: 300 }),
          attachment('proof', { accept: ['image/jpeg', 'application/pdf'] }),
        ],
        { maps: 'incidents', max: 4, required: true, min: 1 },
      ),
      yesNo('family'),
      group(
        'kin',
        [
          question('rel', 'single_choice', {
            optionsFrom: 'relations',
            maps: 'relative.relation',
            required: true,
          }),
          question('state', 'single_choice', {
            optionsFrom: 'relative_statuses',
            maps: 'relative.status',
            required: true,
          }),
          date('since', {
            maps: 'relative.since',
            showIf: { op: 'not', condition: { op: 'equals', question: 'state', value: 'in_contact' } },
          }),
          date('heard', { maps: 'relative.lastContact' }),
          longText('kin_note', { maps: 'relative.note', maxLength: 200 }),
        ],
        {
          maps: 'relatives',
          max: 3,
          showIf: { op: 'all', conditions: [{ op: 'equals', question: 'family', value: true }] },
        },
      ),
    ),
    section(
      question('effects', 'multiple_choice', { optionsFrom: 'impacts', maps: 'respondent.impacts' }),
      longText('story', { maps: 'narrative', maxLength: 500 }),
      shortText('more', { maps: 'narrative', maxLength: 50 }),
      attachment('photos', { maxFiles: 3 }),
      choice('named', ['anonymous', 'pseudonym', 'named'], { maps: 'respondent.disclosure' }),
      shortText('alias', {
        maps: 'respondent.pseudonymWish',
        maxLength: 60,
        showIf: { op: 'equals', question: 'named', value: 'pseudonym' },
      }),
      choices('uses', ['aggregate', 'anonymised_story', 'quote', 'share_with_lawyer'], {
        maps: 'respondent.consent.uses',
      }),
    ),
  )
}

// ---------------------------------------------------------------------------------------------
// Generating valid answers

const BASE32 = '0123456789abcdefghjkmnpqrstvwxyz'.split('')
const uploadId = fc.string({ unit: fc.constantFrom(...BASE32), minLength: 26, maxLength: 26 })
const WORDS = ['ئۇيغۇر', 'يۇرت', '微信', '电话', 'baskı', 'telefon', 'police', 'consulate', ' ', '\n', '.']

/** Non-blank text of at most `max` UTF-16 units, mixing scripts. */
function text(max: number): fc.Arbitrary<string> {
  const unit = fc.oneof(fc.constantFrom(...WORDS), fc.string({ minLength: 1, maxLength: 4 }))
  return fc
    .array(unit, { minLength: 1, maxLength: 12 })
    .map((parts) => parts.join('').slice(0, max))
    .filter((s) => s.trim() !== '')
}

const day = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2024-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10))

function partialDate(precisions: readonly string[]): fc.Arbitrary<ScalarAnswer> {
  return fc.constantFrom(...precisions).chain((precision): fc.Arbitrary<ScalarAnswer> => {
    switch (precision) {
      case 'day':
        return day.map((value) => ({ precision: 'day' as const, value }))
      case 'month':
        return day.map((value) => ({ precision: 'month' as const, value: value.slice(0, 7) }))
      case 'year':
        return day.map((value) => ({ precision: 'year' as const, value: value.slice(0, 4) }))
      default:
        return fc.constant({ precision: 'unknown' as const })
    }
  })
}

/** An answer of the question's kind, valid on its own (visibility is applied afterwards). */
function answerOf(q: Question): fc.Arbitrary<ScalarAnswer> {
  switch (q.kind) {
    case 'short_text':
    case 'long_text':
      return text(q.maxLength)
    case 'single_choice':
      return fc.constantFrom(...q.options.map((o) => o.value))
    case 'multiple_choice': {
      const values = q.options.map((o) => o.value)
      return fc.subarray(values, {
        minLength: Math.max(q.min, 1),
        maxLength: Math.min(q.max ?? values.length, values.length),
      })
    }
    case 'country':
      return fc.constantFrom(...countryCodes())
    case 'date':
      return partialDate(q.precisions)
    case 'number': {
      const min = q.min ?? -1e6
      const max = q.max ?? 1e6
      return q.integer
        ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
        : fc.double({ min, max, noNaN: true, noDefaultInfinity: true })
    }
    case 'yes_no':
      return fc.boolean()
    case 'attachment':
      return fc.uniqueArray(uploadId, { minLength: 1, maxLength: q.maxFiles })
  }
}

/** Required questions always get an answer; optional ones sometimes. */
function maybe<T>(q: { readonly required: boolean }, arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> {
  return q.required ? arb : fc.option(arb, { nil: undefined })
}

function instanceOf(items: readonly Question[]): fc.Arbitrary<GroupInstance> {
  return fc.tuple(...items.map((q) => maybe(q, answerOf(q)))).map((values) => {
    const instance: GroupInstance = {}
    items.forEach((q, k) => {
      const value = values[k]
      if (value !== undefined) instance[q.id] = value
    })
    return instance
  })
}

/**
 * Valid answer sets for `questionnaire`: an answer is drawn for every question, then hidden
 * questions are pruned as the page prunes them, so conditions are honoured whatever was drawn.
 * Attachments are described to fit the question that references them.
 */
export function validSubmissions(questionnaire: Questionnaire): fc.Arbitrary<SubmissionPlaintext> {
  const items = questionnaire.sections.flatMap((s) => s.items)
  const drawn = fc.tuple(
    ...items.map((item): fc.Arbitrary<AnswerValue | undefined> => {
      if (item.kind !== 'group') return maybe(item, answerOf(item))
      const min = Math.max(item.min, item.required ? 1 : 0)
      const instances = fc.array(instanceOf(item.items), { minLength: Math.max(min, 1), maxLength: item.max })
      return item.required ? instances : fc.option(instances, { nil: undefined })
    }),
  )
  return fc
    .record({
      drawn,
      language: fc.constantFrom(...questionnaire.languages),
      submittedOn: day,
      lengths: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 40, maxLength: 40 }),
      kept: fc.boolean(),
    })
    .map(({ drawn: values, language, submittedOn, lengths, kept }) => {
      const raw: Record<string, AnswerValue> = {}
      items.forEach((item, k) => {
        const value = values[k]
        if (value !== undefined) raw[item.id] = value
      })
      const answers = pruneAnswers(questionnaire, raw)
      const attachments = describeAttachments(questionnaire, answers, lengths, kept)
      return SubmissionPlaintext.parse({
        format: SUBMISSION_FORMAT,
        questionnaireId: questionnaire.id,
        questionnaireVersion: questionnaire.version,
        language,
        answers,
        attachments,
        submittedOn,
      })
    })
}

/** An AttachmentRef for every upload the answers reference, of an accepted type and size. */
function describeAttachments(
  questionnaire: Questionnaire,
  answers: Answers,
  lengths: readonly number[],
  kept: boolean,
): AttachmentRef[] {
  const refs: AttachmentRef[] = []
  const describe = (q: Question, value: AnswerValue | undefined) => {
    if (q.kind !== 'attachment' || !Array.isArray(value)) return
    for (const upload of value) {
      if (typeof upload !== 'string') continue
      const mediaType =
        ['image/jpeg', 'image/png', 'application/pdf'].find((t) =>
          q.accept.some((p) => mediaTypeMatches(p, t)),
        ) ?? 'image/jpeg'
      const byteLength = Math.min(lengths[refs.length % lengths.length] ?? 0, q.maxBytes)
      refs.push({
        upload: UploadId.parse(upload),
        sha256: 'ab'.repeat(32),
        byteLength,
        paddedLength: byteLength + 7,
        mediaType,
        name: refs.length % 2 === 0 ? null : 'IMG_0001.jpg',
        metadataKept: kept,
      })
    }
  }
  for (const item of questionnaire.sections.flatMap((s) => s.items)) {
    const value = answers[item.id]
    if (item.kind !== 'group') describe(item, value)
    else if (Array.isArray(value)) {
      for (const instance of value) {
        if (typeof instance !== 'object' || Array.isArray(instance)) continue
        for (const q of item.items) describe(q, instance[q.id])
      }
    }
  }
  return refs
}

/** Deterministic ids for mapping: a counter's bytes, so runs are reproducible. */
export function countingIds(seed = 1): SubmissionIds {
  let n = seed * 1_000_000
  const next = () => {
    n++
    const bytes = new Uint8Array(16)
    new DataView(bytes.buffer).setUint32(12, n)
    bytes[0] = seed & 0xff
    return bytes
  }
  return { submissionId: seededId(SubmissionId, next), makeId: (schema) => seededId(schema, next) }
}
