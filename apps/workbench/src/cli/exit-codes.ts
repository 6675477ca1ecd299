import type { ErrorKind } from '@amanat/domain'

/**
 * The CLI's exit codes, the same for every command (issue #2): 0 success, 1 refused input (a bad
 * file, a wrong passphrase), 2 wrong usage, 3 an integrity failure (a broken chain, a corrupt
 * page), 70 an internal error (a bug: please report it).
 */
export const EXIT = { ok: 0, input: 1, usage: 2, integrity: 3, internal: 70 } as const

export function exitCodeFor(kind: ErrorKind): number {
  return EXIT[kind]
}
