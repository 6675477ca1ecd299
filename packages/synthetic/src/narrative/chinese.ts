import { plainKin, type Phrasebook } from './phrasebook.ts'

/** Synthetic testimony sentences in Chinese (simplified). Sentences are joined without spaces. */
export const CHINESE: Phrasebook = {
  language: 'zh',
  sentenceGap: '',
  kin: {
    older_brother: plainKin('我哥哥'),
    younger_brother: plainKin('我弟弟'),
    older_sister: plainKin('我姐姐'),
    younger_sister: plainKin('我妹妹'),
    mother: plainKin('我母亲'),
    father: plainKin('我父亲'),
    son: plainKin('我儿子'),
    daughter: plainKin('我女儿'),
    wife: plainKin('我妻子'),
    husband: plainKin('我丈夫'),
    grandmother: plainKin('我奶奶'),
    grandfather: plainKin('我爷爷'),
    uncle: plainKin('我叔叔'),
    aunt: plainKin('我姑姑'),
    cousin: plainKin('我表哥'),
    relative: plainKin('我的一个亲戚'),
  },
  perpetrators: {
    home_police: '一个自称是老家警察的男人',
    state_security: '一个自称是国家安全部门的官员',
    embassy_consulate: '领事馆的一个工作人员',
    state_media: '一家官方报纸',
    intermediary: '我以前的一个同学',
    unidentified_believed_state_linked: '一些我不认识的人',
    host_state_authority: '这里的移民局',
  },
  someone: '有人',
  channels: {
    wechat: '通过微信',
    whatsapp: '通过WhatsApp',
    other_messaging_app: '通过另一个聊天软件',
    phone_call: '通过电话',
    recorded_phone_message: '通过电话录音留言',
    in_person: '当面',
    via_relative: '通过家人',
    state_media: '通过官方媒体',
    social_media: '通过社交媒体',
    email: '通过电子邮件',
    post_or_courier: '通过快递公司',
  },
  incidents: {
    threat_to_relatives: {
      self: [(s) => `${s.who}${s.via}联系我，说如果我不照他们说的做，我的家人就要付出代价。`],
      relative: [
        (s) => `${s.who}${s.via}联系我，说如果我不照他们说的做，就把${s.kin.nom}抓走。`,
        (s) => `${s.who}${s.via}告诉我，如果我继续说出来，${s.kin.nom}就会有麻烦。`,
      ],
    },
    relative_detained: {
      self: [(s) => `我${s.via}得知，我的一个亲戚被关进了再教育营。`],
      relative: [
        (s) => `${s.kin.nom}被警察带走了，从那以后我再也没有任何消息。`,
        (s) => `我${s.via}得知，${s.kin.nom}被关进了再教育营。`,
      ],
    },
    lost_contact_with_family: {
      self: [() => '家里人一个接一个地把我从联系人里删掉了。'],
      relative: [
        (s) => `${s.kin.nom}不再回复我的消息，我不知道那边现在怎么样了。`,
        () => '家里人一个接一个地把我从联系人里删掉了。',
      ],
    },
    personal_data_request: {
      self: [
        (s) => `${s.who}${s.via}联系我，要我的护照号码、住址和证件照片。`,
        (s) => `${s.who}${s.via}问我住在哪里、在哪里工作、朋友都是谁。`,
      ],
    },
    pressure_to_return: {
      self: [(s) => `${s.who}${s.via}告诉我必须回国，说回来就什么事都没有。`],
      relative: [(s) => `${s.kin.nom}哭着给我打电话，求我回去，因为有人让他们这么做。`],
    },
    communication_monitoring: {
      self: [(s) => `我发现我${s.via}发的消息都有人看：${s.who}把我只发给家人的话说给我听。`],
      relative: [(s) => `${s.kin.nom}叫我别再打电话了，因为每次通话都有人在听。`],
    },
    informant_recruitment: {
      self: [
        (s) => `${s.who}${s.via}让我收集这里同胞的情况，然后发给他。`,
        () => '他们说，如果我把参加我们聚会的人的情况报告给他们，我的家人就会受到好的对待。',
      ],
    },
    inducement_offer: {
      self: [
        (s) => `${s.who}${s.via}说，只要我愿意合作，就让我父母出国。`,
        () => '他们答应，只要我帮他们，就给我钱和工作。',
      ],
    },
    pretext_contact: {
      self: [
        (s) => `${s.who}${s.via}联系我，说有一份重要文件要我去取，然后问我的出生日期。`,
        () => '一家快递公司不停地打电话说有从老家寄来的包裹，可是家里人根本不敢给我寄任何东西。',
      ],
    },
    lure_to_diplomatic_mission: {
      self: [(s) => `${s.who}${s.via}让我亲自去领事馆“处理证件”。`],
    },
    document_denial: {
      self: [(s) => `我去更换护照的时候，${s.who}告诉我只有回国才能拿到新护照。`],
    },
    surveillance: {
      self: [(s) => `在我们的聚会上，${s.who}给我们拍照，后来我发现有人跟踪我。`],
    },
    public_intimidation: {
      self: [(s) => `在一次和平抗议中，${s.who}冲我喊，说我在散布谎言，应该受到惩罚。`],
    },
    death_threat: {
      self: [(s) => `${s.who}${s.via}说，如果我不停下来，就会杀了我。`],
    },
    retaliation_for_activism: {
      self: [(s) => `我参加了一次示威之后，${s.who}${s.via}警告我说，我的活动一直有人盯着。`],
      relative: [(s) => `我公开发言几天后，${s.kin.nom}就被带去问话了。`],
    },
    smear_campaign: {
      self: [(s) => `${s.who}发表文章，说我是分裂分子、骗子。`],
    },
    deportation: {
      self: [() => '我们圈子里的一个朋友被遣返回中国了，我害怕下一个就是我。'],
      relative: [(s) => `我${s.via}得知，${s.kin.nom}被所在的国家遣返回中国了。`],
    },
    deportation_threat: {
      self: [(s) => `${s.who}告诉我，我的申请可能被拒绝，我可能会被遣返。`],
    },
  },
  anyIncident: [(s) => `${s.who}${s.via}联系了我，这让我很害怕。`],
  inYear: (year, sentence) => `${year}年，${sentence}`,
  capitalise: (sentence) => sentence,
  openers: [
    '我几年前离开了家乡。',
    '我想讲讲我家里发生的事。',
    '写这些对我来说很难。',
    '我出国读书以后就一直住在这里。',
  ],
  noIncident: ['我本人没有直接遇到什么事，但我每天都在担心老家的家人。'],
  impacts: {
    fear: '我一直生活在恐惧中。',
    self_censorship: '现在就连对朋友，我也不再谈老家的事。',
    mistrust_in_community: '在我们自己的圈子里，我不知道还能相信谁。',
    depression: '有些日子我连床都起不来。',
    relocation: '因为觉得不安全，我搬到了另一个城市。',
    stopped_using_app: '我把手机上的微信删掉了。',
    sought_police_protection: '我向这里的警察请求保护。',
    lost_contact: '我已经很久没有家里的消息了。',
  },
  relativeStatus: {
    detained: (k) => `据我所知，${k.nom}现在还被关着。`,
    disappeared: (k) => `没有人能告诉我${k.nom}在哪里。`,
    imprisoned: (k) => `我听说${k.nom}被判了很多年。`,
    released: (k) => `${k.nom}被放出来了，但不能跟我自由地说话。`,
    in_contact: (k) => `我有时还跟${k.nom}联系，但只聊天气。`,
    deceased: (k) => `${k.nom}去世了，我没能回去参加葬礼。`,
    unknown: (k) => `我不知道${k.nom}现在怎么样了。`,
  },
  mentions: {
    phone: (value) => `给我打电话的号码是${value}。`,
    whatsapp: (value) => `那个WhatsApp号码是${value}。`,
    wechat: (value) => `那个微信账号是${value}。`,
    email: (value) => `那些邮件是从${value}发来的。`,
  },
  closers: ['我说出来，是为了让大家知道正在发生什么。', '请不要发表任何可能暴露我身份的内容。'],
}
