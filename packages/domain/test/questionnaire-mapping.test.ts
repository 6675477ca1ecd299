import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PROPERTY_RUNS } from '../../../tools/test-support/profile.ts'
import {
  checkCodes,
  compileQuestionnaire,
  extendCodebook,
  isAmanatError,
  mapSubmission,
  type Questionnaire,
  QuestionnaireDefinition,
  SUBMISSION_FORMAT,
  SubmissionPlaintext,
  WorkspaceEventBody,
} from '../src/index.ts'
import {
  choice,
  compiled,
  countingIds,
  defaultQuestionnaire,
  definition,
  everyKindDefinition,
  group,
  question,
  section,
  shortText,
  validSubmissions,
} from './questionnaire-builders.ts'
import { defaultCodebook } from './support.ts'

const RECEIVED = '2024-06-03'
const UPLOAD = 'c'.repeat(26)

function plaintext(
  q: Questionnaire,
  answers: Record<string, unknown>,
  extra: Record<string, unknown> = {},
): SubmissionPlaintext {
  return SubmissionPlaintext.parse({
    format: SUBMISSION_FORMAT,
    questionnaireId: q.id,
    questionnaireVersion: q.version,
    language: 'ug',
    answers,
    attachments: [],
    submittedOn: '2024-06-01',
    ...extra,
  })
}

describe('mapSubmission', () => {
  const q = defaultQuestionnaire()
  const answers = {
    residence_country: 'TR',
    residence_status: 'refugee',
    ethnicity: 'uyghur',
    gender: 'undisclosed',
    activist: true,
    any_incidents: true,
    incidents: [
      {
        incident_type: 'threat_to_relatives',
        incident_target: 'relative',
        incident_channel: 'wechat',
        incident_perpetrator: 'home_police',
        incident_date: { precision: 'month', value: '2019-03' },
        incident_received_country: 'TR',
        incident_origin_country: 'CN',
        incident_origin_place: '  a county police station ',
        incident_identifier: 'officer_account_123',
        incident_note: 'They said my parents were next to them.',
      },
      {
        incident_type: 'pretext_contact',
        incident_target: 'self',
        incident_channel: 'recorded_phone_message',
      },
    ],
    relatives_affected: true,
    relatives: [
      {
        relative_relation: 'parent',
        relative_status: 'detained',
        relative_since: { precision: 'year', value: '2017' },
      },
      {
        relative_relation: 'sibling',
        relative_status: 'in_contact',
        relative_last_contact: { precision: 'unknown' },
      },
    ],
    impacts: ['fear', 'self_censorship'],
    story: 'يۇرتتىكى ئائىلەمدىن خەۋەر يوق.',
    evidence: [UPLOAD],
    disclosure: 'pseudonym',
    pseudonym_wish: 'Tulpar',
    consent: ['quote', 'aggregate'],
  }
  const file = {
    upload: UPLOAD,
    sha256: 'ef'.repeat(32),
    byteLength: 5000,
    paddedLength: 8192,
    mediaType: 'image/jpeg',
    name: 'screenshot.jpg',
    metadataKept: false,
  }

  it('turns a submission into a testimony.imported body with respondent, testimony, incidents and relatives', () => {
    const ids = countingIds()
    const body = mapSubmission(
      q,
      plaintext(q, answers, { attachments: [file] }),
      ids,
      defaultCodebook(),
      RECEIVED,
    )
    expect(WorkspaceEventBody.parse(body)).toEqual(body)

    expect(body.respondent).toMatchObject({
      key: `S-${ids.submissionId.slice(0, 8)}`,
      collectionMode: 'online',
      residenceCountry: 'TR',
      status: 'refugee',
      ethnicity: 'uyghur',
      gender: 'undisclosed',
      ageBand: null,
      occupation: null,
      activist: true,
      impacts: ['fear', 'self_censorship'],
      disclosure: 'pseudonym',
      consent: { uses: ['aggregate', 'quote'], withdrawn: false, form: 'online', recordedOn: '2024-06-01' },
      pseudonym: null,
    })
    expect(body.testimony).toMatchObject({
      respondentId: body.respondent.id,
      source: { mode: 'online', questionnaireId: 'amanat-default', questionnaireVersion: '1.0.0' },
      receivedOn: RECEIVED,
      narratives: [{ language: 'ug', text: answers.story }],
      translation: null,
      attachments: [
        {
          id: UPLOAD,
          mediaType: 'image/jpeg',
          byteLength: 5000,
          sha256: file.sha256,
          originalName: 'screenshot.jpg',
          metadataKept: false,
        },
      ],
    })
    expect(body.testimony.answers).toEqual(answers)

    expect(body.incidents).toHaveLength(2)
    expect(body.incidents[0]).toMatchObject({
      testimonyId: body.testimony.id,
      type: 'threat_to_relatives',
      target: 'relative',
      relativeId: null,
      channel: 'wechat',
      perpetrator: 'home_police',
      date: { precision: 'month', value: '2019-03' },
      receivedIn: { country: 'TR' },
      originatedIn: { country: 'CN', locality: 'a county police station' },
      confidence: 'medium',
      note: 'They said my parents were next to them.',
      codebook: 'amanat-default@1.0.0',
    })
    expect(body.incidents[1]).toMatchObject({
      type: 'pretext_contact',
      target: 'self',
      perpetrator: null,
      date: { precision: 'unknown' },
      note: null,
    })
    expect(body.identifiers).toEqual([
      expect.objectContaining({
        kind: 'wechat',
        value: 'officer_account_123',
        normalised: null,
        incidentIds: [body.incidents[0]?.id],
      }),
    ])
    expect(body.relatives.map((r) => [r.relation, r.status, r.since, r.lastContact])).toEqual([
      ['parent', 'detained', { precision: 'year', value: '2017' }, { precision: 'unknown' }],
      ['sibling', 'in_contact', { precision: 'unknown' }, { precision: 'unknown' }],
    ])
  })

  it('defaults safely when nothing is answered: anonymous, no consented use, no incidents', () => {
    const body = mapSubmission(q, plaintext(q, {}), countingIds(), defaultCodebook(), RECEIVED)
    expect(body.respondent).toMatchObject({
      disclosure: 'anonymous',
      consent: { uses: [] },
      residenceCountry: null,
      impacts: [],
    })
    expect([body.incidents, body.relatives, body.identifiers, body.testimony.narratives]).toEqual([
      [],
      [],
      [],
      [],
    ])
  })

  it('never records consent later than the day the submission was received', () => {
    const body = mapSubmission(
      q,
      plaintext(q, {}, { submittedOn: '2031-01-01' }),
      countingIds(),
      defaultCodebook(),
      RECEIVED,
    )
    expect(body.respondent.consent.recordedOn).toBe(RECEIVED)
  })

  it('refuses an invalid submission without repeating its answers', () => {
    const secret = 'my-uncle-in-kashgar'
    try {
      mapSubmission(
        q,
        plaintext(q, { ...answers, residence_status: 'astronaut', story: secret }, { attachments: [file] }),
        countingIds(),
        defaultCodebook(),
        RECEIVED,
      )
      expect.unreachable('an invalid submission was mapped')
    } catch (error) {
      expect(isAmanatError(error, 'submission.invalid')).toBe(true)
      expect(JSON.stringify([String(error), (error as { details: unknown }).details])).not.toContain(secret)
      expect(String(error)).toContain('residence_status')
    }
  })

  it('leaves out of the model a code the given codebook lacks, keeping it in the answers', () => {
    const extended = extendCodebook(
      defaultCodebook(),
      'extends: amanat-default@1.0.0\nid: org\nversion: 1.0.0\nsections:\n  channels:\n    - code: telegram\n      labels: { en: Telegram, ug: تېلېگرام, zh: Telegram, tr: Telegram }\n',
    )
    const doc = definition(
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
            shortText('handle', { maps: 'incident.identifier' }),
          ],
          { maps: 'incidents' },
        ),
      ),
    )
    const onExtension = compileQuestionnaire(QuestionnaireDefinition.parse(doc), extended)
    const submission = plaintext(
      onExtension,
      { events: [{ type: 'death_threat', aimed: 'self', via: 'telegram', handle: '@someone' }] },
      { language: 'en' },
    )
    const body = mapSubmission(onExtension, submission, countingIds(), defaultCodebook(), RECEIVED)
    expect(body.incidents.map((i) => [i.type, i.channel])).toEqual([['death_threat', null]])
    expect(body.identifiers.map((i) => i.kind)).toEqual(['other'])
    expect(body.testimony.answers).toEqual(submission.answers)
  })
})

