import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PROPERTY_RUNS } from '../../../tools/test-support/profile.ts'
import { indexTerms, normalise, tokenise } from '../src/index.ts'

const terms = (text: string) => indexTerms(text).split(' ')

describe('normalise: Turkish dotted and dotless i', () => {
  it('folds İstanbul, ISTANBUL, istanbul and ıstanbul to one form', () => {
    const forms = ['İstanbul', 'ISTANBUL', 'istanbul', 'ıstanbul', 'IİIıstanbul'.slice(3)]
    for (const form of forms) expect(normalise(form)).toBe('istanbul')
  })

  it('folds the decomposed İ (I + combining dot) too, and leaves no stray dot', () => {
    expect(normalise('I\u0307zmir')).toBe('izmir')
    expect(normalise('İZMİR')).toBe('izmir')
  })

  it('drops Turkish and other Latin diacritics, so şehir meets sehir', () => {
    expect(normalise('Şehir Çalışması Ğüzel Ömür')).toBe('sehir calismasi guzel omur')
    expect(normalise('Straße')).toBe('strasse')
  })
})

describe('normalise: Uyghur in Arabic script', () => {
  it('maps presentation forms to base letters (NFKC)', () => {
    // ﺋﺎﻧﺎ (presentation forms) is ئانا (mother).
    expect(normalise('\ufe8b\ufe8e\ufee7\ufe8e')).toBe('ئانا')
    expect(normalise('\ufefb')).toBe('لا')
  })

  it('removes tatweel and Arabic vowel marks', () => {
    expect(normalise('ساقـــچى')).toBe('ساقچى')
    expect(normalise('سَاقْچِى')).toBe('ساقچى')
  })

  it('composes hamza spellings into ئ', () => {
    expect(normalise('\u064a\u0654انا')).toBe('ئانا') // yeh + combining hamza
    expect(normalise('\u0649\u0654انا')).toBe('ئانا') // alef maksura + combining hamza
    expect(normalise('\u0621انا')).toBe('ئانا') // a lone hamza typed for the carrier
  })

  it('maps Persian-keyboard look-alikes and waw-with-mark spellings to the Uyghur letters', () => {
    expect(normalise('\u06cc\u06a9')).toBe('\u064a\u0643') // Persian yeh, keheh
    expect(normalise('\u0648\u064f')).toBe('\u06c7') // ۇ
    expect(normalise('\u0648\u0670')).toBe('\u06c8') // ۈ
    expect(normalise('\u0648\u065a')).toBe('\u06c6') // ۆ
    expect(normalise('\u06c9')).toBe('\u06c8') // Kirghiz ۉ
  })

  it('turns Arabic-Indic and Persian digits into ASCII digits', () => {
    expect(normalise('٢٠١٨-يىلى ۲۰۱۹')).toBe('2018-يىلى 2019')
  })

  it('keeps suffixed words whole, so a stem can be found as a prefix', () => {
    expect(terms('ساقچىلار تەرىپىدىن ئېلىپ كېتىلدى')).toEqual(['ساقچىلار', 'تەرىپىدىن', 'ئېلىپ', 'كېتىلدى'])
  })

  it('removes invisible format characters (ZWNJ, bidi marks) inside words', () => {
    expect(normalise('ئا\u200cنا\u200f')).toBe('ئانا')
  })
})

describe('normalise: Chinese', () => {
  it('maps full-width Latin, digits and spaces to half-width', () => {
    expect(normalise('ＷｅＣｈａｔ　２０１８')).toBe('wechat 2018')
  })

  it('cuts Han runs into bigrams plus the closing character', () => {
    expect(terms('我的哥哥')).toEqual(['我的', '的哥', '哥哥', '哥'])
    expect(terms('警察')).toEqual(['警察', '察'])
    expect(terms('在Istanbul的朋友')).toEqual(['在', 'istanbul', '的朋', '朋友', '友'])
  })

  it('keeps astral Han characters (CJK extension B) whole', () => {
    expect(terms('𠀀𠀁')).toEqual(['𠀀𠀁', '𠀁'])
  })
})

describe('normalise: English', () => {
  it('lowercases and splits on punctuation', () => {
    expect(terms("The police's call, +1 202-555-0154.")).toEqual(['the', 'police', 's', 'call', '1', '202', '555', '0154'])
  })
})

describe('properties', () => {
  const scripts = fc.constantFrom(
    ...'abcİIıişŞçÇğüöÖ ئاۇۈۆېىيچقـَُ ءی ک 我的哥哥警察在 ＷＥ２０ ﺋﺎ \u200c\u0307\u0654\u064f.,-\'"'.split(''),
  )
  const mixedText = fc.array(scripts, { maxLength: 40 }).map((chars) => chars.join(''))

  it('normalise is idempotent on any Unicode text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (text) => normalise(normalise(text)) === normalise(text)),
      { numRuns: PROPERTY_RUNS * 20 },
    )
  })

  it('normalise is idempotent on text mixing the four languages and their look-alikes', () => {
    fc.assert(fc.property(mixedText, (text) => normalise(normalise(text)) === normalise(text)), { numRuns: PROPERTY_RUNS * 20 })
  })

  it('indexing (whole text at once) and tokenising with places (word by word) give the same terms', () => {
    fc.assert(
      fc.property(mixedText, (text) => {
        expect(tokenise(text).map((t) => t.term)).toEqual(indexTerms(text).split(' ').filter((t) => t !== ''))
      }),
      { numRuns: PROPERTY_RUNS * 20 },
    )
  })

  it('places point at the original text: a Han term is exactly the characters it came from', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...'我的哥哥警察带走了 ,ab'.split('')), { maxLength: 30 }), (chars) => {
        const text = chars.join('')
        for (const token of tokenise(text)) {
          const source = text.slice(token.start, token.end)
          expect(normalise(source)).toBe(token.term)
        }
      }),
      { numRuns: PROPERTY_RUNS * 10 },
    )
  })
})
