/**
 * One intake server for bench/intake.ts, as a child process (so the load generator and the server
 * each have a core): `tsx bench/intake-child.ts <mode> <data dir>`, where mode is
 * - `durable`: the real server (SQLite, WAL, synchronous=FULL, group commit);
 * - `rollback`: the same route and every check and write, rolled back instead of committed;
 * - `discard`: the same server reading each submission and acknowledging it, nothing else.
 * Prints the server's startup lines; the global rate limit is lifted so that it measures the work.
 */
import { readConfig } from '../apps/intake-server/src/config.ts'
import { startIntakeServer } from '../apps/intake-server/src/server.ts'

const [mode, dataDir] = process.argv.slice(2)
if ((mode !== 'durable' && mode !== 'rollback' && mode !== 'discard') || dataDir === undefined) {
  process.stderr.write('usage: intake-child.ts durable|rollback|discard <data dir>\n')
  process.exit(2)
}
const config = readConfig(['--data', dataDir, '--port', '0'], { AMANAT_INTAKE_RATE: '10000000' })
await startIntakeServer(
  config,
  { line: (text) => process.stdout.write(`${text}\n`), error: (text) => process.stderr.write(`${text}\n`) },
  {
    ...(mode === 'rollback' ? { groupCommit: { commit: false } } : {}),
    ...(mode === 'discard' ? { benchmark: 'discard' as const } : {}),
  },
)
// Exit normally on a signal, so that `--cpu-prof` (when profiling a variant) writes its profile.
process.on('SIGINT', () => process.exit(0))
process.on('SIGTERM', () => process.exit(0))
