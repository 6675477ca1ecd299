import { createOpener, type Opener } from '@amanat/crypto/open'
import { armor } from 'age-encryption'
import { openAgeNatively, prepareX25519Keys, undecryptable } from './native-age.ts'

/**
 * The import path's age opener: the native X25519 path for the files intake produces, and
 * age-encryption (through `@amanat/crypto/open`) for anything the native path leaves alone, so
 * every valid age file for these identities opens, whichever path it takes.
 *
 * Returns an {@link Opener}: all of the plaintext, or a rejection with integrity
 * `crypto.undecryptable` (never partial plaintext).
 *
 * @throws AmanatError input `crypto.bad_identity` when `identities` is empty or holds anything but
 *   plain X25519 identities.
 */
export function createNativeOpener(identities: readonly string[]): Opener {
  const keys = prepareX25519Keys(identities)
  const fallback = createOpener(identities)
  return async (file) => {
    const result = openAgeNatively(file, keys)
    if (result.kind === 'opened') return result.plaintext
    const binary = dearmor(file)
    if (binary === null) throw undecryptable()
    // A dearmored file may still be for the native path; openBytes judges it either way.
    return fallback(binary)
  }
}

/** The binary age file inside ASCII armor, `file` itself when it is not armored, null for broken armor. */
function dearmor(file: Uint8Array): Uint8Array | null {
  const start = new TextDecoder('latin1').decode(file.subarray(0, 64)).trimStart()
  if (!start.startsWith(ARMOR_BEGIN)) return file
  try {
    return armor.decode(new TextDecoder('utf-8', { fatal: true }).decode(file))
  } catch {
    return null
  }
}

const ARMOR_BEGIN = '-----BEGIN AGE ENCRYPTED FILE-----'
