import { describe, expect, it } from 'vitest'
import { directionOf, formatBytes, pickLanguage, translate } from '../src/i18n/i18n.ts'
import { CHROME_LANGUAGES, LANGUAGE_NAMES, MESSAGES } from '../src/i18n/messages.ts'
import { DEFAULT_LIMITS, formatLimits, parseLimits } from '../src/limits.ts'

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort()

describe('the page chrome', () => {
  it('has every message in every language, non-empty, with the same placeholders as English', () => {
    const keys = Object.keys(MESSAGES.en) as (keyof typeof MESSAGES.en)[]
    for (const language of CHROME_LANGUAGES) {
      expect(Object.keys(MESSAGES[language]).sort()).toEqual([...keys].sort())
      for (const key of keys) {
        const text = MESSAGES[language][key]
        expect(text.trim(), `${language}.${key}`).not.toBe('')
        expect(placeholders(text), `${language}.${key}`).toEqual(placeholders(MESSAGES.en[key]))
      }
    }
  })

  it('writes Uyghur in Arabic script and Chinese in Han characters, not English left in place', () => {
    const arabic = /[\u0600-\u06ff]/
    const han = /[\u4e00-\u9fff]/
    for (const key of Object.keys(MESSAGES.en) as (keyof typeof MESSAGES.en)[]) {
      if (key === 'itemNumber') continue // only placeholders
      expect(MESSAGES.ug[key], key).toMatch(arabic)
      expect(MESSAGES.zh[key], key).toMatch(han)
      if (MESSAGES.en[key].length > 12) expect(MESSAGES.tr[key], key).not.toBe(MESSAGES.en[key])
    }
    for (const language of CHROME_LANGUAGES) expect(LANGUAGE_NAMES[language]).toBeDefined()
  })

  it('fills placeholders and falls back to English for languages it lacks', () => {
    expect(translate('en', 'progress', { n: 2, total: 6 })).toBe('Page 2 of 6')
    expect(translate('ug', 'progress', { n: 2, total: 6 })).toBe('6 بەتنىڭ 2-بېتى')
    expect(translate('kk', 'next')).toBe('Next')
    expect(translate('zh-Hans', 'next')).toBe(MESSAGES.zh.next)
  })

  it('runs Uyghur in Arabic script right to left, and Latin or Cyrillic Uyghur left to right', () => {
    expect(directionOf('ug')).toBe('rtl')
    expect(directionOf('ug-Arab')).toBe('rtl')
    expect(directionOf('ug-Latn')).toBe('ltr')
    expect(directionOf('ug-Cyrl')).toBe('ltr')
    expect(directionOf('zh')).toBe('ltr')
    expect(directionOf('tr')).toBe('ltr')
  })

  it('picks the first preferred language offered, by tag then by primary subtag', () => {
    expect(pickLanguage(['en', 'ug', 'zh', 'tr'], ['tr-TR', 'en'], 'en')).toBe('tr')
    expect(pickLanguage(['en', 'ug'], ['de', 'fr'], 'ug')).toBe('ug')
    expect(pickLanguage(['en', 'zh'], ['zh-CN'], 'en')).toBe('zh')
  })

  it('formats sizes as file pickers do', () => {
    expect(formatBytes(500)).toBe('1 KB')
    expect(formatBytes(850 * 1024)).toBe('850 KB')
    expect(formatBytes(1.5 * 1024 * 1024)).toBe('1.5 MB')
    expect(formatBytes(25 * 1024 * 1024)).toBe('25 MB')
    expect(formatBytes(25.1 * 1024 * 1024)).toBe('25.1 MB')
    expect(formatBytes(300 * 1024 * 1024)).toBe('300 MB')
  })
})

describe('parseLimits', () => {
  it('reads what formatLimits writes and falls back to the defaults', () => {
    const limits = { submissionBytes: 1024 * 1024, attachments: 2, attachmentBytes: 5 * 1024 * 1024 }
    expect(parseLimits(formatLimits(limits))).toEqual(limits)
    expect(parseLimits(null)).toEqual(DEFAULT_LIMITS)
    expect(parseLimits('attachments=-1,submissionBytes=abc')).toEqual(DEFAULT_LIMITS)
  })

  it('never lets the submission limit exceed the largest padding bucket', () => {
    expect(parseLimits('submissionBytes=999999999').submissionBytes).toBe(3 * 1024 * 1024)
  })
})
