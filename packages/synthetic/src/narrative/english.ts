import { plainKin, type Phrasebook } from './phrasebook.ts'

/** Synthetic testimony sentences in English. Sentences start in lower case; `capitalise` fixes that. */
export const ENGLISH: Phrasebook = {
  language: 'en',
  sentenceGap: ' ',
  kin: {
    older_brother: plainKin('my older brother'),
    younger_brother: plainKin('my younger brother'),
    older_sister: plainKin('my older sister'),
    younger_sister: plainKin('my younger sister'),
    mother: plainKin('my mother'),
    father: plainKin('my father'),
    son: plainKin('my son'),
    daughter: plainKin('my daughter'),
    wife: plainKin('my wife'),
    husband: plainKin('my husband'),
    grandmother: plainKin('my grandmother'),
    grandfather: plainKin('my grandfather'),
    uncle: plainKin('my uncle'),
    aunt: plainKin('my aunt'),
    cousin: plainKin('my cousin'),
    relative: plainKin('a relative of mine'),
  },
  perpetrators: {
    home_police: 'a man who said he was from the police at home',
    state_security: 'an officer who said he worked for state security',
    embassy_consulate: 'someone from the consulate',
    state_media: 'a state newspaper',
    intermediary: 'a former classmate',
    unidentified_believed_state_linked: 'people I did not know',
    host_state_authority: 'the immigration office here',
  },
  someone: 'someone',
  channels: {
    wechat: 'on WeChat',
    whatsapp: 'on WhatsApp',
    other_messaging_app: 'through another messaging app',
    phone_call: 'by phone',
    recorded_phone_message: 'with a recorded phone message',
    in_person: 'in person',
    via_relative: 'through my family',
    state_media: 'through state media',
    social_media: 'on social media',
    email: 'by e-mail',
    post_or_courier: 'through a courier company',
  },
  incidents: {
    threat_to_relatives: {
      self: [
        (s) =>
          `${s.who} contacted me ${s.via} and said that my family would pay if I did not do what they asked.`,
      ],
      relative: [
        (s) =>
          `${s.who} contacted me ${s.via} and said that ${s.kin.nom} would be taken away if I did not do what they asked.`,
        (s) => `${s.who} told me ${s.via} that ${s.kin.nom} would be in trouble if I kept speaking out.`,
      ],
    },
    relative_detained: {
      self: [(s) => `I learned ${s.via} that a relative of mine had been sent to a camp.`],
      relative: [
        (s) => `${s.kin.nom} was taken away by the police, and I have heard nothing since.`,
        (s) => `I learned ${s.via} that ${s.kin.nom} had been sent to a camp.`,
      ],
    },
    lost_contact_with_family: {
      self: [() => 'my whole family deleted me from their contacts, one after another.'],
      relative: [
        (s) => `${s.kin.nom} stopped answering my messages, and I do not know where they are now.`,
        () => 'my whole family deleted me from their contacts, one after another.',
      ],
    },
    personal_data_request: {
      self: [
        (s) =>
          `${s.who} contacted me ${s.via} and asked for my passport number, my address and photos of my documents.`,
        (s) => `${s.who} asked me ${s.via} where I live, where I work and who my friends are.`,
      ],
    },
    pressure_to_return: {
      self: [
        (s) =>
          `${s.who} told me ${s.via} that I must come back home, and that everything would be fine if I did.`,
      ],
      relative: [
        (s) => `${s.kin.nom} called me, crying, and begged me to come back, because they had been told to.`,
      ],
    },
    communication_monitoring: {
      self: [
        (s) =>
          `I realised that my messages ${s.via} were being read: ${s.who} repeated to me something I had written only to my family.`,
      ],
      relative: [
        (s) => `${s.kin.nom} told me not to call any more, because every conversation was being listened to.`,
      ],
    },
    informant_recruitment: {
      self: [
        (s) =>
          `${s.who} asked me ${s.via} to gather information about other people in our community here and send it to him.`,
        () =>
          'they said that if I reported on the people who come to our gatherings, my family would be treated well.',
      ],
    },
    inducement_offer: {
      self: [
        (s) => `${s.who} offered ${s.via} to let my parents travel abroad if I agreed to cooperate.`,
        () => 'they promised me money and a job if I would help them.',
      ],
    },
    pretext_contact: {
      self: [
        (s) =>
          `${s.who} contacted me ${s.via} about an important document I had to collect, and then asked for my date of birth.`,
        () =>
          'a courier company kept calling about a parcel from home, but nobody at home would dare to send me anything.',
      ],
    },
    lure_to_diplomatic_mission: {
      self: [(s) => `${s.who} told me ${s.via} to come to the consulate in person to "sort out my papers".`],
    },
    document_denial: {
      self: [
        (s) => `when I went to renew my passport, ${s.who} told me I could only get a new one by going back.`,
      ],
    },
    surveillance: {
      self: [
        (s) => `at our gatherings ${s.who} photographed us, and later I noticed that I was being followed.`,
      ],
    },
    public_intimidation: {
      self: [
        (s) =>
          `during a peaceful protest, ${s.who} shouted at me that I was spreading lies and should be punished.`,
      ],
    },
    death_threat: {
      self: [(s) => `${s.who} told me ${s.via} that I would be killed if I did not stop.`],
    },
    retaliation_for_activism: {
      self: [
        (s) =>
          `after I joined a demonstration, ${s.who} warned me ${s.via} that my activities were being watched.`,
      ],
      relative: [(s) => `a few days after I spoke in public, ${s.kin.nom} was taken in for questioning.`],
    },
    smear_campaign: {
      self: [(s) => `${s.who} published an article calling me a separatist and a liar.`],
    },
    deportation: {
      self: [() => 'a friend from our community was sent back to China, and I am afraid I will be next.'],
      relative: [
        (s) =>
          `I learned ${s.via} that ${s.kin.nom} had been sent back to China by the country they lived in.`,
      ],
    },
    deportation_threat: {
      self: [(s) => `${s.who} told me that my application might be refused and that I could be sent back.`],
    },
  },
  anyIncident: [(s) => `${s.who} contacted me ${s.via}, and it frightened me.`],
  inYear: (year, sentence) => `In ${year}, ${sentence}`,
  capitalise: (sentence) => sentence.charAt(0).toUpperCase() + sentence.slice(1),
  openers: [
    'I left home several years ago.',
    'I want to tell what has happened to my family.',
    'It is hard for me to write about this.',
    'I have lived here since I left to study.',
  ],
  noIncident: ['nothing has happened to me directly, but I worry every day about my family at home.'],
  impacts: {
    fear: 'I live in constant fear.',
    self_censorship: 'I no longer say anything about home, even to friends.',
    mistrust_in_community: 'I do not know whom I can trust in our own community.',
    depression: 'some days I cannot get out of bed.',
    relocation: 'I moved to another city because I did not feel safe.',
    stopped_using_app: 'I deleted WeChat from my phone.',
    sought_police_protection: 'I asked the police here for protection.',
    lost_contact: 'I have had no news from home for a long time.',
  },
  relativeStatus: {
    detained: (k) => `as far as I know, ${k.nom} is still held.`,
    disappeared: (k) => `nobody can tell me where ${k.nom} is.`,
    imprisoned: (k) => `I heard that ${k.nom} was sentenced to many years in prison.`,
    released: (k) => `${k.nom} was released, but cannot speak freely to me.`,
    in_contact: (k) => `I still speak to ${k.nom} sometimes, but only about the weather.`,
    deceased: (k) => `${k.nom} died, and I could not go to the funeral.`,
    unknown: (k) => `I do not know what has become of ${k.nom}.`,
  },
  mentions: {
    phone: (value) => `the number that called me was ${value}.`,
    whatsapp: (value) => `the WhatsApp number was ${value}.`,
    wechat: (value) => `the WeChat account was ${value}.`,
    email: (value) => `the e-mails came from ${value}.`,
  },
  closers: [
    'I am telling this so that people know what is happening.',
    'please do not publish anything that could identify me.',
  ],
}
