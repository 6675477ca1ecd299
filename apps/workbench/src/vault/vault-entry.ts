import { z } from 'zod'

const Text = (max: number) => z.string().trim().min(1).max(max)

/** How a respondent can be reached. */
export const CONTACT_KINDS = ['phone', 'email', 'wechat', 'whatsapp', 'telegram', 'signal', 'other'] as const
/** Documents whose numbers identify a respondent. */
export const DOCUMENT_KINDS = ['passport', 'national_id', 'residence_permit', 'asylum_case', 'other'] as const

/**
 * A respondent's vault entry: the structured details that identify them (DESIGN.md, "Vault"),
 * which coding never needs. Free text stays in the workspace; only these fields live in the vault.
 */
export const VaultEntry = z
  .object({
    /** Real name and any other names they are known by. */
    names: z.array(Text(200)).max(20),
    contacts: z
      .array(
        z
          .object({
            kind: z.enum(CONTACT_KINDS),
            value: Text(300),
          })
          .strict(),
      )
      .max(20),
    address: Text(1000).nullable(),
    documents: z
      .array(
        z
          .object({
            kind: z.enum(DOCUMENT_KINDS),
            number: Text(100),
          })
          .strict(),
      )
      .max(20),
    /** Names of relatives as the respondent gave them (the coded relatives carry only relation and status). */
    relativeNames: z.array(Text(200)).max(50),
    /** The invite this person was sent, as its token hash: the link between an invite and a person. */
    inviteTokenHash: z
      .string()
      .regex(/^[0-9a-f]{64}$/)
      .nullable(),
  })
  .strict()
export type VaultEntry = z.infer<typeof VaultEntry>

/**
 * The strings a publication about this respondent must not contain (the story check, DESIGN.md
 * "Stories"): every name, contact value, address line and document number, without duplicates.
 * Phone numbers also come as bare digits, since text often writes them with other separators.
 */
export function vaultTermsFor(entry: VaultEntry): string[] {
  const terms = [
    ...entry.names,
    ...entry.relativeNames,
    ...entry.contacts.map((c) => c.value),
    ...entry.contacts.filter((c) => c.kind === 'phone').map((c) => c.value.replace(/\D/g, '')),
    ...(entry.address === null ? [] : entry.address.split(/[\n,]/).map((line) => line.trim())),
    ...entry.documents.map((d) => d.number),
  ]
  return [...new Set(terms.filter((term) => term.length >= 3))]
}
