/**
 * Runs several `amanat` commands in one process, one after the other (the T18 file-write test
 * traces them with strace, and one process starts once): `node --import tsx amanat-many.ts`. The
 * commands come as a JSON array of argument lists in AMANAT_COMMANDS; each one's exit code is
 * printed as `exit <code>`, and the first that fails ends the run.
 */
import { main } from '../../src/cli/main.ts'

const commands = JSON.parse(process.env.AMANAT_COMMANDS ?? '[]') as string[][]
for (const argv of commands) {
  const code = await main(argv)
  process.stdout.write(`exit ${String(code)}\n`)
  if (code !== 0) {
    process.exitCode = code
    break
  }
}
