import sharp from 'sharp'
import { parse, View } from 'vega'
import { compile, type TopLevelSpec } from 'vega-lite'

/**
 * Rendering a Vega-Lite spec in Node, with no browser and no network: the spec compiles to Vega,
 * a headless View (`renderer: 'none'`) writes SVG whose text stays text (readers' own fonts, and
 * searchable, translatable labels), and sharp rasterises that SVG to PNG with the system's fonts
 * (Debian's Noto families cover Latin, Uyghur's Arabic script and Chinese). Same spec in, same
 * bytes out: nothing here reads a clock or a random source.
 */

/** Fonts named in every chart; the Arabic and CJK families carry Uyghur and Chinese labels. */
export const FONT_STACK = 'Noto Sans, Noto Sans Arabic, Noto Naskh Arabic, Noto Sans CJK SC, sans-serif'

/**
 * The fill a spec gives a mark that stands for a suppressed cell. It is replaced in the SVG by a
 * hatch pattern, so a suppressed cell can never be read as a bar or shade of some value.
 */
export const SUPPRESSED_FILL = '#fe01fe'
export const SUPPRESSED_PATTERN_ID = 'amanat-suppressed'

const HATCH_DEFS =
  `<defs><pattern id="${SUPPRESSED_PATTERN_ID}" patternUnits="userSpaceOnUse" width="6" height="6" patternTransform="rotate(45)">` +
  '<rect width="6" height="6" fill="#f2f2f2"/><line x1="0" y1="0" x2="0" y2="6" stroke="#8a8a8a" stroke-width="2"/></pattern></defs>'

/** Renders `spec` to an SVG document, with suppressed marks hatched. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new View(parse(compile(spec).spec), { renderer: 'none' })
  try {
    return hatchSuppressed(renumberIds(await view.toSVG()))
  } finally {
    view.finalize()
  }
}

/**
 * vega numbers gradients and clip paths from a process-wide counter, so the second chart drawn in
 * a process would differ from the first. Ids are renumbered per document, in order of appearance.
 */
function renumberIds(svg: string): string {
  const ids = new Map<string, string>()
  return svg.replace(/\b(gradient_|clip)(\d+)\b/g, (id: string, prefix: string) => {
    let renamed = ids.get(id)
    if (renamed === undefined) {
      renamed = `${prefix}${String(ids.size + 1)}`
      ids.set(id, renamed)
    }
    return renamed
  })
}

function hatchSuppressed(svg: string): string {
  const open = svg.indexOf('>') + 1
  const fill = new RegExp(`fill="${SUPPRESSED_FILL}"`, 'gi')
  return `${svg.slice(0, open)}${HATCH_DEFS}${svg.slice(open).replace(fill, `fill="url(#${SUPPRESSED_PATTERN_ID})"`)}`
}

/**
 * Rasterises an SVG to PNG at `scale` × its size (2 for print). The encoder settings are fixed,
 * so the same SVG gives the same bytes on the same libvips.
 */
export async function renderPng(svg: string, scale = 2): Promise<Uint8Array> {
  const png = await sharp(new TextEncoder().encode(svg), { density: 72 * scale })
    .flatten({ background: '#ffffff' })
    .png({ compressionLevel: 9, adaptiveFiltering: false, palette: false })
    .toBuffer()
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength)
}
