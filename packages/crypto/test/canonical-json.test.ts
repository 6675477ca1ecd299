import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PROPERTY_RUNS } from '../../../tools/test-support/profile.ts'
import { canonicalJson } from '../src/index.ts'
import { expectThrows } from './support.ts'

/** The same value with every object's keys inserted in a shuffled order. */
function shuffledKeys(value: unknown, random: () => number): unknown {
  if (Array.isArray(value)) return value.map((item) => shuffledKeys(item, random))
  if (value === null || typeof value !== 'object') return value
  const entries = Object.entries(value).sort(() => random() - 0.5)
  return Object.fromEntries(entries.map(([key, item]) => [key, shuffledKeys(item, random)]))
}

describe('canonicalJson', () => {
  it('is the same for any key order', () => {
    fc.assert(
      fc.property(
        fc.jsonValue(),
        fc.infiniteStream(fc.double({ min: 0, max: 1, noNaN: true })),
        (value, noise) => {
          const iterator = noise[Symbol.iterator]()
          const random = () => iterator.next().value as number
          expect(canonicalJson(shuffledKeys(value, random))).toBe(canonicalJson(value))
        },
      ),
      { numRuns: PROPERTY_RUNS },
    )
  })

  it('means the same as the input, compact, and is a fixed point', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const canonical = canonicalJson(value)
        const plain = JSON.stringify(value)
        expect(JSON.parse(canonical)).toEqual(JSON.parse(plain))
        expect(canonical).toHaveLength(plain.length) // same tokens, only the key order may differ
        expect(canonicalJson(JSON.parse(canonical))).toBe(canonical)
      }),
      { numRuns: PROPERTY_RUNS },
    )
  })

  it('matches the RFC 8785 examples (numbers, escapes, UTF-16 key order)', () => {
    const rfcInput = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001],' +
        ' "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/",' +
        ' "literals": [null, true, false]}',
    ) as unknown
    expect(canonicalJson(rfcInput)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    )
    // RFC 8785 §3.2.3: keys sort by UTF-16 code units, so the emoji (U+D83D…) precedes U+FB33.
    const sortingInput = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    }
    const order = [
      'Carriage Return',
      'One',
      'Control',
      'Latin Small Letter O With Diaeresis',
      'Euro Sign',
      'Emoji: Grinning Face',
      'Hebrew Letter Dalet With Dagesh',
    ]
    const sorted = canonicalJson(sortingInput)
    const positions = order.map((name) => sorted.indexOf(`"${name}"`))
    expect(positions.every((position) => position > 0)).toBe(true)
    expect(positions).toEqual([...positions].sort((a, b) => a - b))
    expect(canonicalJson(-0)).toBe('0')
    expect(canonicalJson({ a: '\u2028</script>' })).toBe('{"a":"\u2028</script>"}')
  })

  it('accepts a shared (acyclic) reference and null-prototype objects', () => {
    const shared = { x: 1 }
    const bare = Object.assign(Object.create(null) as Record<string, unknown>, { b: 2, a: 1 })
    expect(canonicalJson({ p: shared, q: shared, r: bare })).toBe(
      '{"p":{"x":1},"q":{"x":1},"r":{"a":1,"b":2}}',
    )
  })

  it('refuses what plain JSON cannot carry unchanged', () => {
    const cycle: Record<string, unknown> = {}
    cycle.self = cycle
    let deep: unknown = 1
    for (let i = 0; i < 201; i++) deep = [deep]
    const refused: Array<[unknown, string]> = [
      [undefined, 'undefined'],
      [{ a: undefined }, 'undefined'],
      [[1, undefined], 'undefined'],
      [Number.NaN, 'non_finite_number'],
      [{ n: Number.POSITIVE_INFINITY }, 'non_finite_number'],
      [10n, 'unsupported_type'],
      [() => 1, 'unsupported_type'],
      [Symbol('s'), 'unsupported_type'],
      [new Date(0), 'not_plain_object'],
      [new Map(), 'not_plain_object'],
      [
        new (class Point {
          x = 1
        })(),
        'not_plain_object',
      ],
      [[1, , 3], 'sparse_array'],
      [{ [Symbol('k')]: 1 }, 'symbol_key'],
      ['\ud800', 'lone_surrogate'],
      [{ '\udc00': 1 }, 'lone_surrogate'],
      [cycle, 'cycle'],
      [deep, 'too_deep'],
    ]
    for (const [value, reason] of refused) {
      expectThrows(() => canonicalJson(value), 'input', 'crypto.not_canonical_json')
      try {
        canonicalJson(value)
      } catch (error) {
        expect((error as { details: { reason: string } }).details.reason).toBe(reason)
      }
    }
  })
})
