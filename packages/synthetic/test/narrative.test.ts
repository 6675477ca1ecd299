import { describe, expect, it } from 'vitest'
import { tellStory, type StoryPlan } from '../src/narrative/compose.ts'
import { PHRASEBOOKS } from '../src/narrative/languages.ts'
import { KIN_BY_RELATION, KIN_KEYS, NARRATIVE_LANGUAGES } from '../src/narrative/phrasebook.ts'
import { codesIn, realNamesIn, testCodebook } from './support.ts'

const codebook = testCodebook()

function plan(overrides: Partial<StoryPlan> = {}): StoryPlan {
  return {
    length: 'long',
    opener: 0.1,
    closer: 0.9,
    incidents: [],
    relatives: [],
    impacts: [],
    mentions: [],
    ...overrides,
  }
}

describe.each(NARRATIVE_LANGUAGES)('phrasebook %s', (language) => {
  const book = PHRASEBOOKS[language]

  it('covers every code of the default codebook the narratives tell', () => {
    for (const type of codesIn(codebook, 'harassment_types')) expect(book.incidents[type], type).toBeDefined()
    for (const channel of codesIn(codebook, 'channels')) expect(book.channels[channel], channel).toBeDefined()
    for (const who of codesIn(codebook, 'perpetrators')) expect(book.perpetrators[who], who).toBeDefined()
    for (const impact of codesIn(codebook, 'impacts')) expect(book.impacts[impact], impact).toBeDefined()
    for (const status of codesIn(codebook, 'relative_statuses'))
      expect(book.relativeStatus[status], status).toBeDefined()
    for (const relation of codesIn(codebook, 'relations'))
      expect(KIN_BY_RELATION[relation], relation).toBeDefined()
  })

  it('tells every kind of harassment, for every channel, to every relative, without loose slots', () => {
    const types = [...codesIn(codebook, 'harassment_types'), 'a_code_it_does_not_know']
    const channels = [...codesIn(codebook, 'channels'), null]
    for (const type of types) {
      for (const channel of channels) {
        for (const target of ['self', 'relative'] as const) {
          for (const variant of [0, 0.5, 0.99]) {
            const text = tellStory(
              plan({
                length: 'sentence',
                incidents: [
                  {
                    type,
                    channel,
                    perpetrator: 'home_police',
                    target,
                    kin: target === 'self' ? null : 'mother',
                    year: 2018,
                    variant,
                  },
                ],
              }),
              book,
            )
            expect(text).toContain('2018')
            expect(text).not.toMatch(/ {2}|undefined|null|\$\{|^\s|\s$| [,.،;]/)
          }
        }
      }
    }
  })

  it('names every kind of relative in every case and tells what became of them', () => {
    for (const kin of KIN_KEYS) {
      const forms = book.kin[kin]
      for (const form of [forms.nom, forms.acc, forms.gen]) expect(form.trim().length).toBeGreaterThan(1)
    }
    const text = tellStory(
      plan({
        relatives: [...codesIn(codebook, 'relative_statuses')].map((status) => ({
          kin: 'older_sister' as const,
          status,
        })),
      }),
      book,
    )
    expect(text.split('\n\n')).toHaveLength(3)
    expect(text).toContain(book.kin.older_sister.nom.split(' ')[0] ?? '')
  })

  it('writes a paragraph per part of a long story and a single sentence when asked', () => {
    const incidents = [
      {
        type: 'pressure_to_return',
        channel: 'wechat',
        perpetrator: 'home_police',
        target: 'self' as const,
        kin: null,
        year: 2017,
        variant: 0,
      },
      {
        type: 'surveillance',
        channel: 'in_person',
        perpetrator: null,
        target: 'self' as const,
        kin: null,
        year: null,
        variant: 0,
      },
    ]
    const long = tellStory(
      plan({ incidents, impacts: ['fear'], mentions: [{ kind: 'phone', value: '+1 202 555 0142' }] }),
      book,
    )
    expect(long.split('\n\n')).toHaveLength(3)
    expect(long).toContain('+1 202 555 0142')
    const sentence = tellStory(plan({ length: 'sentence', incidents }), book)
    expect(sentence).not.toContain('\n')
    expect(long).toContain(sentence)
  })

  it('says something even when nothing was coded', () => {
    expect(tellStory(plan({ length: 'sentence' }), book).length).toBeGreaterThan(10)
  })

  it('holds no real names', () => {
    expect(
      realNamesIn(JSON.stringify(book, (_, value: unknown) => (typeof value === 'function' ? String(value) : value))),
    ).toEqual([])
  })
})
