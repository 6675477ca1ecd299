/**
 * Strict JSON (RFC 8259) read with positions, so a questionnaire author is told the line and
 * column of a syntax error and of every schema problem. `JSON.parse` alone reports neither
 * reliably (its messages differ between engines), and silently keeps the last of two equal keys,
 * which would hide a translation; this scanner refuses duplicates. Browser-safe.
 */

/** A line and column, both counted from 1 (columns in UTF-16 code units, as editors mostly do). */
export interface TextPlace {
  readonly line: number
  readonly column: number
}

/** A JSON document that parsed, with a way to find where a path is written. */
export interface JsonSource {
  readonly value: unknown
  /**
   * Where the value at `path` starts (or, with `part` = 'key', its property name). When the path
   * does not exist, the place of its deepest existing ancestor and `found` false.
   */
  locate(path: readonly PropertyKey[], part?: 'node' | 'key'): TextPlace & { readonly found: boolean }
}

/** A JSON syntax error: where, and what was expected. */
export class JsonSyntaxError extends Error {
  override readonly name = 'JsonSyntaxError'
  readonly place: TextPlace
  readonly reason: string

  constructor(place: TextPlace, reason: string) {
    super(`line ${place.line}, column ${place.column}: ${reason}`)
    this.place = place
    this.reason = reason
  }
}

/** The deepest nesting accepted: a questionnaire needs about a dozen levels. */
const MAX_DEPTH = 64

/**
 * Parses `text` as strict JSON (a leading byte-order mark is ignored). Throws
 * {@link JsonSyntaxError} with the line and column of the first error: a syntax error, a
 * duplicate key in an object, or nesting deeper than 64 levels.
 */
export function readJson(text: string): JsonSource {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text
  const offset = text.length - body.length
  const lineStarts = [0]
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) lineStarts.push(i + 1)
  const placeOf = (at: number): TextPlace => {
    let lo = 0
    let hi = lineStarts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if ((lineStarts[mid] ?? 0) <= at) lo = mid
      else hi = mid - 1
    }
    return { line: lo + 1, column: at - (lineStarts[lo] ?? 0) + 1 }
  }

  const scanner = new Scanner(body, (at, reason) => new JsonSyntaxError(placeOf(at + offset), reason))
  scanner.document()
  const value: unknown = JSON.parse(body)
  return {
    value,
    locate(path, part = 'node') {
      for (let depth = path.length; depth >= 0; depth--) {
        const found = scanner.places.get(pathKey(path.slice(0, depth)))
        if (found === undefined) continue
        const exact = depth === path.length
        const at = exact && part === 'key' && found.key !== undefined ? found.key : found.node
        return { ...placeOf(at + offset), found: exact }
      }
      return { ...placeOf(offset), found: false }
    },
  }
}

const pathKey = (path: readonly PropertyKey[]): string => path.map((p) => String(p)).join('\u0000')

class Scanner {
  readonly places = new Map<string, { node: number; key?: number }>()
  private i = 0
  private readonly text: string
  private readonly fail: (at: number, reason: string) => JsonSyntaxError

  constructor(text: string, fail: (at: number, reason: string) => JsonSyntaxError) {
    this.text = text
    this.fail = fail
  }

  document(): void {
    this.value([], undefined, 0)
    this.space()
    if (this.i < this.text.length) throw this.fail(this.i, 'text after the end of the document')
  }

