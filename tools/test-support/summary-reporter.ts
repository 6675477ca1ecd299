import { writeFileSync } from 'node:fs'
import type { Reporter, TestModule } from 'vitest/node'

/**
 * Prints one plain closing line, `tests: N passed, N failed, N skipped`, after Vitest's own
 * summary, so any CI log reader can tell how many tests ran without knowing Vitest's format.
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: readonly TestModule[]): void {
    let passed = 0
    let failed = 0
    let skipped = 0
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state
        if (state === 'passed') passed++
        else if (state === 'failed') failed++
        else skipped++
      }
      if (module.state() === 'failed' && [...module.children.allTests()].length === 0) failed++
    }
    const line = `tests: ${String(passed)} passed, ${String(failed)} failed, ${String(skipped)} skipped`
    process.stdout.write(`\n${line}\n`)
    // tools/run-tests.mjs repeats it as the very last line of `npm test`.
    const file = process.env.AMANAT_TEST_SUMMARY_FILE
    if (file !== undefined) writeFileSync(file, `${line}\n`)
  }
}
