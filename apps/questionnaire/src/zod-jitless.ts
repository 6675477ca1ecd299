/**
 * Must be the page's first import. zod 4 compiles object parsers with `new Function` unless told
 * not to, and the page's CSP forbids eval: the attempt would be blocked and reported as a CSP
 * violation (SECURITY-TESTS.md T14 counts those). zod reads its settings from this global, shared
 * by every copy of zod (`z.config({ jitless: true })` writes the same object; the page cannot
 * import zod itself, only @amanat/domain and @amanat/crypto).
 */
const holder = globalThis as { __zod_globalConfig?: { jitless?: boolean } }
holder.__zod_globalConfig = { ...holder.__zod_globalConfig, jitless: true }

export {}
