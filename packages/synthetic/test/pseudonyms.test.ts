import { Pseudonym } from '@amanat/domain'
import { describe, expect, it } from 'vitest'
import { Prng } from '../src/prng.ts'
import { PSEUDONYM_COLOURS, PSEUDONYM_NATURE, PseudonymBook } from '../src/pseudonyms.ts'
import { realNamesIn } from './support.ts'

const PAIRS = PSEUDONYM_COLOURS.length * PSEUDONYM_NATURE.length

describe('PseudonymBook', () => {
  it('gives every index its own pseudonym, past the number of word pairs', () => {
    const book = new PseudonymBook(Prng.fromSeed('pseudonyms'))
    const names = Array.from({ length: PAIRS * 2 + 500 }, (_, i) => book.pseudonymAt(i))
    expect(new Set(names).size).toBe(names.length)
    for (const name of names) Pseudonym.parse(name)
  })

  it('uses two words for the first pairs and a counter after them', () => {
    const book = new PseudonymBook(Prng.fromSeed('pseudonyms'))
    expect(book.pseudonymAt(0)).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/)
    expect(book.pseudonymAt(PAIRS - 1)).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+$/)
    expect(book.pseudonymAt(PAIRS)).toMatch(/^[A-Z][a-z]+ [A-Z][a-z]+ 2$/)
    expect(book.pseudonymAt(PAIRS * 2 + 7)).toMatch(/ 3$/)
  })

  it('depends on the seed and the index only', () => {
    const a = new PseudonymBook(Prng.fromSeed('one'))
    const b = new PseudonymBook(Prng.fromSeed('one'))
    const c = new PseudonymBook(Prng.fromSeed('two'))
    expect(a.pseudonymAt(1234)).toBe(b.pseudonymAt(1234))
    const first = Array.from({ length: 20 }, (_, i) => a.pseudonymAt(i))
    expect(first).not.toEqual(Array.from({ length: 20 }, (_, i) => c.pseudonymAt(i)))
  })

  it('has word lists without repeats or real names', () => {
    expect(new Set(PSEUDONYM_COLOURS).size).toBe(PSEUDONYM_COLOURS.length)
    expect(new Set(PSEUDONYM_NATURE).size).toBe(PSEUDONYM_NATURE.length)
    expect(realNamesIn([...PSEUDONYM_COLOURS, ...PSEUDONYM_NATURE].join(' '))).toEqual([])
    // The check itself finds a planted name (built from pieces so the name is not written here).
    expect(realNamesIn(`a planted ${'Ab' + 'bas'} among words`)).toHaveLength(1)
  })
})