describe('mapSubmission on generated valid submissions', () => {
  const codebook = defaultCodebook()
  const questionnaires: [string, Questionnaire][] = [
    ['the default questionnaire', defaultQuestionnaire()],
    ['a questionnaire with every kind', compiled(everyKindDefinition())],
  ]

  for (const [name, q] of questionnaires) {
    it(`is total and schema-valid, with codes from the codebook, for ${name}`, () => {
      const incidentsGroup = q.sections
        .flatMap((s) => s.items)
        .find((i) => i.kind === 'group' && i.maps === 'incidents')
      const relativesGroup = q.sections
        .flatMap((s) => s.items)
        .find((i) => i.kind === 'group' && i.maps === 'relatives')
      fc.assert(
        fc.property(validSubmissions(q), fc.integer({ min: 1, max: 200 }), (submission, seed) => {
          const body = mapSubmission(q, submission, countingIds(seed), codebook, RECEIVED)
          expect(WorkspaceEventBody.safeParse(body).success).toBe(true)
          expect(() => {
            checkCodes(codebook, {
              respondents: [body.respondent],
              incidents: body.incidents,
              relatives: body.relatives,
            })
          }).not.toThrow()
          expect(body.testimony.answers).toEqual(submission.answers)
          const count = (id: string | undefined) => {
            const value = id === undefined ? undefined : submission.answers[id]
            return Array.isArray(value) ? value.length : 0
          }
          expect(body.incidents).toHaveLength(count(incidentsGroup?.id))
          expect(body.relatives).toHaveLength(count(relativesGroup?.id))
          expect(body.testimony.attachments.map((a) => a.id)).toEqual(
            submission.attachments.map((a) => a.upload),
          )
          const ids = [
            body.respondent.id,
            body.testimony.id,
            ...body.incidents.map((i) => i.id),
            ...body.relatives.map((r) => r.id),
            ...body.identifiers.map((i) => i.id),
          ]
          expect(new Set(ids).size).toBe(ids.length)
        }),
        { numRuns: PROPERTY_RUNS },
      )
    })
  }
})
