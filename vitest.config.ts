import { defineConfig } from 'vitest/config'

/**
 * One Vitest run covers every package. Tests that need PostgreSQL or Chromium find them through
 * tools/test-support/services.ts, which skips them with a one-line reason on a machine without
 * them, except under CI=true where they are required.
 */
export default defineConfig({
  test: {
    include: ['packages/*/test/**/*.test.ts', 'apps/*/test/**/*.test.ts', 'tools/**/*.test.ts'],
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 60_000,
    hookTimeout: 120_000,
    reporters: ['default', './tools/test-support/summary-reporter.ts'],
  },
})
