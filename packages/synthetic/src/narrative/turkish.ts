import type { Kin, Phrasebook } from './phrasebook.ts'

const kin = (nom: string, acc: string, gen: string): Kin => ({ nom, acc, gen })

/**
 * Synthetic testimony sentences in Turkish. Case endings follow vowel harmony, so each kin word
 * carries its own accusative and genitive. Sentences start in lower case; `capitalise` uses the
 * Turkish rules (i → İ).
 */
export const TURKISH: Phrasebook = {
  language: 'tr',
  sentenceGap: ' ',
  kin: {
    older_brother: kin('ağabeyim', 'ağabeyimi', 'ağabeyimin'),
    younger_brother: kin('erkek kardeşim', 'erkek kardeşimi', 'erkek kardeşimin'),
    older_sister: kin('ablam', 'ablamı', 'ablamın'),
    younger_sister: kin('kız kardeşim', 'kız kardeşimi', 'kız kardeşimin'),
    mother: kin('annem', 'annemi', 'annemin'),
    father: kin('babam', 'babamı', 'babamın'),
    son: kin('oğlum', 'oğlumu', 'oğlumun'),
    daughter: kin('kızım', 'kızımı', 'kızımın'),
    wife: kin('eşim', 'eşimi', 'eşimin'),
    husband: kin('kocam', 'kocamı', 'kocamın'),
    grandmother: kin('babaannem', 'babaannemi', 'babaannemin'),
    grandfather: kin('dedem', 'dedemi', 'dedemin'),
    uncle: kin('amcam', 'amcamı', 'amcamın'),
    aunt: kin('teyzem', 'teyzemi', 'teyzemin'),
    cousin: kin('kuzenim', 'kuzenimi', 'kuzenimin'),
    relative: kin('bir akrabam', 'bir akrabamı', 'bir akrabamın'),
  },
  perpetrators: {
    home_police: 'memleketteki polisten olduğunu söyleyen bir adam',
    state_security: 'devlet güvenliğinde çalıştığını söyleyen bir görevli',
    embassy_consulate: 'konsolosluktan biri',
    state_media: 'bir devlet gazetesi',
    intermediary: 'eski bir sınıf arkadaşım',
    unidentified_believed_state_linked: 'tanımadığım kişiler',
    host_state_authority: 'buradaki göç idaresi',
  },
  someone: 'biri',
  channels: {
    wechat: 'WeChat üzerinden',
    whatsapp: 'WhatsApp üzerinden',
    other_messaging_app: 'başka bir mesajlaşma uygulaması üzerinden',
    phone_call: 'telefonla',
    recorded_phone_message: 'kayıtlı bir telefon mesajıyla',
    in_person: 'yüz yüze',
    via_relative: 'ailem aracılığıyla',
    state_media: 'devlet medyası aracılığıyla',
    social_media: 'sosyal medya üzerinden',
    email: 'e-postayla',
    post_or_courier: 'bir kargo şirketi aracılığıyla',
  },
  incidents: {
    threat_to_relatives: {
      self: [
        (s) =>
          `${s.who} ${s.via} benimle iletişime geçti ve istediklerini yapmazsam ailemin bedel ödeyeceğini söyledi.`,
      ],
      relative: [
        (s) =>
          `${s.who} ${s.via} benimle iletişime geçti ve istediklerini yapmazsam ${s.kin.acc} götüreceklerini söyledi.`,
        (s) =>
          `${s.who} ${s.via} bana, konuşmaya devam edersem ${s.kin.gen} başının derde gireceğini söyledi.`,
      ],
    },
    relative_detained: {
      self: [(s) => `${s.via} bir akrabamın bir kampa gönderildiğini öğrendim.`],
      relative: [
        (s) => `${s.kin.nom} polis tarafından götürüldü ve o zamandan beri hiçbir haber alamadım.`,
        (s) => `${s.via} ${s.kin.gen} bir kampa gönderildiğini öğrendim.`,
      ],
    },
    lost_contact_with_family: {
      self: [() => 'ailem beni birer birer rehberlerinden sildi.'],
      relative: [
        (s) => `${s.kin.nom} mesajlarıma cevap vermez oldu; şimdi nerede olduğunu bilmiyorum.`,
        () => 'ailem beni birer birer rehberlerinden sildi.',
      ],
    },
    personal_data_request: {
      self: [
        (s) =>
          `${s.who} ${s.via} benimle iletişime geçti ve pasaport numaramı, adresimi ve belgelerimin fotoğraflarını istedi.`,
        (s) =>
          `${s.who} ${s.via} bana nerede oturduğumu, nerede çalıştığımı ve arkadaşlarımın kim olduğunu sordu.`,
      ],
    },
    pressure_to_return: {
      self: [
        (s) =>
          `${s.who} ${s.via} bana memlekete dönmem gerektiğini, dönersem her şeyin yoluna gireceğini söyledi.`,
      ],
      relative: [
        (s) => `${s.kin.nom} beni ağlayarak aradı ve geri dönmem için yalvardı; bunu ona söyletmişlerdi.`,
      ],
    },
    communication_monitoring: {
      self: [
        (s) =>
          `${s.via} gönderdiğim mesajların okunduğunu fark ettim: ${s.who} sadece aileme yazdığım bir şeyi bana tekrarladı.`,
      ],
      relative: [(s) => `${s.kin.nom} bana artık aramamamı söyledi, çünkü her konuşma dinleniyormuş.`],
    },
    informant_recruitment: {
      self: [
        (s) =>
          `${s.who} ${s.via} buradaki topluluğumuzdaki diğer insanlar hakkında bilgi toplayıp kendisine göndermemi istedi.`,
        () =>
          'toplantılarımıza katılanlar hakkında bilgi verirsem ailemin iyi muamele göreceğini söylediler.',
      ],
    },
    inducement_offer: {
      self: [
        (s) =>
          `${s.who} ${s.via} iş birliği yapmayı kabul edersem ailemin yurt dışına çıkmasına izin vereceklerini söyledi.`,
        () => 'onlara yardım edersem bana para ve iş vereceklerine söz verdiler.',
      ],
    },
    pretext_contact: {
      self: [
        (s) =>
          `${s.who} ${s.via} benimle iletişime geçip almam gereken önemli bir belge olduğunu söyledi, sonra da doğum tarihimi sordu.`,
        () =>
          'bir kargo şirketi memleketten gelen bir paket için sürekli aradı, ama oradaki kimse bana bir şey göndermeye cesaret edemez.',
      ],
    },
    lure_to_diplomatic_mission: {
      self: [
        (s) => `${s.who} ${s.via} bana “evraklarımı halletmek” için bizzat konsolosluğa gelmemi söyledi.`,
      ],
    },
    document_denial: {
      self: [
        (s) =>
          `pasaportumu yenilemeye gittiğimde ${s.who} bana ancak geri dönersem yeni pasaport alabileceğimi söyledi.`,
      ],
    },
    surveillance: {
      self: [(s) => `toplantılarımızda ${s.who} bizi fotoğrafladı, sonra takip edildiğimi fark ettim.`],
    },
    public_intimidation: {
      self: [
        (s) =>
          `barışçıl bir gösteri sırasında ${s.who} bana bağırarak yalan yaydığımı ve cezalandırılmam gerektiğini söyledi.`,
      ],
    },
    death_threat: {
      self: [(s) => `${s.who} ${s.via} durmazsam beni öldüreceklerini söyledi.`],
    },
    retaliation_for_activism: {
      self: [
        (s) =>
          `bir gösteriye katıldıktan sonra ${s.who} ${s.via} faaliyetlerimin izlendiği konusunda beni uyardı.`,
      ],
      relative: [(s) => `kamuya açık bir konuşma yaptıktan birkaç gün sonra ${s.kin.nom} sorguya götürüldü.`],
    },
    smear_campaign: {
      self: [(s) => `${s.who} beni bölücü ve yalancı olarak gösteren bir makale yayımladı.`],
    },
    deportation: {
      self: [
        () => 'topluluğumuzdan bir arkadaşım Çin’e geri gönderildi ve sıranın bana gelmesinden korkuyorum.',
      ],
      relative: [(s) => `${s.via} ${s.kin.gen} yaşadığı ülke tarafından Çin’e geri gönderildiğini öğrendim.`],
    },
    deportation_threat: {
      self: [(s) => `${s.who} bana başvurumun reddedilebileceğini ve geri gönderilebileceğimi söyledi.`],
    },
  },
  anyIncident: [(s) => `${s.who} ${s.via} benimle iletişime geçti ve bu beni korkuttu.`],
  inYear: (year, sentence) => `${year} yılında ${sentence}`,
  capitalise: (sentence) => sentence.charAt(0).toLocaleUpperCase('tr') + sentence.slice(1),
  openers: [
    'Birkaç yıl önce memleketimden ayrıldım.',
    'Aileme olanları anlatmak istiyorum.',
    'Bunları yazmak benim için çok zor.',
    'Okumak için geldiğimden beri burada yaşıyorum.',
  ],
  noIncident: ['bana doğrudan bir şey olmadı, ama memleketteki ailem için her gün endişeleniyorum.'],
  impacts: {
    fear: 'sürekli korku içinde yaşıyorum.',
    self_censorship: 'artık arkadaşlarıma bile memleket hakkında hiçbir şey söylemiyorum.',
    mistrust_in_community: 'kendi topluluğumuzda kime güvenebileceğimi bilmiyorum.',
    depression: 'bazı günler yataktan kalkamıyorum.',
    relocation: 'kendimi güvende hissetmediğim için başka bir şehre taşındım.',
    stopped_using_app: "telefonumdan WeChat'i sildim.",
    sought_police_protection: 'buradaki polisten koruma istedim.',
    lost_contact: 'uzun zamandır memleketten hiçbir haber alamıyorum.',
  },
  relativeStatus: {
    detained: (k) => `bildiğim kadarıyla ${k.nom} hâlâ tutuluyor.`,
    disappeared: (k) => `${k.gen} nerede olduğunu kimse bana söyleyemiyor.`,
    imprisoned: (k) => `${k.gen} uzun yıllar hapis cezasına çarptırıldığını duydum.`,
    released: (k) => `${k.nom} serbest bırakıldı, ama benimle rahatça konuşamıyor.`,
    in_contact: (k) => `${k.nom} ile hâlâ ara sıra konuşuyorum, ama sadece havadan sudan.`,
    deceased: (k) => `${k.nom} vefat etti ve cenazesine gidemedim.`,
    unknown: (k) => `${k.gen} ne durumda olduğunu bilmiyorum.`,
  },
  mentions: {
    phone: (value) => `beni arayan numara ${value} idi.`,
    whatsapp: (value) => `WhatsApp numarası ${value} idi.`,
    wechat: (value) => `WeChat hesabı ${value} idi.`,
    email: (value) => `e-postalar ${value} adresinden geldi.`,
  },
  closers: [
    'insanlar neler olduğunu bilsin diye anlatıyorum.',
    'lütfen beni tanıtabilecek hiçbir şey yayımlamayın.',
  ],
}
