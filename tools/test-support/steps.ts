import { afterEach, beforeEach } from 'vitest'

/**
 * For a `describe` whose tests are one scenario in steps, each building on the state the last
 * left (the workbench in Chromium: unlock, pull, code, consent…): once a step fails, the later
 * steps are skipped rather than run on a broken state, where each would wait out its own timeout
 * (a failed step can also outlast the idle lock) and bury the first failure under the others.
 * The run still fails; a run where every step passes skips nothing.
 */
export function stepsDependOnEachOther(): void {
  let failed = false
  afterEach((context) => {
    if (context.task.result?.state === 'fail') failed = true
  })
  beforeEach((context) => {
    if (failed) context.skip()
  })
}
