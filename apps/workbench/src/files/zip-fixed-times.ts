/**
 * Makes a ZIP archive's bytes independent of when it was written: sets the modification time and
 * date of every entry, in its local header and in the central directory, to 1980-01-01 00:00 (the
 * first instant a DOS date can hold). exceljs stamps every part of an XLSX with the current time
 * and has no option against it; these fields are outside the CRC, so the archive stays valid.
 * Layout: PKWARE APPNOTE.TXT §4.3.7 (local header), §4.3.12 (central directory), §4.3.16 (end).
 *
 * Throws when the bytes are not a single-disk ZIP without ZIP64 (exceljs writes no other kind).
 */
const END_OF_CENTRAL_DIRECTORY = 0x06054b50
const CENTRAL_HEADER = 0x02014b50
const LOCAL_HEADER = 0x04034b50
const DOS_TIME = 0
const DOS_DATE = (0 << 9) | (1 << 5) | 1

export function zipWithFixedTimes(archive: Uint8Array): Uint8Array {
  const bytes = new Uint8Array(archive)
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let end = bytes.length - 22
  while (end >= 0 && view.getUint32(end, true) !== END_OF_CENTRAL_DIRECTORY) end--
  if (end < 0) throw new Error('not a ZIP archive: no end of central directory')
  const entries = view.getUint16(end + 10, true)
  let at = view.getUint32(end + 16, true)
  for (let i = 0; i < entries; i++) {
    if (view.getUint32(at, true) !== CENTRAL_HEADER)
      throw new Error('not a ZIP archive: bad central directory')
    view.setUint16(at + 12, DOS_TIME, true)
    view.setUint16(at + 14, DOS_DATE, true)
    const local = view.getUint32(at + 42, true)
    if (view.getUint32(local, true) !== LOCAL_HEADER) throw new Error('not a ZIP archive: bad local header')
    view.setUint16(local + 10, DOS_TIME, true)
    view.setUint16(local + 12, DOS_DATE, true)
    at += 46 + view.getUint16(at + 28, true) + view.getUint16(at + 30, true) + view.getUint16(at + 32, true)
  }
  return bytes
}
