import type { Hono } from 'hono'
import type { StaticFiles } from '../http/static-files.ts'
import { problems } from '../problems.ts'

/** Serves the questionnaire page's files (GET and HEAD); anything else is a 404. */
export function staticRoutes(app: Hono, files: StaticFiles | null): void {
  app.on(['GET', 'HEAD'], '*', (c) => {
    const file = files?.get(c.req.path)
    if (file === undefined) throw problems.notFound()
    c.header('Content-Type', file.type)
    if (c.req.method === 'HEAD') return c.body(null, 200)
    return c.body(file.body as Uint8Array<ArrayBuffer>, 200)
  })
}
