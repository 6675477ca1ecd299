import type { CoreLanguage } from '@amanat/domain'
import type { Methodology } from './report-data.ts'

/**
 * The report's own words in the core languages. Numbers arrive already through disclosure
 * control; a suppressed number is written as such ("fewer than k" would say more than the rules
 * allow for a complementary suppression, so it is just "suppressed"). Uyghur, Chinese and Turkish
 * are drafts for a native speaker to check.
 */
export interface ReportMessages {
  readonly title: string
  readonly methodologyHeading: string
  readonly chartsHeading: string
  readonly tablesHeading: string
  readonly storiesHeading: string
  readonly disclosureHeading: string
  readonly downloads: string
  readonly count: string
  readonly suppressed: string
  readonly noStories: string
  /** Where a story's teller lives: a country, or a continent when the country's count is suppressed. */
  readonly livesIn: (place: string) => string
  readonly disclosureSummary: (k: number, suppressed: number) => string
  readonly reasons: Readonly<Record<'primary' | 'complementary' | 'differencing', string>>
  readonly total: string
  readonly methodology: (m: Methodology, modes: string, suppressedWord: string) => string
  readonly tableTitles: Readonly<Record<string, string>>
}

const num = (n: number | null, suppressed: string) => (n === null ? suppressed : String(n))
const range = (m: Methodology, sep: string) =>
  m.firstYear === null || m.lastYear === null
    ? null
    : m.firstYear === m.lastYear
      ? String(m.firstYear)
      : `${String(m.firstYear)}${sep}${String(m.lastYear)}`

