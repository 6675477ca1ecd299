import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { eraseRespondent, openStore } from '@amanat/database'
import { isAmanatError } from '@amanat/domain'
import BetterSqlite3 from 'better-sqlite3-multiple-ciphers'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { PROPERTY_RUNS, sized } from '../../../tools/test-support/profile.ts'
import { POSTGRES_URL, postgresAvailable } from '../../../tools/test-support/services.ts'
import { openSearchIndex, searchIndexKey, type SearchIndex, type SearchRequest } from '../src/index.ts'
import { accountWith, fixture, loadStudy, testKeys } from './support.ts'

const TEXTS = {
  uyghur: 'ئۆزىنى يۇرتىمىزدىكى ساقچى دەپ تونۇشتۇرغان بىر ئادەم ماڭا تېلېفون قىلدى. سىڭلىم ساقچىلار تەرىپىدىن ئېلىپ كېتىلدى.',
  chinese: '2018年，我姐姐被警察带走了，从那以后我再也没有任何消息。一家快递公司不停地打电话。',
  turkish: "İstanbul'da yaşıyorum. Konsolosluktan biri beni aradı ve ISPARTA hakkında sordu.",
  english: 'A man who said he was from the police at home told me on WeChat that I must come back home.',
}

const LANGUAGE_TAGS = { uyghur: 'ug', chinese: 'zh', turkish: 'tr', english: 'en' } as const

async function testimoniesFound(index: SearchIndex, request: SearchRequest): Promise<string[]> {
  return (await index.search({ limit: 100, ...request })).hits.map((h) => h.testimonyId)
}

