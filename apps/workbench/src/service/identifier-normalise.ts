import { inputError, type CountryCode, type IdentifierKind } from '@amanat/domain'
import { parsePhoneNumberFromString, type CountryCode as PhoneRegion } from 'libphonenumber-js/max'

/**
 * The canonical form of an identifier, used to link incidents across testimonies: the same phone
 * number written `0532 123 45 67` in Istanbul and `+90 532 1234567` elsewhere is one perpetrator's
 * line. Phones (and WhatsApp, which is a phone number) go to E.164 with libphonenumber-js's full
 * metadata; a number without a country prefix is read in `region` (the country where the incident
 * was received, which is where the respondent saw it written). Handles and names are compared
 * case- and spacing-insensitively.
 *
 * @throws AmanatError input `identifier.bad_phone` for a phone that is not a valid number (the
 *   message does not repeat it); `identifier.bad_email` for an e-mail address that is not one.
 */
export function normaliseIdentifier(
  kind: IdentifierKind,
  value: string,
  region: CountryCode | null,
): string | null {
  switch (kind) {
    case 'phone':
    case 'whatsapp': {
      const phone = parsePhoneNumberFromString(
        value,
        region === null ? undefined : { defaultCountry: region as PhoneRegion },
      )
      if (phone?.isValid() !== true) {
        throw inputError(
          'identifier.bad_phone',
          region === null
            ? 'That is not a valid phone number; write it with its country prefix (+90…).'
            : `That is not a valid phone number in ${region}; write it with its country prefix (+90…) if it is from elsewhere.`,
        )
      }
      return phone.number
    }
    case 'email': {
      const email = value.trim().toLowerCase()
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email))
        throw inputError('identifier.bad_email', 'That is not an e-mail address.')
      return email
    }
    case 'wechat':
    case 'social_media_account':
      return value.trim().replace(/^@/, '').toLowerCase()
    case 'office':
    case 'officer_name':
    case 'other':
      return value.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase()
  }
}
