import { z } from 'zod'
import { AmanatError } from '../errors.ts'

/** A codebook code: lowercase snake_case (`threat_to_relatives`). Checked against a codebook separately. */
export const Code = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,62}$/, { error: 'expected a code in lowercase snake_case' })
  .brand<'Code'>()
export type Code = z.infer<typeof Code>

/** A BCP 47 language tag in its common short form (`ug`, `zh-Hans`, `en`). */
export const LanguageTag = z
  .string()
  .regex(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { error: 'expected a language tag such as ug, zh or en' })
export type LanguageTag = z.infer<typeof LanguageTag>

/** A calendar day, `YYYY-MM-DD`. Times finer than a day are never part of the model. */
export const IsoDay = z.iso.date({ error: 'expected a day as YYYY-MM-DD' })
export type IsoDay = z.infer<typeof IsoDay>

/** Hex-encoded SHA-256. */
export const Sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, { error: 'expected a SHA-256 in hex' })

/** Turns zod issues into one plain sentence per issue: `residenceCountry: expected …`. */
export function describeIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => {
    const path = issue.path.length === 0 ? '(root)' : formatPath(issue.path)
    return `${path}: ${issue.message}`
  })
}

export function formatPath(path: readonly PropertyKey[]): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${String(part)}]`
    else out += out === '' ? String(part) : `.${String(part)}`
  }
  return out
}

/**
 * Parses `input` with `schema` or throws an `input.invalid` {@link AmanatError} whose message
 * names every wrong field. `what` names the thing for the message ("respondent", "incident").
 */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(input)
  if (result.success) return result.data
  const problems = describeIssues(result.error)
  throw new AmanatError('input', 'input.invalid', `The ${what} is not valid: ${problems.join('; ')}.`, {
    what,
    problems,
  })
}
