import { createHash } from 'node:crypto'
import {
  AnalystId,
  base32,
  IdentifierId,
  IncidentId,
  RelativeId,
  RespondentId,
  TestimonyId,
} from '@amanat/domain'
import type { Entropy } from '../src/entropy.ts'
import type { WorkspaceEventInput } from '../src/store.ts'

/**
 * Builders of valid event bodies for the store's tests and benchmark: a small, seeded stand-in
 * for @amanat/synthetic with everything synthetic (no real person, place names from the model's
 * own vocabulary). The same seed always gives the same bodies and ids.
 */

/** A deterministic byte stream: SHA-256(seed ‖ counter), concatenated. Tests only. */
export function seededBytes(seed: string): Entropy {
  let counter = 0
  let buffer = Buffer.alloc(0)
  return (length) => {
    while (buffer.length < length) {
      const block = createHash('sha256').update(seed).update(String(counter++)).digest()
      buffer = Buffer.concat([buffer, block])
    }
    const out = Buffer.from(buffer.subarray(0, length))
    buffer = buffer.subarray(length)
    return out
  }
}

const COUNTRIES = ['TR', 'KZ', 'DE', 'NL', 'US', 'AU', 'JP', 'SE', 'CA', 'FR'] as const
const TYPES = [
  'threat_to_relatives',
  'pressure_to_return',
  'personal_data_request',
  'informant_recruitment',
  'surveillance',
  'lost_contact_with_family',
] as const
const CHANNELS = ['wechat', 'whatsapp', 'phone_call', 'in_person', 'via_relative'] as const
const PERPETRATORS = ['home_police', 'state_security', 'embassy_consulate', 'intermediary'] as const
const WORDS = [
  'the',
  'call',
  'came',
  'again',
  'after',
  'my',
  'brother',
  'was',
  'taken',
  'they',
  'asked',
  'for',
  'names',
  'of',
  'people',
  'at',
  'the',
  'meeting',
  'and',
  'said',
  'my',
  'mother',
  'would',
  'suffer',
  'if',
  'I',
  'did',
  'not',
  'return',
  'home',
  'officer',
  'message',
  'voice',
  'photo',
  'address',
]

export interface AccountOptions {
  /** Incidents in the account (default 3, the seed study's average). */
  readonly incidents?: number
  /** Characters of narrative text (default about 600). */
  readonly narrativeLength?: number
  /** Text placed inside the narrative and every note (plaintext-residue tests). */
  readonly marker?: string
  /** Reuse this respondent (a second testimony from the same person). */
  readonly respondentId?: string
  /** Reuse this testimony id (a re-import that replaces the earlier one). */
  readonly testimonyId?: string
}

/** Ids and bodies from one seed. */
export class BodyBuilder {
  readonly #next: Entropy
  #n = 0

  constructor(seed: string) {
    this.#next = seededBytes(`bodies:${seed}`)
  }

  id(): string {
    return base32(this.#next(16))
  }

  #pick<T>(list: readonly T[]): T {
    const byte = this.#next(1)[0] ?? 0
    return list[byte % list.length] as T
  }

  #text(length: number, marker: string | undefined): string {
    const words: string[] = marker === undefined ? [] : [marker]
    let size = marker?.length ?? 0
    while (size < length) {
      const word = this.#pick(WORDS)
      words.push(word)
      size += word.length + 1
    }
    return words.join(' ')
  }

  analystId(): string {
    return AnalystId.parse(this.id())
  }

  respondent(
    id: string = RespondentId.parse(this.id()),
  ): Extract<WorkspaceEventInput, { kind: 'respondent.recorded' }>['respondent'] {
    this.#n += 1
    return {
      id,
      key: `R-${String(this.#n).padStart(6, '0')}`,
      collectionMode: 'online',
      residenceCountry: this.#pick(COUNTRIES),
      ethnicity: 'uyghur',
      status: 'refugee',
      gender: this.#pick(['woman', 'man', 'undisclosed'] as const),
      ageBand: '30_44',
      occupation: null,
      activist: this.#pick([true, false, null]),
      impacts: ['fear'],
      disclosure: this.#pick(['anonymous', 'pseudonym', 'named'] as const),
      consent: { uses: ['aggregate'], withdrawn: false, form: 'online', recordedOn: '2019-03-04' },
      pseudonym: null,
    }
  }

  /** One whole account as a `testimony.imported` body. */
  account(options: AccountOptions = {}): Extract<WorkspaceEventInput, { kind: 'testimony.imported' }> {
    const respondentId = RespondentId.parse(options.respondentId ?? this.id())
    const testimonyId = TestimonyId.parse(options.testimonyId ?? this.id())
    const marker = options.marker
    const relativeId = RelativeId.parse(this.id())
    const incidents = Array.from({ length: options.incidents ?? 3 }, (_, i) => {
      const target = i === 0 ? 'relative' : 'self'
      return {
        id: IncidentId.parse(this.id()),
        testimonyId,
        respondentId,
        type: this.#pick(TYPES),
        channel: this.#pick(CHANNELS),
        perpetrator: this.#pick(PERPETRATORS),
        target,
        relativeId: target === 'relative' ? relativeId : null,
        receivedIn: { country: this.#pick(COUNTRIES), locality: 'Old Town' },
        originatedIn: { country: 'CN' },
        date:
          i % 3 === 2
            ? { precision: 'unknown' as const }
            : { precision: 'month' as const, value: `${String(2015 + (i % 5))}-0${String(1 + (i % 9))}` },
        confidence: 'medium',
        note: marker === undefined ? null : `note ${marker}`,
        codebook: 'amanat-default@1.0.0',
      } as const
    })
    const firstIncident = incidents[0]
    return {
      kind: 'testimony.imported',
      respondent: this.respondent(respondentId),
      testimony: {
        id: testimonyId,
        respondentId,
        source: { mode: 'online', questionnaireId: 'synthetic', questionnaireVersion: '1.0.0' },
        receivedOn: '2019-04-02',
        answers: { q_country: 'TR', q_contacted: true, q_channels: ['wechat', 'phone_call'], q_count: 3 },
        narratives: [{ language: 'en', text: this.#text(options.narrativeLength ?? 600, marker) }],
        translation: null,
        attachments: [],
      },
      incidents,
      relatives: [
        {
          id: relativeId,
          respondentId,
          relation: 'sibling',
          status: 'detained',
          since: { precision: 'year', value: '2017' },
          lastContact: { precision: 'unknown' },
          note: marker === undefined ? null : `relative ${marker}`,
          codebook: 'amanat-default@1.0.0',
        },
      ],
      identifiers:
        firstIncident === undefined
          ? []
          : [
              {
                id: IdentifierId.parse(this.id()),
                respondentId,
                kind: 'wechat',
                value: `wxid_${this.id().slice(0, 10)}`,
                normalised: null,
                incidentIds: [firstIncident.id],
              },
            ],
    }
  }
}

/** What `promise` rejected with; fails the test when it resolves instead. */
export async function thrown(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected a rejection')
}
