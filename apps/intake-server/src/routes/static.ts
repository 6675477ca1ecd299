import type { Hono } from 'hono'
import type { StaticFiles } from '../http/static-files.ts'
import { problems } from '../problems.ts'

/** Serves the questionnaire page's files (GET and HEAD); anything else is a 404. */
export function staticRoutes(app: Hono, files: StaticFiles | null): void {
  app.on(['GET', 'HEAD'], '*', (c) => {
    const file = files?.get(c.req.path)
    if (file === undefined) throw problems.notFound()
    c.header('Content-Type', file.type)
    // The header is read to choose an encoding and never kept (T08).
    const gzip = file.gzip !== null && /\bgzip\b/.test(c.req.header('Accept-Encoding') ?? '') ? file.gzip : null
    if (file.gzip !== null) c.header('Vary', 'Accept-Encoding')
    if (gzip !== null) c.header('Content-Encoding', 'gzip')
    if (c.req.method === 'HEAD') return c.body(null, 200)
    return c.body((gzip ?? file.body) as Uint8Array<ArrayBuffer>, 200)
  })
}
