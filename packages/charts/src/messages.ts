import type { CoreLanguage } from '@amanat/domain'

/**
 * The few words a chart writes besides codebook labels and country names, in the project's core
 * languages. Uyghur (Arabic script), Chinese and Turkish are drafts for a native speaker to check.
 */
export interface ChartMessages {
  readonly harassmentTypes: string
  readonly countries: string
  readonly years: string
  readonly channelPerpetrator: string
  readonly respondents: string
  readonly year: string
  readonly channel: string
  readonly perpetrator: string
  readonly suppressed: string
}

export const CHART_MESSAGES: Readonly<Record<CoreLanguage, ChartMessages>> = {
  en: {
    harassmentTypes: 'Respondents per type of harassment',
    countries: 'Respondents by country of residence',
    years: 'Respondents by year of incident',
    channelPerpetrator: 'Respondents by channel and perpetrator',
    respondents: 'Respondents',
    year: 'Year',
    channel: 'Channel',
    perpetrator: 'Perpetrator',
    suppressed: 'suppressed',
  },
  ug: {
    harassmentTypes: 'پاراكەندىچىلىك تۈرى بويىچە جاۋاب بەرگۈچىلەر',
    countries: 'تۇرۇشلۇق دۆلىتى بويىچە جاۋاب بەرگۈچىلەر',
    years: 'ۋەقە يىلى بويىچە جاۋاب بەرگۈچىلەر',
    channelPerpetrator: 'قانال ۋە قىلمىش ئىگىسى بويىچە جاۋاب بەرگۈچىلەر',
    respondents: 'جاۋاب بەرگۈچىلەر',
    year: 'يىل',
    channel: 'قانال',
    perpetrator: 'قىلمىش ئىگىسى',
    suppressed: 'يوشۇرۇلدى',
  },
  zh: {
    harassmentTypes: '按骚扰类型统计的受访者',
    countries: '按居住国统计的受访者',
    years: '按事件年份统计的受访者',
    channelPerpetrator: '按渠道和施害者统计的受访者',
    respondents: '受访者',
    year: '年份',
    channel: '渠道',
    perpetrator: '施害者',
    suppressed: '已隐去',
  },
  tr: {
    harassmentTypes: 'Taciz türüne göre katılımcılar',
    countries: 'İkamet ülkesine göre katılımcılar',
    years: 'Olay yılına göre katılımcılar',
    channelPerpetrator: 'Kanal ve faile göre katılımcılar',
    respondents: 'Katılımcılar',
    year: 'Yıl',
    channel: 'Kanal',
    perpetrator: 'Fail',
    suppressed: 'gizlendi',
  },
}