export const REPORT_MESSAGES: Readonly<Record<CoreLanguage, ReportMessages>> = {
  en: {
    title: 'Transnational repression: findings',
    methodologyHeading: 'Methodology',
    chartsHeading: 'Charts',
    tablesHeading: 'Tables',
    storiesHeading: 'Case stories',
    disclosureHeading: 'What was withheld, and why',
    downloads: 'Data: data.json (schema: data.schema.json), tables.xlsx, tables/*.csv, disclosure-log.json.',
    count: 'Respondents',
    suppressed: 'suppressed',
    noStories: 'No case stories are published in this report.',
    livesIn: (country) => `lives in ${country}`,
    disclosureSummary: (k, n) =>
      `Every number in this report passed disclosure control with k = ${String(k)}: no published count lies between 1 and ${String(k - 1)}, and ${String(n)} counts were withheld so that none can be worked out from the others.`,
    reasons: {
      primary: 'fewer than k respondents',
      complementary: 'withheld so that another withheld count cannot be calculated',
      differencing: 'would reveal a small change from an earlier release',
    },
    total: 'total',
    methodology: (m, modes, s) =>
      `This report draws on the accounts of ${num(m.respondents, s)} respondents living in ${String(m.countries)} countries on ${String(m.continents)} continents (${modes}). ` +
      `${m.anonymityPercent === null ? 'The share who asked for anonymity is suppressed' : `${String(m.anonymityPercent)}% asked for anonymity`}. ` +
      (range(m, '–') === null ? '' : `The incidents they describe date from ${range(m, '–') ?? ''}. `) +
      'Respondents are counted once per table; a respondent who reported several types of harassment counts in each of them, so rows of multi-valued tables overlap.',
    tableTitles: {
      harassment_types: 'Respondents per type of harassment',
      residence_countries: 'Respondents by country of residence',
      incident_years: 'Respondents by year of incident',
      channel_perpetrator: 'Respondents by channel and perpetrator',
      continents: 'Respondents by continent',
      collection_modes: 'Respondents by how their account was collected',
      disclosure_wishes: 'Respondents by what they asked us to publish about them',
    },
  },
  ug: {
    title: 'دۆلەت ھالقىغان باستۇرۇش: بايقاشلار',
    methodologyHeading: 'ئۇسۇل',
    chartsHeading: 'دىئاگراممىلار',
    tablesHeading: 'جەدۋەللەر',
    storiesHeading: 'ۋەقە ھېكايىلىرى',
    disclosureHeading: 'نېمە يوشۇرۇلدى ۋە نېمە ئۈچۈن',
    downloads:
      'سانلىق مەلۇمات: data.json (data.schema.json)، tables.xlsx، tables/*.csv، disclosure-log.json.',
    count: 'جاۋاب بەرگۈچىلەر',
    suppressed: 'يوشۇرۇلدى',
    noStories: 'بۇ دوكلاتتا ۋەقە ھېكايىسى ئېلان قىلىنمىدى.',
    livesIn: (country) => `${country} دا تۇرىدۇ`,
    disclosureSummary: (k, n) =>
      `بۇ دوكلاتتىكى ھەر بىر سان k = ${String(k)} بىلەن ئاشكارىلاش كونتروللۇقىدىن ئۆتتى: ئېلان قىلىنغان ھېچقانداق سان 1 بىلەن ${String(k - 1)} ئارىلىقىدا ئەمەس؛ ${String(n)} سان يوشۇرۇلدى.`,
    reasons: {
      primary: 'جاۋاب بەرگۈچى k دىن ئاز',
      complementary: 'باشقا يوشۇرۇلغان ساننى ھېسابلاپ چىقىرىشنىڭ ئالدىنى ئېلىش ئۈچۈن',
      differencing: 'ئىلگىرىكى ئېلاندىن كىچىك ئۆزگىرىشنى ئاشكارىلايدۇ',
    },
    total: 'جەمئىي',
    methodology: (m, modes, s) =>
      `بۇ دوكلات ${String(m.continents)} قىتئەدىكى ${String(m.countries)} دۆلەتتە ياشايدىغان ${num(m.respondents, s)} جاۋاب بەرگۈچىنىڭ بايانىغا ئاساسلاندى (${modes}). ` +
      `${m.anonymityPercent === null ? 'نامسىز قېلىشنى تەلەپ قىلغانلارنىڭ نىسبىتى يوشۇرۇلدى' : `%${String(m.anonymityPercent)} ى نامسىز قېلىشنى تەلەپ قىلدى`}. ` +
      (range(m, '–') === null ? '' : `ۋەقەلەر ${range(m, '–') ?? ''} يىللىرىغا تەۋە. `),
    tableTitles: {
      harassment_types: 'پاراكەندىچىلىك تۈرى بويىچە جاۋاب بەرگۈچىلەر',
      residence_countries: 'تۇرۇشلۇق دۆلىتى بويىچە جاۋاب بەرگۈچىلەر',
      incident_years: 'ۋەقە يىلى بويىچە جاۋاب بەرگۈچىلەر',
      channel_perpetrator: 'قانال ۋە قىلمىش ئىگىسى بويىچە جاۋاب بەرگۈچىلەر',
      continents: 'قىتئە بويىچە جاۋاب بەرگۈچىلەر',
      collection_modes: 'توپلاش ئۇسۇلى بويىچە جاۋاب بەرگۈچىلەر',
      disclosure_wishes: 'ئاشكارىلاش ئارزۇسى بويىچە جاۋاب بەرگۈچىلەر',
    },
  },
  zh: {
    title: '跨国镇压：调查结果',
    methodologyHeading: '研究方法',
    chartsHeading: '图表',
    tablesHeading: '表格',
    storiesHeading: '个案故事',
    disclosureHeading: '隐去了什么，为什么',
    downloads: '数据：data.json（结构：data.schema.json）、tables.xlsx、tables/*.csv、disclosure-log.json。',
    count: '受访者',
    suppressed: '已隐去',
    noStories: '本报告未发布个案故事。',
    livesIn: (country) => `居住在${country}`,
    disclosureSummary: (k, n) =>
      `本报告中的每个数字都经过了 k = ${String(k)} 的披露控制：没有任何公布的数字介于 1 和 ${String(k - 1)} 之间；共隐去 ${String(n)} 个数字，使其无法由其他数字推算。`,
    reasons: {
      primary: '受访者少于 k 人',
      complementary: '为防止推算出其他被隐去的数字',
      differencing: '会暴露与先前发布相比的微小变化',
    },
    total: '合计',
    methodology: (m, modes, s) =>
      `本报告基于居住在 ${String(m.continents)} 个大洲 ${String(m.countries)} 个国家的 ${num(m.respondents, s)} 名受访者的陈述（${modes}）。` +
      `${m.anonymityPercent === null ? '要求匿名者的比例已隐去' : `${String(m.anonymityPercent)}% 的受访者要求匿名`}。` +
      (range(m, '—') === null ? '' : `所述事件发生于 ${range(m, '—') ?? ''} 年。`),
    tableTitles: {
      harassment_types: '按骚扰类型统计的受访者',
      residence_countries: '按居住国统计的受访者',
      incident_years: '按事件年份统计的受访者',
      channel_perpetrator: '按渠道和施害者统计的受访者',
      continents: '按大洲统计的受访者',
      collection_modes: '按收集方式统计的受访者',
      disclosure_wishes: '按公开意愿统计的受访者',
    },
  },
  tr: {
    title: 'Ülkeler ötesi baskı: bulgular',
    methodologyHeading: 'Yöntem',
    chartsHeading: 'Grafikler',
    tablesHeading: 'Tablolar',
    storiesHeading: 'Vaka öyküleri',
    disclosureHeading: 'Neyin neden gizlendiği',
    downloads: 'Veriler: data.json (şema: data.schema.json), tables.xlsx, tables/*.csv, disclosure-log.json.',
    count: 'Katılımcılar',
    suppressed: 'gizlendi',
    noStories: 'Bu raporda vaka öyküsü yayımlanmamıştır.',
    livesIn: (country) => `${country} ülkesinde yaşıyor`,
    disclosureSummary: (k, n) =>
      `Bu rapordaki her sayı k = ${String(k)} ile ifşa denetiminden geçti: yayımlanan hiçbir sayı 1 ile ${String(k - 1)} arasında değil; ${String(n)} sayı, diğerlerinden hesaplanamasın diye gizlendi.`,
    reasons: {
      primary: "k'dan az katılımcı",
      complementary: 'gizlenen başka bir sayının hesaplanmaması için',
      differencing: 'önceki bir yayına göre küçük bir değişikliği açığa çıkarırdı',
    },
    total: 'toplam',
    methodology: (m, modes, s) =>
      `Bu rapor, ${String(m.continents)} kıtada ${String(m.countries)} ülkede yaşayan ${num(m.respondents, s)} katılımcının anlatımlarına dayanır (${modes}). ` +
      `${m.anonymityPercent === null ? 'Anonimlik isteyenlerin oranı gizlendi' : `Katılımcıların %${String(m.anonymityPercent)}'i anonim kalmak istedi`}. ` +
      (range(m, '–') === null ? '' : `Anlatılan olaylar ${range(m, '–') ?? ''} yıllarına aittir. `),
    tableTitles: {
      harassment_types: 'Taciz türüne göre katılımcılar',
      residence_countries: 'İkamet ülkesine göre katılımcılar',
      incident_years: 'Olay yılına göre katılımcılar',
      channel_perpetrator: 'Kanal ve faile göre katılımcılar',
      continents: 'Kıtaya göre katılımcılar',
      collection_modes: 'Toplama yöntemine göre katılımcılar',
      disclosure_wishes: 'Kimlik tercihine göre katılımcılar',
    },
  },
}

