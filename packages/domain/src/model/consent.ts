import { z } from 'zod'
import { IsoDay } from './schema-helpers.ts'
import { CONSENT_FORMS, CONSENT_USES, type ConsentUse } from './vocabulary.ts'

/**
 * Consent is per use and enforced at export (DESIGN.md). A respondent who agreed to "aggregate
 * only" has `uses: ['aggregate']`. `withdrawn` overrides every use: a withdrawn respondent is
 * removed from every future output, whatever `uses` says.
 */
export const Consent = z
  .object({
    uses: z
      .array(z.enum(CONSENT_USES))
      .max(CONSENT_USES.length)
      .refine((uses) => new Set(uses).size === uses.length, { error: 'a use is listed twice' }),
    withdrawn: z.boolean(),
    form: z.enum(CONSENT_FORMS),
    recordedOn: IsoDay,
  })
  .strict()
export type Consent = z.infer<typeof Consent>

/** Whether `consent` allows `use` now. Withdrawal always wins. */
export function mayUse(consent: Consent, use: ConsentUse): boolean {
  return !consent.withdrawn && consent.uses.includes(use)
}