  private value(path: readonly PropertyKey[], keyAt: number | undefined, depth: number): void {
    this.space()
    if (depth > MAX_DEPTH) throw this.fail(this.i, `nested more than ${MAX_DEPTH} levels deep`)
    const start = this.i
    this.places.set(pathKey(path), keyAt === undefined ? { node: start } : { node: start, key: keyAt })
    const c = this.text[this.i]
    if (c === '{') this.object(path, depth)
    else if (c === '[') this.array(path, depth)
    else if (c === '"') this.string()
    else if (c === 't') this.literal('true')
    else if (c === 'f') this.literal('false')
    else if (c === 'n') this.literal('null')
    else if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) this.number()
    else if (c === undefined) throw this.fail(this.i, 'the document ends where a value was expected')
    else throw this.fail(this.i, `expected a value, found ${describe(c)}`)
  }

  private object(path: readonly PropertyKey[], depth: number): void {
    this.i++
    this.space()
    if (this.text[this.i] === '}') {
      this.i++
      return
    }
    const keys = new Set<string>()
    for (;;) {
      this.space()
      if (this.text[this.i] !== '"')
        throw this.fail(this.i, `expected a property name in double quotes, found ${this.found()}`)
      const keyAt = this.i
      const key = this.string()
      if (keys.has(key))
        throw this.fail(keyAt, `the property ${JSON.stringify(key)} appears twice in this object`)
      keys.add(key)
      this.space()
      if (this.text[this.i] !== ':')
        throw this.fail(this.i, `expected ':' after the property name, found ${this.found()}`)
      this.i++
      this.value([...path, key], keyAt, depth + 1)
      this.space()
      const c = this.text[this.i]
      if (c === '}') {
        this.i++
        return
      }
      if (c !== ',') throw this.fail(this.i, `expected ',' or '}' after a property, found ${this.found()}`)
      const comma = this.i
      this.i++
      this.space()
      if (this.text[this.i] === '}')
        throw this.fail(comma, "a comma before '}' (JSON allows no trailing comma)")
    }
  }

  private array(path: readonly PropertyKey[], depth: number): void {
    this.i++
    this.space()
    if (this.text[this.i] === ']') {
      this.i++
      return
    }
    for (let index = 0; ; index++) {
      this.value([...path, index], undefined, depth + 1)
      this.space()
      const c = this.text[this.i]
      if (c === ']') {
        this.i++
        return
      }
      if (c !== ',') throw this.fail(this.i, `expected ',' or ']' after an item, found ${this.found()}`)
      const comma = this.i
      this.i++
      this.space()
      if (this.text[this.i] === ']')
        throw this.fail(comma, "a comma before ']' (JSON allows no trailing comma)")
    }
  }

  /** Reads a string and returns its decoded value. */
  private string(): string {
    const start = this.i
    this.i++
    for (;;) {
      const code = this.text.charCodeAt(this.i)
      if (Number.isNaN(code)) throw this.fail(start, 'a string is not closed (missing ")')
      if (code === 0x22) {
        this.i++
        return JSON.parse(this.text.slice(start, this.i)) as string
      }
      if (code < 0x20) {
        throw this.fail(
          this.i,
          code === 10 ? 'a line break inside a string (write \\n)' : 'a control character inside a string',
        )
      }
      if (code === 0x5c) {
        const next = this.text[this.i + 1]
        if (next === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(this.text.slice(this.i + 2, this.i + 6))) {
            throw this.fail(this.i, 'expected four hex digits after \\u')
          }
          this.i += 6
          continue
        }
        if (next === undefined || !'"\\/bfnrt'.includes(next))
          throw this.fail(this.i, 'an unknown escape (\\) in a string')
        this.i += 2
        continue
      }
      this.i++
    }
  }

  private number(): void {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.i, this.i + 400))
    if (match === null) throw this.fail(this.i, 'a malformed number')
    this.i += match[0].length
    const after = this.text[this.i]
    if (after !== undefined && /[0-9.eE+-]/.test(after)) throw this.fail(this.i, 'a malformed number')
  }

  private literal(word: 'true' | 'false' | 'null'): void {
    if (this.text.startsWith(word, this.i)) {
      this.i += word.length
      return
    }
    throw this.fail(this.i, `expected a value, found ${this.found()} (strings need double quotes)`)
  }

  private space(): void {
    for (;;) {
      const c = this.text.charCodeAt(this.i)
      if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d) this.i++
      else return
    }
  }

  private found(): string {
    const c = this.text[this.i]
    return c === undefined ? 'the end of the document' : describe(c)
  }
}

/** Names a character for a message without echoing text (a questionnaire is public, but be plain). */
function describe(c: string): string {
  if (/^[\x21-\x7e]$/.test(c)) return `'${c}'`
  if (c === ' ') return 'a space'
  return `the character U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
}
