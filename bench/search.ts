/**
 * Full-text search (issue #4 part 6): building the index of a synthetic study from nothing, its
 * size against the text it indexes, and the median latency of a ranked top-20 search over a fixed,
 * seeded query set per language (Uyghur, Chinese, English): 20 mid-frequency terms, 5 phrases and
 * 5 very common terms. Target: median under 100 ms for terms and phrases; common terms reported.
 *
 * The study comes from the shared fixture (bench/fixtures/study-workspace.ts); the index is built
 * in a temporary folder so the shared entry stays untouched. `AMANAT_BENCH_RESPONDENTS` sets the
 * size (default: 20,000 quick, 1,000,000 with --full).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deriveWorkspaceKeys } from '@amanat/database'
import { parseCodebook } from '@amanat/domain'
import { generateStudy } from '@amanat/synthetic'
import { fileURLToPath } from 'node:url'
import { indexTerms, openSearchIndex, searchIndexKey, type SearchIndex, type SearchRequest } from '../packages/search/src/index.ts'
import { median, type BenchRow } from './bench-row.ts'
import { STUDY_PASSPHRASE, studyWorkspace } from './fixtures/study-workspace.ts'

const RUNS = 3
const LANGUAGES = ['ug', 'zh', 'en'] as const
type Language = (typeof LANGUAGES)[number]

export async function benchSearch(options: { quick: boolean }): Promise<BenchRow[]> {
  const respondents = Number(process.env.AMANAT_BENCH_RESPONDENTS ?? (options.quick ? 20_000 : 1_000_000))
  const study = await studyWorkspace({ respondents })
  const dir = mkdtempSync(join(tmpdir(), 'amanat-bench-search-'))
  const keys = await deriveWorkspaceKeys(STUDY_PASSPHRASE, study.workspace.config.kdf)
  const index = openSearchIndex({ file: join(dir, 'search.db'), key: searchIndexKey(keys.storeKey), store: study.store })
  const rows: BenchRow[] = []
  try {
    const t0 = performance.now()
    const built = await index.catchUp()
    const buildSeconds = (performance.now() - t0) / 1000
    const size = index.size()
    const label = `${respondents.toLocaleString('en')} testimonies`
    rows.push(
      { name: `search index build, ${label}`, unit: 's', median: buildSeconds, runs: [buildSeconds] },
      { name: 'the same, testimonies per second', unit: 'doc/s', median: built.indexed / buildSeconds, runs: [built.indexed / buildSeconds] },
      { name: `index size / text size (${(size.textBytes / 1e6).toFixed(0)} MB of text)`, unit: '×', median: size.indexBytes / size.textBytes, runs: [size.indexBytes / size.textBytes], target: '≤ 2' },
      { name: 'whole index file / text size', unit: '×', median: size.fileBytes / size.textBytes, runs: [size.fileBytes / size.textBytes] },
    )
    const sets = querySets()
    for (const language of LANGUAGES) {
      const set = sets[language]
      for (const [kind, queries] of [['terms', set.terms], ['phrases', set.phrases], ['common terms', set.common]] as const) {
        const times = await latencies(index, queries.map((query) => ({ query })))
        rows.push({
          name: `search ${language}, ${String(queries.length)} ${kind}, ranked top 20`,
          unit: 'ms',
          median: median(times),
          runs: times,
          ...(kind === 'common terms' ? {} : { target: '< 100 ms' }),
        })
      }
    }
    const filtered = await latencies(
      index,
      sets.en.terms.slice(0, 10).map((query) => ({ query, filters: { mode: 'interview', years: { from: 2016, to: 2018 } } })),
    )
    rows.push({ name: 'search en terms + mode and year filters, top 20', unit: 'ms', median: median(filtered), runs: filtered })
  } finally {
    index.close()
    rmSync(dir, { recursive: true, force: true })
    await study.close()
  }
  return rows
}

/** The median of RUNS runs of each query, in query order. */
async function latencies(index: SearchIndex, requests: readonly SearchRequest[]): Promise<number[]> {
  const medians: number[] = []
  for (const request of requests) {
    const runs: number[] = []
    for (let run = 0; run < RUNS; run++) {
      const t0 = performance.now()
      await index.search({ ...request, limit: 20 })
      runs.push(performance.now() - t0)
    }
    medians.push(median(runs))
  }
  return medians
}

