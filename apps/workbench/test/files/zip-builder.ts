import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib'
import { zipEntries } from '../../src/files/xlsx-read.ts'

/** ZIP archives built part by part for the tests of reading workbooks from outside, lies included. */

export interface Part {
  readonly name: string
  readonly data: Uint8Array
  /** Stored instead of deflated. */
  readonly stored?: boolean
  /** The unpacked size the archive declares, when it lies. */
  readonly declared?: number
  /** Bytes already deflated (for a bomb too large to deflate here). */
  readonly deflated?: Uint8Array
  /** The CRC-32 the archive declares, when it lies. */
  readonly crc?: number
}

/** A ZIP archive of `parts`, in that order (PKWARE APPNOTE.TXT §4.3). */
export function zipOf(parts: readonly Part[]): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const part of parts) {
    const name = Buffer.from(part.name, 'utf8')
    const body = part.deflated ?? (part.stored === true ? part.data : deflateRawSync(part.data))
    const method = part.stored === true ? 0 : 8
    const size = part.declared ?? part.data.length
    const crc = part.crc ?? crc32(part.data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x800, 6)
    local.writeUInt16LE(method, 8)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(body.length, 18)
    local.writeUInt32LE(size, 22)
    local.writeUInt16LE(name.length, 26)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x800, 8)
    central.writeUInt16LE(method, 10)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(body.length, 20)
    central.writeUInt32LE(size, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, Buffer.from(body))
    centrals.push(central, name)
    offset += local.length + name.length + body.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(parts.length, 8)
  end.writeUInt16LE(parts.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}

/** The parts of an archive, unpacked. */
export function partsOf(archive: Uint8Array): Part[] {
  return zipEntries(archive, 1000).map((entry) => {
    const bytes = archive.subarray(entry.start, entry.end)
    return { name: entry.name, data: entry.method === 0 || entry.size === 0 ? bytes : inflateRawSync(bytes) }
  })
}
