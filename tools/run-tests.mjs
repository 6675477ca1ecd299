#!/usr/bin/env node
// `npm test`: everything CI proves, in one command. Type-check, lint (which enforces the
// architecture's arrows), then every test suite. All three always run; the exit code is non-zero
// if any failed, and the last line is Vitest's plain count (`tests: N passed, N failed, N skipped`).
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const summaryDir = mkdtempSync(join(tmpdir(), 'amanat-test-'))
const summaryFile = join(summaryDir, 'summary.txt')

/** @type {[string, string[]][]} */
const steps = [
  ['typecheck', ['npx', 'tsc', '-p', 'tsconfig.json', '--noEmit']],
  ['lint', ['npx', 'eslint', '.', '--max-warnings', '0']],
  ['tests', ['npx', 'vitest', 'run', ...process.argv.slice(2)]],
]

const failed = []
for (const [name, [cmd = 'npx', ...args]] of steps) {
  process.stdout.write(`\n== ${name}: ${[cmd, ...args].join(' ')}\n`)
  const started = Date.now()
  const result = spawnSync(cmd, args, { stdio: 'inherit', env: { ...process.env, AMANAT_TEST_SUMMARY_FILE: summaryFile } })
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  process.stdout.write(`== ${name}: ${result.status === 0 ? 'ok' : 'FAILED'} in ${seconds} s\n`)
  if (result.status !== 0) failed.push(name)
}
let summary = 'tests: 0 passed, 1 failed (the test run printed no summary)'
try {
  summary = readFileSync(summaryFile, 'utf8').trim()
} catch {
  failed.push('tests')
}
rmSync(summaryDir, { recursive: true, force: true })
if (failed.length > 0) process.stdout.write(`\nnpm test failed: ${[...new Set(failed)].join(', ')}\n`)
process.stdout.write(`\n${summary}\n`)
if (failed.length > 0) {
  process.exit(1)
}
