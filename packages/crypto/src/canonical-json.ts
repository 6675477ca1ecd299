import { AmanatError } from '@amanat/domain'

/**
 * Deterministic JSON for signing, so that a signature made here verifies in any other
 * implementation that rebuilds the same bytes.
 *
 * The output is RFC 8785 (JSON Canonicalization Scheme): object keys sorted by UTF-16 code
 * units, no whitespace, strings escaped as ECMAScript's JSON.stringify escapes them, numbers in
 * ECMAScript's shortest round-trip form (so `-0` becomes `0` and `1e21` stays `1e+21`).
 */

const MAX_DEPTH = 200
const LONE_SURROGATE = /[\uD800-\uDFFF]/u

type Reason =
  | 'undefined'
  | 'non_finite_number'
  | 'unsupported_type'
  | 'not_plain_object'
  | 'sparse_array'
  | 'symbol_key'
  | 'lone_surrogate'
  | 'cycle'
  | 'too_deep'

function refuse(reason: Reason): never {
  throw new AmanatError(
    'input',
    'crypto.not_canonical_json',
    'The value cannot be signed: it holds something plain JSON cannot carry unchanged ' +
      '(undefined, a non-finite number, a function, a class instance, a cycle, or broken Unicode).',
    { reason },
  )
}

function string(text: string): string {
  if (LONE_SURROGATE.test(text)) refuse('lone_surrogate')
  return JSON.stringify(text)
}

function write(value: unknown, depth: number, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return string(value)
    case 'boolean':
      return value ? 'true' : 'false'
    case 'number':
      if (!Number.isFinite(value)) refuse('non_finite_number')
      return JSON.stringify(value)
    case 'undefined':
      return refuse('undefined')
    case 'object':
      break
    case 'bigint':
    case 'function':
    case 'symbol':
      return refuse('unsupported_type')
  }
  if (value === null) return 'null'
  if (depth >= MAX_DEPTH) refuse('too_deep')
  if (ancestors.has(value)) refuse('cycle')
  ancestors.add(value)
  let out: string
  if (Array.isArray(value)) {
    const items: string[] = []
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) refuse('sparse_array')
      items.push(write(value[i], depth + 1, ancestors))
    }
    out = `[${items.join(',')}]`
  } else {
    const prototype: unknown = Object.getPrototypeOf(value)
    if (prototype !== Object.prototype && prototype !== null) refuse('not_plain_object')
    if (Object.getOwnPropertySymbols(value).length > 0) refuse('symbol_key')
    const record = value as Record<string, unknown>
    // Default sort compares UTF-16 code units, which is the order RFC 8785 prescribes.
    const keys = Object.keys(record).sort()
    out = `{${keys.map((key) => `${string(key)}:${write(record[key], depth + 1, ancestors)}`).join(',')}}`
  }
  ancestors.delete(value)
  return out
}

/**
 * Serialises `value` as canonical JSON (RFC 8785). Equal values give equal strings whatever the
 * order their keys were inserted in. Accepts null, booleans, finite numbers, strings, arrays and
 * plain objects (prototype Object or null), nested up to 200 levels.
 *
 * @throws AmanatError input `crypto.not_canonical_json` (details.reason says why) on undefined
 *   anywhere (JSON.stringify would drop it silently), NaN or ±Infinity, bigint, functions,
 *   symbols, class instances such as Date or Map, sparse arrays, symbol keys, strings or keys
 *   holding a lone UTF-16 surrogate, cycles, or deeper nesting.
 */
export function canonicalJson(value: unknown): string {
  return write(value, 0, new Set())
}
