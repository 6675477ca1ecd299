import { inflateSync } from 'node:zlib'
import * as vectors from 'cctv-age'

/**
 * The community age test vectors (C2SP CCTV, npm `cctv-age`), parsed once: each file is a header
 * of `key: value` lines, a blank line, then the age file (zlib-compressed when it says so). Shared
 * by @amanat/crypto's vector test and the workbench's import-path test (T12).
 */
export interface CctvVector {
  readonly name: string
  readonly expect: string
  readonly payload: string | undefined
  readonly identities: string[]
  readonly passphrases: number
  readonly armored: boolean
  readonly file: Uint8Array
}

function parse(name: string, bytes: Uint8Array): CctvVector {
  const split = bytes.findIndex((byte, i) => byte === 0x0a && bytes[i + 1] === 0x0a)
  const fields = new TextDecoder()
    .decode(bytes.subarray(0, split))
    .split('\n')
    .map((line) => {
      const at = line.indexOf(': ')
      return [line.slice(0, at), line.slice(at + 2)] as const
    })
  const all = (key: string) => fields.filter(([k]) => k === key).map(([, v]) => v)
  const body = bytes.subarray(split + 2)
  return {
    name,
    expect: all('expect')[0] ?? '',
    payload: all('payload')[0],
    identities: all('identity'),
    passphrases: all('passphrase').length,
    armored: all('armored')[0] === 'yes',
    file: all('compressed')[0] === 'zlib' ? new Uint8Array(inflateSync(body)) : body,
  }
}

/** Every vector in the package, parsed. */
export const CCTV_VECTORS: readonly CctvVector[] = Object.entries(vectors as Record<string, Uint8Array>).map(
  ([name, bytes]) => parse(name, bytes),
)