describe('finding testimonies in four languages', async () => {
  const f = await fixture()
  const accounts = Object.fromEntries(
    Object.entries(TEXTS).map(([name, text]) => [name, accountWith(`lang-${name}`, text, LANGUAGE_TAGS[name as keyof typeof TEXTS])]),
  ) as Record<keyof typeof TEXTS, ReturnType<typeof accountWith>>
  await f.store.appendBatch('system', Object.values(accounts))
  const found = (query: string) => testimoniesFound(f.index, { query })
  const idOf = (language: keyof typeof TEXTS) => accounts[language].testimony.id

  it('finds a Uyghur stem in its suffixed forms (prefix rule), and not a word that merely contains it', async () => {
    expect(await found('ساقچى')).toEqual([idOf('uyghur')]) // ساقچى and ساقچىلار
    expect(await found('تونۇش')).toEqual([idOf('uyghur')]) // تونۇشتۇرغان
    expect(await found('"تونۇش"')).toEqual([]) // quoted: the exact word only
    expect(await found('قچى')).toEqual([]) // inside a word is not a prefix
  })

  it('finds Uyghur typed with presentation forms, tatweel and vowel marks', async () => {
    expect(await found('ﺳﺎﻗﭽﻰ')).toEqual([idOf('uyghur')])
    expect(await found('سَاقـچى')).toEqual([idOf('uyghur')])
  })

  it('finds Chinese substrings of one, two, three and more characters', async () => {
    expect(await found('警')).toEqual([idOf('chinese')])
    expect(await found('警察')).toEqual([idOf('chinese')])
    expect(await found('被警察')).toEqual([idOf('chinese')])
    expect(await found('姐姐被警察带走')).toEqual([idOf('chinese')])
    expect(await found('快递公司')).toEqual([idOf('chinese')])
    expect(await found('警车')).toEqual([]) // both characters occur, but not together
    expect(await found('察警')).toEqual([]) // nor in this order
  })

  it('finds Chinese typed with full-width digits', async () => {
    expect(await found('２０１８年')).toEqual([idOf('chinese')])
  })

  it('treats İstanbul, ISTANBUL, istanbul and ıstanbul alike', async () => {
    for (const form of ['İstanbul', 'ISTANBUL', 'istanbul', 'ıstanbul']) expect(await found(form)).toEqual([idOf('turkish')])
    for (const form of ['ısparta', 'Isparta', 'İSPARTA']) expect(await found(form)).toEqual([idOf('turkish')])
    expect(await found('yasiyorum')).toEqual([idOf('turkish')])
  })

  it('finds English words, prefixes and phrases, and not a phrase out of order', async () => {
    expect(await found('police')).toEqual([idOf('english')])
    expect(await found('wechat told')).toEqual([idOf('english')])
    expect(await found('"come back home"')).toEqual([idOf('english')])
    expect(await found('"home back come"')).toEqual([])
    expect(await found('wec*')).toEqual([idOf('english')])
  })

  it('returns a snippet with the match marked in the original text', async () => {
    const [hit] = (await f.index.search({ query: 'ساقچى' })).hits
    const snippet = hit?.snippet
    expect(snippet?.field).toBe('narrative')
    const marked = (snippet?.marks ?? []).map(([start, end]) => snippet?.text.slice(start, end))
    expect(marked).toEqual(['ساقچى', 'ساقچىلار'])
    const [chinese] = (await f.index.search({ query: '被警察' })).hits
    expect((chinese?.snippet?.marks ?? []).map(([s, e]) => chinese?.snippet?.text.slice(s, e))).toEqual(['被警察'])
  })

  it('property: every substring of two or more characters of a Chinese testimony finds it', async () => {
    const text = TEXTS.chinese.slice('2018年，'.length)
    const chars = Array.from(text)
    await fc.assert(
      fc.asyncProperty(fc.nat(chars.length - 2), fc.integer({ min: 2, max: 12 }), async (start, length) => {
        const query = chars.slice(start, start + length).join('')
        if (!/[\p{L}\p{N}]/u.test(query)) return
        expect(await found(query.replace(/"/g, ''))).toContain(idOf('chinese'))
      }),
      { numRuns: PROPERTY_RUNS },
    )
  })

  it('refuses an empty query, a bad cursor and filters that do not parse, with stable codes', async () => {
    const refused = async (request: SearchRequest) => f.index.search(request).then(() => null, (error: unknown) => error)
    expect(isAmanatError(await refused({ query: ' ,. ' }), 'search.empty_query')).toBe(true)
    expect(isAmanatError(await refused({ query: 'police', after: 'nonsense' }), 'search.bad_cursor')).toBe(true)
    expect(isAmanatError(await refused({ query: 'police', filters: { countries: ['XX'] } }), 'search.bad_request')).toBe(true)
    expect(isAmanatError(await refused({ query: 'a '.repeat(40) }), 'search.query_too_long')).toBe(true)
  })
})

describe('filters and pages over a synthetic study', async () => {
  const f = await fixture()
  const respondents = sized(150, 1000)
  await loadStudy(f.store, respondents)
  const rows = await f.store.db.selectFrom('incidents').select(['testimony_id', 'type', 'year', 'received_country', 'origin_country']).execute()
  const respondentRows = await f.store.db
    .selectFrom('respondents')
    .innerJoin('testimonies', 'testimonies.respondent_no', 'respondents.respondent_no')
    .select(['testimonies.id as testimonyId', 'collection_mode', 'residence_country', 'consent_uses', 'consent_withdrawn'])
    .execute()
  const matching = (test: (t: (typeof respondentRows)[number]) => boolean) => new Set(respondentRows.filter(test).map((r) => r.testimonyId))
  const withIncident = (test: (i: (typeof rows)[number]) => boolean) => new Set(rows.filter(test).map((r) => r.testimony_id))
  const sorted = (ids: Iterable<string>) => [...ids].sort()
  const all = async (request: SearchRequest) => {
    const ids: string[] = []
    let after: string | undefined
    for (;;) {
      const page = await f.index.search({ ...request, limit: 100, ...(after === undefined ? {} : { after }) })
      ids.push(...page.hits.map((h) => h.testimonyId))
      if (page.next === null) return ids
      after = page.next
    }
  }

  it('filters by code, country, year, collection mode and consent exactly as the tables say', async () => {
    const code = rows[0]?.type ?? ''
    expect(sorted(await all({ query: '', filters: { codes: [code] } }))).toEqual(sorted(withIncident((i) => i.type === code)))
    const inYears = withIncident((i) => i.year !== null && i.year >= 2016 && i.year <= 2017)
    expect(sorted(await all({ query: '', filters: { years: { from: 2016, to: 2017 } } }))).toEqual(sorted(inYears))
    const country = respondentRows[0]?.residence_country ?? 'TR'
    const inCountry = new Set([
      ...matching((r) => r.residence_country === country),
      ...withIncident((i) => i.received_country === country || i.origin_country === country),
    ])
    expect(sorted(await all({ query: '', filters: { countries: [country] } }))).toEqual(sorted(inCountry))
    expect(sorted(await all({ query: '', filters: { mode: 'interview' } }))).toEqual(sorted(matching((r) => r.collection_mode === 'interview')))
    const quotable = matching((r) => r.consent_withdrawn === 0 && (JSON.parse(r.consent_uses) as string[]).includes('quote'))
    expect(sorted(await all({ query: '', filters: { consent: 'quote' } }))).toEqual(sorted(quotable))
  })

  it('combines text and filters: the intersection of each alone', async () => {
    const text = new Set(await all({ query: 'police' }))
    const interview = new Set(await all({ query: '', filters: { mode: 'interview' } }))
    const both = await all({ query: 'police', filters: { mode: 'interview' } })
    expect(text.size).toBeGreaterThan(0)
    expect(sorted(both)).toEqual(sorted([...text].filter((id) => interview.has(id))))
  })

  it('pages through every hit once, best first', async () => {
    const paged = await all({ query: 'police' })
    const one = await f.index.search({ query: 'police', limit: 100 })
    expect(new Set(paged).size).toBe(paged.length)
    expect(paged.slice(0, one.hits.length)).toEqual(one.hits.map((h) => h.testimonyId))
    const scores = one.hits.map((h) => h.score)
    expect(scores).toEqual([...scores].sort((a, b) => a - b))
  })
})

describe('following the workspace', () => {
  it('catches up with new and changed testimonies, and reopens where it left off', async () => {
    const f = await fixture()
    await loadStudy(f.store, 20)
    const first = await f.index.catchUp()
    expect(first).toMatchObject({ rebuilt: true, indexed: 20 })
    const account = accountWith('follow', 'the courier called about a parcel from zanzibarqx')
    await f.store.append('system', account)
    expect(await f.index.catchUp()).toMatchObject({ rebuilt: false, indexed: 1 })
    expect(await testimoniesFound(f.index, { query: 'zanzibarqx' })).toEqual([account.testimony.id])
    await f.store.append('system', { kind: 'testimony.recorded', testimony: { ...account.testimony, narratives: [{ language: 'en', text: 'a new text about kathmandu' }] } })
    expect(await testimoniesFound(f.index, { query: 'zanzibarqx' })).toEqual([])
    expect(await testimoniesFound(f.index, { query: 'kathmandu' })).toEqual([account.testimony.id])
    f.index.close()
    const again = f.reopen()
    expect(await again.catchUp()).toEqual({ rebuilt: false, indexed: 0, erased: 0, seq: first.seq + 2 })
    expect(await testimoniesFound(again, { query: 'kathmandu' })).toEqual([account.testimony.id])
  })

  it('rebuilds an index file it cannot open', async () => {
    const f = await fixture()
    await f.store.append('system', accountWith('rebuild', 'the embassy asked about timbuktuqx'))
    await f.index.catchUp()
    f.index.close()
    writeFileSync(f.indexFile, 'not a database')
    const reopened = f.reopen()
    expect((await reopened.catchUp()).rebuilt).toBe(true)
    expect(await testimoniesFound(reopened, { query: 'timbuktuqx' })).toHaveLength(1)
  })
})

describe('erasure', () => {
  const LATIN = 'qjxmarkerzulu'
  const HAN = '龘靐齉'

  /** The index file with every page decrypted, free pages included: a copy re-keyed to no key. */
  async function decryptedPages(file: string): Promise<Buffer> {
    const copy = `${file}.plain`
    copyFileSync(file, copy)
    const key = searchIndexKey((await testKeys()).storeKey)
    const db = new BetterSqlite3(copy)
    db.pragma("cipher = 'chacha20'")
    db.key(Buffer.from(`raw:${Buffer.from(key).toString('hex')}`))
    db.pragma('journal_mode = DELETE')
    db.rekey(Buffer.alloc(0))
    db.close()
    return readFileSync(copy)
  }

  it("leaves no trace of an erased respondent's text in the index file, free pages included", async () => {
    const f = await fixture()
    await loadStudy(f.store, 30)
    const gone = accountWith('erased', `They called about ${LATIN} and said ${HAN}在哪里 twice.`)
    await f.store.append('system', gone)
    await loadStudy(f.store, 10, 'after')
    expect(await testimoniesFound(f.index, { query: LATIN })).toEqual([gone.testimony.id])
    expect(await testimoniesFound(f.index, { query: HAN })).toEqual([gone.testimony.id])
    // Terms are stored prefix-compressed (a term keeps only what differs from the one before it), so
    // the scan looks for their tails: a Han bigram shares at most its first two bytes (E9 9D) with
    // the term before it, as no other term starts with the same character.
    const markers = [
      Buffer.from(LATIN.slice(3)),
      Buffer.from(HAN.slice(0, 2)).subarray(2),
      Buffer.from(HAN.slice(1, 3)).subarray(2),
      Buffer.from(gone.respondent.id),
      Buffer.from(gone.testimony.id),
    ]

    f.index.close()
    const before = await decryptedPages(f.indexFile)
    expect(before.subarray(0, 15).toString()).toBe('SQLite format 3') // the copy really is decrypted
    for (const marker of markers) expect(before.includes(marker)).toBe(true) // and the scan sees the text

    const index = f.reopen()
    await eraseRespondent(f.store, 'system', gone.respondent.id)
    expect(await index.catchUp()).toMatchObject({ erased: 1 })
    expect(await testimoniesFound(index, { query: LATIN })).toEqual([])
    expect(await testimoniesFound(index, { query: HAN })).toEqual([])
    expect(await testimoniesFound(index, { query: 'police' })).not.toHaveLength(0)
    index.close()
    const after = await decryptedPages(f.indexFile)
    for (const marker of markers) expect(after.includes(marker)).toBe(false)
  })
})

describe('index size', () => {
  it('is at most twice the text it indexes, on a seeded synthetic study', async () => {
    const f = await fixture()
    await loadStudy(f.store, sized(1500, 20_000), 'size')
    await f.index.catchUp()
    const size = f.index.size()
    expect(size.documents).toBe(sized(1500, 20_000))
    expect(size.indexBytes / size.textBytes).toBeLessThanOrEqual(2)
    expect(size.indexBytes).toBeGreaterThan(0)
  })

  it('is at most twice the text for Chinese alone', async () => {
    const f = await fixture()
    const accounts = [...Array(sized(300, 3000)).keys()].map((n) =>
      accountWith(`zh-${String(n)}`, chineseText(n), 'zh'),
    )
    for (let i = 0; i < accounts.length; i += 500) await f.store.appendBatch('system', accounts.slice(i, i + 500))
    await f.index.catchUp()
    const size = f.index.size()
    expect(size.indexBytes / size.textBytes).toBeLessThanOrEqual(2)
  })
})

/** Varied Chinese text: sentences drawn from a pool by a simple congruential sequence. */
function chineseText(n: number): string {
  const pool = [
    '我姐姐被警察带走了，从那以后我再也没有任何消息。',
    '一家快递公司不停地打电话说有从老家寄来的包裹。',
    '领事馆的一个工作人员打电话让我亲自去领事馆处理文件。',
    '自称是家乡派出所的人通过微信让我必须回国。',
    '在我们的聚会上有不认识的人给我们拍照，后来我发现有人跟踪我。',
    '他们说如果我不停止发言，我父亲就会有麻烦。',
    '我的通讯被监控了，他们知道我只对家人说过的话。',
    '国家媒体发表了关于我的文章，说我是骗子。',
  ]
  let state = n * 2654435761
  const sentences: string[] = []
  for (let i = 0; i < 6; i++) {
    state = (state * 1103515245 + 12345) % 2147483648
    sentences.push(pool[state % pool.length] ?? '')
  }
  return sentences.join('')
}

describe.skipIf(!(await postgresAvailable()))('on a PostgreSQL workspace', () => {
  it('keeps the index in a local file and finds, follows and erases as on SQLite', async () => {
    const k = await testKeys()
    const schema = `search_${Math.random().toString(36).slice(2, 10)}`
    const store = await openStore({ dialect: 'postgres', url: POSTGRES_URL, schema, subjectKek: k.subjectKek, create: true })
    const dir = mkdtempSync(join(tmpdir(), 'amanat-search-pg-'))
    const index = openSearchIndex({ file: join(dir, 'search.db'), key: searchIndexKey(k.storeKey), store })
    try {
      await loadStudy(store, 10)
      const account = accountWith('pg', '我的玉石被没收了 and a courier from ulaanbaatarqx')
      await store.append('system', account)
      expect(await testimoniesFound(index, { query: '玉石被' })).toEqual([account.testimony.id])
      expect(await testimoniesFound(index, { query: 'ulaanbaatarqx' })).toEqual([account.testimony.id])
      await eraseRespondent(store, 'system', account.respondent.id)
      expect(await testimoniesFound(index, { query: 'ulaanbaatarqx' })).toEqual([])
    } finally {
      index.close()
      await store.db.schema.dropSchema(schema).cascade().execute()
      await store.close()
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
