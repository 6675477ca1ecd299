/**
 * A small, fast, seeded pseudo-random generator for synthetic data. Never for secrets or ids of
 * real records: those come from the platform CSPRNG (`newId` in @amanat/domain).
 *
 * Generator: sfc32, Chris Doty-Humphrey's "Small Fast Counter" from the PractRand test suite
 * (128-bit state, passes PractRand; public domain). Seeding: cyrb128, bryc's 128-bit string hash
 * over the string's UTF-16 code units (public domain), whose four words become the state; the
 * first 15 outputs are discarded (bryc's advice; PractRand's own seeding discards 12), so that
 * similar seeds have diverged before the first number is used.
 * Both as published in https://github.com/bryc/code/blob/master/jshash/PRNGs.md and
 * https://pracrand.sourceforge.net/RNG_engines.txt.
 */

/** The four 32-bit words cyrb128 makes from `text`. Pure and platform-independent. */
export function cyrb128(text: string): [number, number, number, number] {
  let h1 = 1779033703
  let h2 = 3144134277
  let h3 = 1013904242
  let h4 = 2773480762
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i)
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067)
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233)
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213)
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179)
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067)
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233)
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213)
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179)
  h1 ^= h2 ^ h3 ^ h4
  h2 ^= h1
  h3 ^= h1
  h4 ^= h1
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0]
}

/** Choices with relative weights, prepared once so that drawing costs one short scan. */
export class WeightedTable<T> {
  readonly values: readonly T[]
  private readonly cumulative: Float64Array
  readonly total: number

  /**
   * Throws a `RangeError` when `entries` is empty, a weight is negative or not finite, or all
   * weights are zero: a table that can return nothing is a bug in the caller.
   */
  constructor(entries: readonly (readonly [T, number])[]) {
    const values: T[] = []
    const cumulative = new Float64Array(entries.length)
    let total = 0
    for (const [value, weight] of entries) {
      if (!Number.isFinite(weight) || weight < 0) throw new RangeError('a weight must be a finite number ≥ 0')
      total += weight
      cumulative[values.length] = total
      values.push(value)
    }
    if (total <= 0) throw new RangeError('a weighted table needs at least one positive weight')
    this.values = values
    this.cumulative = cumulative
    this.total = total
  }

  /** The value whose cumulative band holds `u` ∈ [0, 1). */
  at(u: number): T {
    const target = u * this.total
    const cumulative = this.cumulative
    const last = cumulative.length - 1
    let i = 0
    while (i < last && (cumulative[i] as number) <= target) i++
    return this.values[i] as T
  }
}

/**
 * A deterministic stream of numbers: the same seed gives the same sequence on every platform
 * (only 32-bit integer arithmetic and exact divisions by 2^32 are used).
 */
export class Prng {
  private a: number
  private b: number
  private c: number
  private d: number

  private constructor(a: number, b: number, c: number, d: number) {
    this.a = a
    this.b = b
    this.c = c
    this.d = d
    for (let i = 0; i < 15; i++) this.nextUint32()
  }

  /** A generator seeded from any string (cyrb128 → sfc32). */
  static fromSeed(seed: string): Prng {
    const [a, b, c, d] = cyrb128(seed)
    return new Prng(a, b, c, d)
  }

  /** The next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0
    this.d = (this.d + 1) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** A float in [0, 1) with 32 bits of resolution. */
  next(): number {
    return this.nextUint32() / 4294967296
  }

  /**
   * An integer in [min, max], both inclusive. The bias of scaling a 32-bit draw is below 2^-20
   * for the small ranges used here, which is immaterial for synthetic data.
   * Throws a `RangeError` when the bounds are not integers or `max < min`.
   */
  int(min: number, max: number): number {
    if (!Number.isInteger(min) || !Number.isInteger(max) || max < min) {
      throw new RangeError('int(min, max) needs integers with min ≤ max')
    }
    return min + Math.floor(this.next() * (max - min + 1))
  }

  /** True with probability `p` (clamped to [0, 1]). */
  chance(p: number): boolean {
    return this.next() < p
  }

  /** One element, uniformly. Throws a `RangeError` on an empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('cannot pick from an empty array')
    return items[Math.floor(this.next() * items.length)] as T
  }

  /**
   * One value drawn by weight, from raw `[value, weight]` entries or a prepared
   * {@link WeightedTable} (prepare tables used in loops). Throws a `RangeError` as the table does.
   */
  weighted<T>(entries: WeightedTable<T> | readonly (readonly [T, number])[]): T {
    const table = entries instanceof WeightedTable ? entries : new WeightedTable(entries)
    return table.at(this.next())
  }

  /** `length` random bytes (e.g. 16 for `seededId` from @amanat/domain). */
  bytes(length: number): Uint8Array {
    const out = new Uint8Array(length)
    for (let i = 0; i < length; i += 4) {
      let word = this.nextUint32()
      for (let j = i; j < i + 4 && j < length; j++) {
        out[j] = word & 0xff
        word >>>= 8
      }
    }
    return out
  }
}
