import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PROPERTY_RUNS } from '../../../tools/test-support/profile.ts'
import { JsonSyntaxError, readJson } from '../src/questionnaire/json-source.ts'

const accepts = (parse: () => unknown) => {
  try {
    parse()
    return true
  } catch {
    return false
  }
}

describe('readJson', () => {
  it('reads what JSON.stringify writes, to the same value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(0, 2), (value, indent) => {
        const text = JSON.stringify(value, null, indent)
        expect(readJson(text).value).toEqual(JSON.parse(text))
      }),
      { numRuns: PROPERTY_RUNS },
    )
  })

  it('accepts exactly what JSON.parse accepts, except a key repeated in one object', () => {
    const mutated = fc
      .tuple(
        fc.jsonValue({ maxDepth: 3 }),
        fc.nat(),
        fc.constantFrom('', ',', '"', '}', ']', ':', ' ', '0', '-', '.', 'e', '\\', '\t'),
      )
      .map(([value, at, insert]) => {
        const text = JSON.stringify(value, null, 1)
        const i = text.length === 0 ? 0 : at % text.length
        return insert === ''
          ? text.slice(0, i) + text.slice(i + 1)
          : text.slice(0, i) + insert + text.slice(i)
      })
    fc.assert(
      fc.property(mutated, (text) => {
        const native = accepts(() => JSON.parse(text))
        let refusal: unknown = null
        try {
          readJson(text)
        } catch (error) {
          refusal = error
        }
        if (native && refusal !== null) {
          // The one intended difference: JSON.parse silently keeps the last of two equal keys.
          expect(refusal).toBeInstanceOf(JsonSyntaxError)
          expect((refusal as JsonSyntaxError).reason).toMatch(/appears twice in this object/)
        } else expect(refusal === null).toBe(native)
      }),
      { numRuns: PROPERTY_RUNS * 4 },
    )
  })

  it('locates values and keys by path, and refuses deep nesting with a position', () => {
    const text = '{\n  "a": [1,\n    {"b": true}]\n}'
    const src = readJson(text)
    expect(src.locate(['a', 1, 'b'])).toEqual({ line: 3, column: 11, found: true })
    expect(src.locate(['a', 1, 'b'], 'key')).toEqual({ line: 3, column: 6, found: true })
    expect(src.locate(['a', 7])).toEqual({ line: 2, column: 8, found: false })
    const deep = `${'['.repeat(70)}${']'.repeat(70)}`
    expect(() => readJson(deep)).toThrow(JsonSyntaxError)
    expect(() => readJson(deep)).toThrow(/line 1, column 66: nested more than 64 levels deep/)
  })
})
