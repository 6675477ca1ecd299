import type { z } from 'zod'
import { hasCode } from '../codebook/codebook-lookup.ts'
import type { Codebook, SectionName } from '../codebook/codebook.schema.ts'
import { AmanatError } from '../errors.ts'
import { WorkspaceEventBody } from '../events/workspace-event.ts'
import { AttachmentId, IdentifierId, IncidentId, RelativeId, RespondentId, TestimonyId } from '../ids.ts'
import type { SubmissionId } from '../intake/wire.ts'
import type { Identifier } from '../model/identifier.ts'
import type { Incident } from '../model/incident.ts'
import { PartialDate, UNKNOWN_DATE } from '../model/partial-date.ts'
import { CountryCode, type Place } from '../model/place.ts'
import type { Relative } from '../model/relative.ts'
import { AGE_BANDS, GENDERS, type Respondent, RespondentKey } from '../model/respondent.ts'
import { Code, type IsoDay } from '../model/schema-helpers.ts'
import type { Narrative, Testimony } from '../model/testimony.ts'
import { CONSENT_USES, DISCLOSURE_WISHES, type IdentifierKind, TARGETS } from '../model/vocabulary.ts'
import { type Answers, type AnswerValue, type GroupInstance, isAnswered } from './answers.schema.ts'
import type { GroupTarget, MapTarget } from './mapping.ts'
import type { Group, Question } from './question.schema.ts'
import type { Questionnaire } from './questionnaire.schema.ts'
import type { SubmissionPlaintext } from './submission.schema.ts'
import { validateSubmission } from './validate-answers.ts'

/** The body of a `testimony.imported` workspace event. */
export type TestimonyImportedBody = Extract<WorkspaceEventBody, { kind: 'testimony.imported' }>

/** Makes a fresh id of the kind its schema brands: `newId` for real records, a seeded maker in tests. */
export type IdMaker = <S extends z.ZodType<string>>(schema: S) => z.infer<S>

/** The ids a mapping needs: the submission's own (for the respondent key) and a maker for new records. */
export interface SubmissionIds {
  readonly submissionId: SubmissionId
  readonly makeId: IdMaker
}

/**
 * How online submissions are coded before an analyst looks at them: the respondent's own account
 * is the same evidence an interview gives, so `medium`; analysts raise or lower it on review.
 */
export const ONLINE_INCIDENT_CONFIDENCE = 'medium'

/**
 * Turns a submission into the `testimony.imported` event that records it (docs/questionnaire-format.md,
 * "Mappings"): a respondent (collected online, key `S-` and the first 8 characters of the
 * submission id, consent given online on the day it was sent), the testimony (all answers kept
 * verbatim, `narrative` answers as narratives in the submission's language, attachments with
 * their upload id as attachment id), one incident per instance of the `incidents` group and one
 * relative per instance of the `relatives` group, and an identifier per answered
 * `incident.identifier`. Unmapped targets default safely: disclosure `anonymous`, no consented use.
 *
 * Codings record `questionnaire.codebook`. A code that `codebook` lacks (a questionnaire compiled
 * against another codebook) is left out of the model, never guessed, and stays in the answers;
 * an incident or relative that loses a code the model cannot leave empty is not created.
 *
 * Throws an `input` AmanatError `submission.invalid` (paths, never answers, in the details) when
 * the submission does not pass `validateSubmission`. For every valid submission it returns a body
 * that `WorkspaceEventBody` accepts; if it ever would not, that is a bug, thrown as an `internal`
 * `submission.mapping_failed`.
 */
