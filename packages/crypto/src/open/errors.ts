import { AmanatError } from '@amanat/domain'

/** The refusal for a file that cannot be opened, whatever the reason (one message, no oracle). */
export function undecryptable(cause?: unknown): AmanatError {
  return new AmanatError(
    'integrity',
    'crypto.undecryptable',
    'The file could not be decrypted: it is damaged, truncated, or not sealed to these keys.',
    {},
    { cause },
  )
}

/** The refusal for an identity that is not a plain X25519 age identity. */
export function badIdentity(index: number): AmanatError {
  return new AmanatError(
    'input',
    'crypto.bad_identity',
    'An identity is not a plain X25519 age identity (AGE-SECRET-KEY-1…).',
    { index },
  )
}

/** The refusal for a damaged key file. */
export function corruptKeyFile(what: string, cause?: unknown): AmanatError {
  return new AmanatError(
    'integrity',
    'keys.corrupt',
    `The ${what} is damaged or is not an Amanat key file.`,
    {},
    { cause },
  )
}
