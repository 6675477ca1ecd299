import { base32, type IdentifierKind } from '@amanat/domain'
import type { Prng } from './prng.ts'

/** An identifier's value as a respondent would give it, and its canonical form. */
export interface ContactValue {
  readonly kind: IdentifierKind
  readonly value: string
  readonly normalised: string | null
}

/**
 * Area codes for North American numbers. Whatever the area code, the exchange 555 with lines
 * 0100–0199 is set aside by the North American Numbering Plan for fiction, so these numbers
 * reach nobody.
 */
const NANP_AREA_CODES = ['202', '206', '212', '303', '312', '404', '415', '503', '617', '702', '713', '818']

/**
 * A telephone number that cannot belong to anyone: +1 AAA 555 01xx (NANP fiction range) or
 * +44 7700 900xxx (Ofcom's range for drama).
 */
export function fictionalPhone(prng: Prng, kind: 'phone' | 'whatsapp'): ContactValue {
  if (prng.chance(0.7)) {
    const area = prng.pick(NANP_AREA_CODES)
    const line = String(prng.int(0, 99)).padStart(2, '0')
    return { kind, value: `+1 ${area} 555 01${line}`, normalised: `+1${area}55501${line}` }
  }
  const line = String(prng.int(0, 999)).padStart(3, '0')
  return { kind, value: `+44 7700 900${line}`, normalised: `+447700900${line}` }
}

/** A WeChat id marked synthetic: `wxid_syn_` and ten base32 characters. */
export function fictionalWechatId(prng: Prng): ContactValue {
  const value = `wxid_syn_${base32(prng.bytes(7)).slice(0, 10)}`
  return { kind: 'wechat', value, normalised: value }
}

const MAILBOXES = ['consular', 'service', 'notice', 'desk', 'info', 'documents']

/** An e-mail address at example.org (RFC 2606: reserved for documentation). */
export function fictionalEmail(prng: Prng): ContactValue {
  const value = `${prng.pick(MAILBOXES)}.${base32(prng.bytes(3)).slice(0, 4)}@example.org`
  return { kind: 'email', value, normalised: value }
}

const DIPLOMATIC_OFFICES = [
  'Consulate (synthetic)',
  'Embassy (synthetic)',
  'Consular section, passport desk (synthetic)',
  'Embassy, education office (synthetic)',
]
const HOST_OFFICES = ['Immigration office (synthetic)', 'Foreigners registration office (synthetic)']
const COURIERS = ['Courier company (synthetic)', 'Parcel delivery service (synthetic)']

/** The name of an office, plainly labelled synthetic. */
export function fictionalOffice(prng: Prng, kind: 'diplomatic' | 'host' | 'courier'): ContactValue {
  const names = kind === 'diplomatic' ? DIPLOMATIC_OFFICES : kind === 'host' ? HOST_OFFICES : COURIERS
  return { kind: kind === 'courier' ? 'other' : 'office', value: prng.pick(names), normalised: null }
}

/**
 * A fixed pool of contacts for one study, drawn from its seed: the same consulate number or
 * WeChat account turns up in several testimonies, as in real studies, so cross-testimony
 * linking has something to find.
 */
export class SharedContacts {
  private readonly phones: ContactValue[] = []
  private readonly whatsapps: ContactValue[] = []
  private readonly wechats: ContactValue[] = []
  private readonly emails: ContactValue[] = []

  constructor(prng: Prng) {
    for (let i = 0; i < 16; i++) this.phones.push(fictionalPhone(prng, 'phone'))
    for (let i = 0; i < 8; i++) this.whatsapps.push(fictionalPhone(prng, 'whatsapp'))
    for (let i = 0; i < 16; i++) this.wechats.push(fictionalWechatId(prng))
    for (let i = 0; i < 6; i++) this.emails.push(fictionalEmail(prng))
  }

  /** One shared contact of `kind`, or null for kinds the pool does not hold. */
  pick(prng: Prng, kind: IdentifierKind): ContactValue | null {
    switch (kind) {
      case 'phone':
        return prng.pick(this.phones)
      case 'whatsapp':
        return prng.pick(this.whatsapps)
      case 'wechat':
        return prng.pick(this.wechats)
      case 'email':
        return prng.pick(this.emails)
      case 'office':
      case 'officer_name':
      case 'social_media_account':
      case 'other':
        return null
    }
  }
}