interface QuerySet {
  readonly terms: string[]
  readonly phrases: string[]
  readonly common: string[]
}

/**
 * The fixed query sets, from a seeded sample of the same generator (2,000 accounts, seed
 * `bench-search-queries`): document frequency of every term per narrative language; "mid" terms
 * are those in 0.5–5 % of the sample's documents of that language, "common" the five most
 * frequent; phrases are three consecutive words (four characters of Chinese) of sample narratives.
 * Chosen by a fixed stride over sorted candidates, so every run and machine asks the same.
 */
function querySets(): Record<Language, QuerySet> {
  const codebookFile = fileURLToPath(new URL('../packages/domain/codebook/default.yaml', import.meta.url))
  const codebook = parseCodebook(readFileSync(codebookFile, 'utf8'), 'default.yaml')
  const frequency = new Map<Language, Map<string, number>>(LANGUAGES.map((l) => [l, new Map()]))
  const documents = new Map<Language, number>(LANGUAGES.map((l) => [l, 0]))
  const phrases = new Map<Language, string[]>(LANGUAGES.map((l) => [l, []]))
  for (const account of generateStudy({ seed: 'bench-search-queries', respondents: 2000, codebook })) {
    const texts = [...account.testimony.narratives, ...(account.testimony.translation === null ? [] : [account.testimony.translation])]
    for (const { language, text } of texts) {
      const counts = frequency.get(language as Language)
      if (counts === undefined) continue
      documents.set(language as Language, (documents.get(language as Language) ?? 0) + 1)
      for (const term of new Set(indexTerms(text).split(' '))) counts.set(term, (counts.get(term) ?? 0) + 1)
      phrases.get(language as Language)?.push(phraseOf(language as Language, text))
    }
  }
  const sets = {} as Record<Language, QuerySet>
  for (const language of LANGUAGES) {
    const n = documents.get(language) ?? 1
    const counts = [...(frequency.get(language) ?? new Map<string, number>()).entries()].filter(([term]) => wholeWord(language, term))
    const mid = counts.filter(([, df]) => df >= n * 0.005 && df <= n * 0.05).map(([term]) => term).sort()
    const common = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5).map(([term]) => term)
    const candidates = (phrases.get(language) ?? []).filter((p) => p !== '').sort()
    sets[language] = { terms: stride(mid, 20), phrases: stride(candidates, 5).map((p) => `"${p}"`), common }
  }
  return sets
}

/** Chinese terms are bigrams (a two-character query is one); other languages' terms are words of 3+ letters. */
function wholeWord(language: Language, term: string): boolean {
  return language === 'zh' ? Array.from(term).length === 2 && /^\p{Script=Han}+$/u.test(term) : Array.from(term).length >= 3 && !/\d/.test(term)
}

/** Three words from the middle of the text, or four Han characters. */
function phraseOf(language: Language, text: string): string {
  if (language === 'zh') {
    const han = text.match(/\p{Script=Han}{6,}/u)?.[0] ?? ''
    return Array.from(han).slice(1, 5).join('')
  }
  const words = text.split(/[\s.,;:!?«»"()]+/).filter((w) => w.length > 1 && !/\d/.test(w))
  const at = Math.floor(words.length / 2)
  return words.slice(at, at + 3).join(' ')
}

function stride<T>(items: readonly T[], count: number): T[] {
  if (items.length <= count) return [...items]
  const step = items.length / count
  return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)] as T)
}

if (import.meta.url === `file://${process.argv[1] ?? ''}`) {
  const { formatRows } = await import('./bench-row.ts')
  process.stdout.write(`${formatRows(await benchSearch({ quick: !process.argv.includes('--full') }))}\n`)
}
