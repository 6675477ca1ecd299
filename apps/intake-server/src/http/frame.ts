import { FRAME_HEADER_BYTES } from '../limits.ts'

/**
 * The body of every sealed POST: one line of JSON (the header), a line feed, then opaque bytes
 * (docs/intake-protocol.md §3). The header line is at most {@link FRAME_HEADER_BYTES} long, so a
 * deeply nested or huge JSON value is refused before it is parsed.
 */
export interface Frame {
  /** The parsed JSON of the header line, not yet checked against a schema. */
  readonly header: unknown
  readonly payload: Buffer
}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/** Splits a framed body; null, never throws, when there is no short header line of valid UTF-8 JSON. */
export function splitFrame(body: Buffer): Frame | null {
  const newline = body.subarray(0, FRAME_HEADER_BYTES).indexOf(0x0a)
  if (newline < 1) return null
  try {
    const header = JSON.parse(utf8.decode(body.subarray(0, newline))) as unknown
    return { header, payload: body.subarray(newline + 1) }
  } catch {
    return null
  }
}