export function mapSubmission(
  questionnaire: Questionnaire,
  plaintext: SubmissionPlaintext,
  ids: SubmissionIds,
  codebook: Codebook,
  receivedOn: IsoDay,
): TestimonyImportedBody {
  const problems = validateSubmission(questionnaire, plaintext)
  if (problems.length > 0) {
    throw new AmanatError(
      'input',
      'submission.invalid',
      `The submission does not fit its questionnaire: ${problems.length} problem(s), the first at ${problems[0]?.path ?? '?'}.`,
      {
        problems: problems.map((p) => ({ path: p.path, problem: p.problem })),
      },
    )
  }
  const { answers } = plaintext
  const top = topLevelTargets(questionnaire)
  const read = new Reader(codebook)
  const answerTo = (target: MapTarget): AnswerValue | undefined => {
    const id = top.get(target)
    return id === undefined ? undefined : answers[id]
  }

  const respondentId = ids.makeId(RespondentId)
  const testimonyId = ids.makeId(TestimonyId)
  // The client's clock says when consent was given; it cannot be later than the day we received it.
  const consentDay = plaintext.submittedOn <= receivedOn ? plaintext.submittedOn : receivedOn
  const respondent: Respondent = {
    id: respondentId,
    key: RespondentKey.parse(`S-${ids.submissionId.slice(0, 8)}`),
    collectionMode: 'online',
    residenceCountry: read.country(answerTo('respondent.residenceCountry')),
    ethnicity: read.code(answerTo('respondent.ethnicity'), 'ethnicities'),
    status: read.code(answerTo('respondent.status'), 'residence_statuses'),
    gender: read.oneOf(answerTo('respondent.gender'), GENDERS),
    ageBand: read.oneOf(answerTo('respondent.ageBand'), AGE_BANDS),
    occupation: read.text(answerTo('respondent.occupation'), 200),
    activist: read.yesNo(answerTo('respondent.activist')),
    impacts: read.codes(answerTo('respondent.impacts'), 'impacts'),
    disclosure: read.oneOf(answerTo('respondent.disclosure'), DISCLOSURE_WISHES) ?? 'anonymous',
    consent: {
      uses: read.someOf(answerTo('respondent.consent.uses'), CONSENT_USES),
      withdrawn: false,
      form: 'online',
      recordedOn: consentDay,
    },
    // A wish is not a pseudonym: the registry assigns one that is unique and safe; the wish stays in the answers.
    pseudonym: null,
  }

  const narratives: Narrative[] = []
  for (const question of topLevelQuestions(questionnaire)) {
    if (question.kind !== 'long_text' && question.kind !== 'short_text') continue
    if (question.maps !== 'narrative') continue
    const value = answers[question.id]
    if (typeof value === 'string' && isAnswered(value))
      narratives.push({ language: plaintext.language, text: value })
  }
  const testimony: Testimony = {
    id: testimonyId,
    respondentId,
    source: {
      mode: 'online',
      questionnaireId: questionnaire.id,
      questionnaireVersion: questionnaire.version,
    },
    receivedOn,
    answers: copyAnswers(answers),
    narratives,
    translation: null,
    attachments: plaintext.attachments.map((a) => ({
      // The upload id is already a 128-bit random id the server knows with this submission; reusing
      // it links the record to its sealed bytes without a side table and adds no new linkage.
      id: AttachmentId.parse(a.upload),
      mediaType: a.mediaType,
      byteLength: a.byteLength,
      sha256: a.sha256,
      originalName: a.name,
      metadataKept: a.metadataKept,
    })),
  }

  const incidents: Incident[] = []
  const identifiers: Identifier[] = []
  for (const { group, instance } of instancesOf(questionnaire, answers, 'incidents')) {
    const at = (target: MapTarget) => valueFor(group, instance, target)
    const type = read.code(at('incident.type'), 'harassment_types')
    const target = read.oneOf(at('incident.target'), TARGETS)
    if (type === null || target === null) continue
    const channel = read.code(at('incident.channel'), 'channels')
    const incident: Incident = {
      id: ids.makeId(IncidentId),
      testimonyId,
      respondentId,
      type,
      channel,
      perpetrator: read.code(at('incident.perpetrator'), 'perpetrators'),
      target,
      relativeId: null,
      receivedIn: read.place(at('incident.receivedIn.country'), at('incident.receivedIn.locality')),
      originatedIn: read.place(at('incident.originatedIn.country'), at('incident.originatedIn.locality')),
      date: read.date(at('incident.date')),
      confidence: ONLINE_INCIDENT_CONFIDENCE,
      note: read.text(at('incident.note'), 10_000),
      codebook: questionnaire.codebook,
    }
    incidents.push(incident)
    const identifier = read.text(at('incident.identifier'), 500)
    if (identifier !== null) {
      identifiers.push({
        id: ids.makeId(IdentifierId),
        respondentId,
        kind: identifierKindFor(channel),
        value: identifier,
        normalised: null,
        incidentIds: [incident.id],
      })
    }
  }

  const relatives: Relative[] = []
  for (const { group, instance } of instancesOf(questionnaire, answers, 'relatives')) {
    const at = (target: MapTarget) => valueFor(group, instance, target)
    const relation = read.code(at('relative.relation'), 'relations')
    const status = read.code(at('relative.status'), 'relative_statuses')
    if (relation === null || status === null) continue
    relatives.push({
      id: ids.makeId(RelativeId),
      respondentId,
      relation,
      status,
      since: read.date(at('relative.since')),
      lastContact: read.date(at('relative.lastContact')),
      note: read.text(at('relative.note'), 10_000),
      codebook: questionnaire.codebook,
    })
  }

  const body = {
    kind: 'testimony.imported' as const,
    respondent,
    testimony,
    incidents,
    relatives,
    identifiers,
  }
  const checked = WorkspaceEventBody.safeParse(body)
  if (!checked.success || checked.data.kind !== 'testimony.imported') {
    throw new AmanatError(
      'internal',
      'submission.mapping_failed',
      'Mapping a valid submission produced an invalid record.',
      {
        paths: checked.success ? [] : checked.error.issues.map((issue) => issue.path.join('.')),
      },
    )
  }
  return checked.data
}

/** Reads answers into model values; anything that does not fit becomes null (left in the answers). */
class Reader {
  private readonly codebook: Codebook