/** Labels of the closed vocabularies the report's tables use (collection modes, disclosure wishes, continents). */
export const VOCABULARY_LABELS: Readonly<Record<CoreLanguage, Readonly<Record<string, string>>>> = {
  en: {
    online: 'online questionnaire',
    interview: 'interview',
    named: 'named',
    pseudonym: 'pseudonym',
    anonymous: 'anonymous',
    africa: 'Africa',
    antarctica: 'Antarctica',
    asia: 'Asia',
    europe: 'Europe',
    north_america: 'North America',
    oceania: 'Oceania',
    south_america: 'South America',
  },
  ug: {
    online: 'تور سوئاللىرى',
    interview: 'سۆھبەت',
    named: 'ئىسمى بىلەن',
    pseudonym: 'تەخەللۇس',
    anonymous: 'نامسىز',
    africa: 'ئافرىقا',
    antarctica: 'ئانتاركتىكا',
    asia: 'ئاسىيا',
    europe: 'ياۋروپا',
    north_america: 'شىمالىي ئامېرىكا',
    oceania: 'ئوكيانىيە',
    south_america: 'جەنۇبىي ئامېرىكا',
  },
  zh: {
    online: '在线问卷',
    interview: '访谈',
    named: '实名',
    pseudonym: '化名',
    anonymous: '匿名',
    africa: '非洲',
    antarctica: '南极洲',
    asia: '亚洲',
    europe: '欧洲',
    north_america: '北美洲',
    oceania: '大洋洲',
    south_america: '南美洲',
  },
  tr: {
    online: 'çevrim içi anket',
    interview: 'görüşme',
    named: 'adıyla',
    pseudonym: 'takma ad',
    anonymous: 'anonim',
    africa: 'Afrika',
    antarctica: 'Antarktika',
    asia: 'Asya',
    europe: 'Avrupa',
    north_america: 'Kuzey Amerika',
    oceania: 'Okyanusya',
    south_america: 'Güney Amerika',
  },
}
