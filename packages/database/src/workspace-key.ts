import { createHmac, hkdfSync, randomBytes, scrypt } from 'node:crypto'
import { inputError } from '@amanat/domain'

/**
 * How a workspace's keys are derived from its passphrase, stored in the workspace's config beside
 * `keyCheck`. scrypt (RFC 7914) with N = 2^17, r = 8, p = 1 by default: 128 MiB of memory and
 * about half a second per attempt here (0.44–0.67 s on the 2-core reference machine, Node 20),
 * the cost every passphrase guess must pay too. `testOnly` parameters are cheap enough for test
 * suites and say so in the config, so a workspace made with them can be refused or warned about.
 */
export interface KdfParams {
  readonly algorithm: 'scrypt'
  /** 16 random bytes, base64. */
  readonly salt: string
  readonly N: number
  readonly r: number
  readonly p: number
  readonly testOnly: boolean
}

/** The production work factor: 2^17, as OWASP's password storage guidance gives for scrypt. */
export const SCRYPT_N = 2 ** 17
const TEST_N = 2 ** 10

/** Fresh parameters with a new random salt; `testOnly` picks a tiny N for test suites. */
export function newKdfParams(options: { readonly testOnly: boolean }): KdfParams {
  return {
    algorithm: 'scrypt',
    salt: randomBytes(16).toString('base64'),
    N: options.testOnly ? TEST_N : SCRYPT_N,
    r: 8,
    p: 1,
    testOnly: options.testOnly,
  }
}

/** The keys a passphrase unlocks. Each is independent of the others (HKDF subkeys). */
export interface WorkspaceKeys {
  /** 32 bytes: the SQLite page cipher key. */
  readonly storeKey: Uint8Array
  /** 32 bytes: wraps each respondent's data key (crypto-shredding). */
  readonly subjectKek: Uint8Array
  /** 32 bytes: the key of the vault file (`vault.db`), kept apart from the store so a travel copy can leave it behind. */
  readonly vaultKey: Uint8Array
  /**
   * A verifier to keep in the workspace config (base64 HMAC-SHA-256 of a constant under its own
   * subkey): a passphrase whose keyCheck differs is wrong, so "wrong passphrase" is told apart
   * from "damaged store". It reveals nothing about the other keys.
   */
  readonly keyCheck: string
}

/**
 * Derives the workspace keys: scrypt(passphrase, salt) gives a 32-byte master secret, and HKDF-
 * SHA-256 expands it into one subkey per purpose (info strings below), so no key is used for two
 * things. Runs scrypt on libuv's thread pool (the event loop stays free).
 *
 * Throws input `workspace.kdf_invalid` when the parameters are out of range (a damaged or edited
 * config), before spending any time.
 */
export async function deriveWorkspaceKeys(passphrase: string, params: KdfParams): Promise<WorkspaceKeys> {
  const salt = checkParams(params)
  const master = await new Promise<Buffer>((resolve, reject) => {
    scrypt(
      passphrase.normalize('NFC'),
      salt,
      32,
      { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r + 16 * 1024 * 1024 },
      (error, key) => (error === null ? resolve(key) : reject(error)),
    )
  })
  try {
    const subkey = (info: string) => new Uint8Array(hkdfSync('sha256', master, salt, info, 32))
    const checkKey = subkey('amanat workspace key-check v1')
    const keyCheck = createHmac('sha256', checkKey).update('amanat workspace key-check v1').digest('base64')
    checkKey.fill(0)
    return {
      storeKey: subkey('amanat workspace store-key v1'),
      subjectKek: subkey('amanat workspace subject-kek v1'),
      vaultKey: subkey('amanat workspace vault-key v1'),
      keyCheck,
    }
  } finally {
    master.fill(0)
  }
}

function checkParams(params: KdfParams): Buffer {
  const salt = typeof params.salt === 'string' ? Buffer.from(params.salt, 'base64') : Buffer.alloc(0)
  const powerOfTwo = Number.isInteger(params.N) && params.N >= 2 && (params.N & (params.N - 1)) === 0
  const ok =
    params.algorithm === 'scrypt' &&
    salt.length >= 16 &&
    powerOfTwo &&
    params.N >= TEST_N &&
    params.N <= 2 ** 22 &&
    Number.isInteger(params.r) &&
    params.r >= 1 &&
    params.r <= 32 &&
    Number.isInteger(params.p) &&
    params.p >= 1 &&
    params.p <= 16 &&
    typeof params.testOnly === 'boolean' &&
    (params.testOnly || params.N >= SCRYPT_N)
  if (!ok)
    throw inputError(
      'workspace.kdf_invalid',
      'The workspace key derivation settings are damaged or too weak.',
    )
  return salt
}
