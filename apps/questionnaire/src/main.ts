// The page's entry point. The first import switches zod to its eval-free mode before any schema
// is used (see zod-jitless.ts).
import './zod-jitless.ts'
import { App } from './app.ts'
import { parseLimits } from './limits.ts'
import { browserTransport } from './transport.ts'

/** Settings written into index.html at build time (build.mjs). */
function meta(name: string): string | null {
  return document.querySelector(`meta[name="${name}"]`)?.getAttribute('content') ?? null
}

/** Quick exit goes only to about:blank or an https:// page, whatever the meta tag says. */
function quickExitUrl(configured: string | null): string {
  return configured !== null && /^https:\/\/[^\s]+$/.test(configured) ? configured : 'about:blank'
}

const root = document.getElementById('app')
if (root !== null) {
  new App({
    root,
    transport: browserTransport(),
    limits: parseLimits(meta('amanat-limits')),
    quickExitUrl: quickExitUrl(meta('amanat-quick-exit')),
    preferredLanguages: navigator.languages,
  }).start()
}