  constructor(codebook: Codebook) {
    this.codebook = codebook
  }

  // Unanswered questions are the common case: they skip the schema, whose failures are costly
  // to build (a pull maps a million submissions).
  code(value: AnswerValue | undefined, section: SectionName): Code | null {
    if (typeof value !== 'string') return null
    const code = Code.safeParse(value)
    return code.success && hasCode(this.codebook, section, code.data) ? code.data : null
  }

  codes(value: AnswerValue | undefined, section: SectionName): Code[] {
    if (!Array.isArray(value)) return []
    const codes = new Set<Code>()
    for (const v of value) {
      const code = typeof v === 'string' ? this.code(v, section) : null
      if (code !== null) codes.add(code)
    }
    return [...codes]
  }

  oneOf<V extends string>(value: AnswerValue | undefined, values: readonly V[]): V | null {
    return typeof value === 'string' && (values as readonly string[]).includes(value) ? (value as V) : null
  }

  someOf<V extends string>(value: AnswerValue | undefined, values: readonly V[]): V[] {
    if (!Array.isArray(value)) return []
    const chosen = new Set<unknown>(value)
    return values.filter((v) => chosen.has(v))
  }

  country(value: AnswerValue | undefined): CountryCode | null {
    if (typeof value !== 'string') return null
    const country = CountryCode.safeParse(value)
    return country.success ? country.data : null
  }

  text(value: AnswerValue | undefined, max: number): string | null {
    if (typeof value !== 'string') return null
    const text = value.trim()
    return text === '' || text.length > max ? null : text
  }

  yesNo(value: AnswerValue | undefined): boolean | null {
    return typeof value === 'boolean' ? value : null
  }

  date(value: AnswerValue | undefined): PartialDate {
    if (value === undefined || value === null) return UNKNOWN_DATE
    const parsed = PartialDate.safeParse(value)
    return parsed.success ? parsed.data : UNKNOWN_DATE
  }

  place(country: AnswerValue | undefined, locality: AnswerValue | undefined): Place {
    const where = this.text(locality, 200)
    return where === null
      ? { country: this.country(country) }
      : { country: this.country(country), locality: where }
  }
}

// Derived once per questionnaire object (a pull maps every submission against the same one).
const questionsOf = new WeakMap<Questionnaire, readonly Question[]>()
const targetsOf = new WeakMap<Questionnaire, ReadonlyMap<MapTarget, string>>()

function topLevelQuestions(questionnaire: Questionnaire): readonly Question[] {
  let questions = questionsOf.get(questionnaire)
  if (questions === undefined) {
    questions = questionnaire.sections.flatMap((s) =>
      s.items.filter((i): i is Question => i.kind !== 'group'),
    )
    questionsOf.set(questionnaire, questions)
  }
  return questions
}

function topLevelTargets(questionnaire: Questionnaire): ReadonlyMap<MapTarget, string> {
  let targets = targetsOf.get(questionnaire)
  if (targets === undefined) {
    const found = new Map<MapTarget, string>()
    for (const q of topLevelQuestions(questionnaire)) {
      if (q.kind !== 'attachment' && q.maps !== undefined && !found.has(q.maps)) found.set(q.maps, q.id)
    }
    targets = found
    targetsOf.set(questionnaire, targets)
  }
  return targets
}

function* instancesOf(
  questionnaire: Questionnaire,
  answers: Answers,
  target: GroupTarget,
): Generator<{ group: Group; instance: GroupInstance }> {
  for (const section of questionnaire.sections) {
    for (const item of section.items) {
      if (item.kind !== 'group' || item.maps !== target) continue
      const value = answers[item.id]
      if (!Array.isArray(value)) continue
      for (const instance of value) {
        if (typeof instance === 'object' && instance !== null && !Array.isArray(instance))
          yield { group: item, instance }
      }
    }
  }
}

function valueFor(group: Group, instance: GroupInstance, target: MapTarget): AnswerValue | undefined {
  const question = group.items.find((q) => q.kind !== 'attachment' && q.maps === target)
  return question === undefined ? undefined : instance[question.id]
}

/** The kind of identifier a contact detail is, by the channel it came through (codes of the default codebook). */
const IDENTIFIER_KIND_BY_CHANNEL: Readonly<Record<string, IdentifierKind>> = {
  wechat: 'wechat',
  whatsapp: 'whatsapp',
  phone_call: 'phone',
  recorded_phone_message: 'phone',
  email: 'email',
  social_media: 'social_media_account',
}

/** Any other channel, or none, gives `other`: the analyst can correct it on review. */
function identifierKindFor(channel: Code | null): IdentifierKind {
  return (channel === null ? undefined : IDENTIFIER_KIND_BY_CHANNEL[channel]) ?? 'other'
}

/** A deep copy, value for value (a JSON round trip would turn -0 into 0), so the testimony shares nothing with the input. */
function copyAnswers(answers: Answers): Testimony['answers'] {
  return structuredClone(answers)
}
