import { describe, expect, it } from 'vitest'
import { holdFile, isRefusal, type AttachmentQuestion, type PickedFile } from '../src/attachments.ts'
import { DEFAULT_LIMITS } from '../src/limits.ts'
import { AnswerMemory, DOUBLE_ESCAPE_MS, onDoubleEscape, quickExit } from '../src/state.ts'
import { identifyingJpeg, identifyingPdf, pixelFloodPng } from './support/images.ts'
import { attachment, questionnaire, section } from './support/questionnaires.ts'

function question(extra: Record<string, unknown> = {}): AttachmentQuestion {
  const item = questionnaire('state-test', section('S', attachment('evidence', extra))).sections[0]?.items[0]
  if (item?.kind !== 'attachment') throw new Error('fixture')
  return item
}

const picked = (bytes: Uint8Array, name = 'file', type = '', size = bytes.length): PickedFile & { reads: number } => {
  const file = {
    name,
    type,
    size,
    reads: 0,
    arrayBuffer: () => {
      file.reads++
      return Promise.resolve(Uint8Array.from(bytes).buffer)
    },
  }
  return file
}

describe('holdFile', () => {
  it('refuses an oversize file from its declared size, before reading a byte of it', async () => {
    const file = picked(new Uint8Array(10), 'big.jpg', 'image/jpeg', 26 * 1024 * 1024)
    expect(await holdFile(file, question(), DEFAULT_LIMITS, { question: 0, total: 0 })).toEqual({
      kind: 'too_large',
      size: 26 * 1024 * 1024,
      limit: 25 * 1024 * 1024,
    })
    expect(file.reads).toBe(0)
  })

  it('applies the smaller of the page limit and the question limit', async () => {
    const result = await holdFile(picked(new Uint8Array(2000)), question({ maxBytes: 1000 }), DEFAULT_LIMITS, { question: 0, total: 0 })
    expect(result).toEqual({ kind: 'too_large', size: 2000, limit: 1000 })
  })

  it('refuses one file too many, per question and per submission', async () => {
    const jpeg = await identifyingJpeg()
    expect(await holdFile(picked(jpeg), question({ maxFiles: 2 }), DEFAULT_LIMITS, { question: 2, total: 2 })).toEqual({ kind: 'too_many', max: 2 })
    expect(await holdFile(picked(jpeg), question({ maxFiles: 3 }), DEFAULT_LIMITS, { question: 0, total: 5 })).toMatchObject({ kind: 'too_many' })
  })

  it('types a file by its bytes, and refuses types the question does not take', async () => {
    const jpeg = await identifyingJpeg()
    const held = await holdFile(picked(jpeg, 'photo.png', 'image/png'), question(), DEFAULT_LIMITS, { question: 0, total: 0 })
    expect(!isRefusal(held) && held.mediaType).toBe('image/jpeg')
    const pdfOnly = question({ accept: ['application/pdf'] })
    expect(await holdFile(picked(jpeg, 'photo.jpg', 'image/jpeg'), pdfOnly, DEFAULT_LIMITS, { question: 0, total: 0 })).toEqual({ kind: 'type' })
  })

  it('holds a file it cannot clean without consent, and refuses a pixel flood', async () => {
    const pdf = await holdFile(picked(identifyingPdf(), 'a.pdf', 'application/pdf'), question(), DEFAULT_LIMITS, { question: 0, total: 0 })
    expect(!isRefusal(pdf) && [pdf.cleaning.kind, pdf.consentAsIs, pdf.mediaType]).toEqual(['not_cleanable', false, 'application/pdf'])
    const flood = await holdFile(picked(pixelFloodPng(), 'f.png', 'image/png'), question(), DEFAULT_LIMITS, { question: 0, total: 0 })
    expect(flood).toEqual({ kind: 'too_many_pixels' })
  })
})

describe('quickExit', () => {
  it('clears the memory and the document, then replaces the location', () => {
    const memory = new AnswerMemory()
    memory.set('where', 'Istanbul')
    const events: string[] = []
    const document = { body: { replaceChildren: () => events.push('emptied') }, title: 'Questionnaire' }
    quickExit(memory, { document, location: { replace: (url: string) => events.push(`replace ${url}`) } }, 'about:blank')
    expect(memory.current).toEqual({})
    expect(document.title).toBe('')
    expect(events).toEqual(['emptied', 'replace about:blank'])
  })
})

describe('onDoubleEscape', () => {
  it('fires on two Escapes in quick succession, not on one, nor on two far apart or interrupted', () => {
    const target = new EventTarget()
    let now = 0
    let exits = 0
    onDoubleEscape(target, () => exits++, () => now)
    const key = (k: string) => target.dispatchEvent(Object.assign(new Event('keydown'), { key: k }))
    key('Escape')
    expect(exits).toBe(0)
    now += DOUBLE_ESCAPE_MS + 1
    key('Escape')
    expect(exits).toBe(0)
    now += 100
    key('a')
    key('Escape')
    expect(exits).toBe(0)
    now += 100
    key('Escape')
    expect(exits).toBe(1)
  })
})
