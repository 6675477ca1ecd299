import { usageError } from '@amanat/domain'
import type { Command } from '../command.ts'
import { wholeNumber } from '../../intake/intake-options.ts'
import { startIntakeChild } from '../../intake/intake-child.ts'

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the intake server (the blind, internet-facing part) with the questionnaire page',
  help: `Usage: amanat serve --data <dir> [options]

Runs the intake server: its own bundle (apps/intake-server/dist/server.mjs), built from code that
cannot reach any decryption, together with the questionnaire page; both are built first when
missing or older than their sources. The server stores ciphertext, invite hashes and a hash
chain only. It stops on Ctrl-C (or SIGTERM), after committing what it acknowledged.

On its first start it prints one line "analyst credential: <value>", shown once and stored only
hashed: give it once to the first analyst command against this server (--credential), and the
workspace keeps it. Then it prints "intake server: <url>".

Options:
  --data <dir>          where the server keeps its SQLite store
  --host <address>      the address to listen on (default 127.0.0.1; a public address only
                        behind TLS, here or at a proxy)
  --port <n>            the port (default 8787; 0 picks a free one)
  --postgres <url>      keep the store in PostgreSQL instead (several server nodes)
  --tls-cert <file>     serve HTTPS with this certificate (PEM) …
  --tls-key <file>      … and this key
  -h, --help            this help`,
  options: {
    data: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    postgres: { type: 'string' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
  },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const { values, terminal } = context
    if (typeof values.data !== 'string' || values.data === '') throw usageError('usage.no_data', 'Where should the server keep its data? Give --data <dir>.')
    const certFile = values['tls-cert']
    const keyFile = values['tls-key']
    if ((typeof certFile === 'string') !== (typeof keyFile === 'string')) throw usageError('usage.tls_pair', '--tls-cert and --tls-key go together.')
    const child = await startIntakeChild({
      dataDir: values.data,
      ...(typeof values.host === 'string' ? { host: values.host } : {}),
      port: wholeNumber(context, 'port', 0, 65535, 8787),
      ...(typeof values.postgres === 'string' ? { postgres: values.postgres } : {}),
      ...(typeof certFile === 'string' && typeof keyFile === 'string' ? { tls: { certFile, keyFile } } : {}),
      onLine: (line, stream) => (stream === 'stdout' ? terminal.out(line) : terminal.info(line)),
    })
    return runUntilSignal(child.process, child.exited)
  },
}

/** Passes SIGINT and SIGTERM on to `child` and resolves with its exit code. */
export async function runUntilSignal(child: { kill(signal: NodeJS.Signals): boolean }, exited: Promise<number>): Promise<number> {
  const forward = (signal: NodeJS.Signals) => () => {
    child.kill(signal)
  }
  const onInt = forward('SIGINT')
  const onTerm = forward('SIGTERM')
  process.on('SIGINT', onInt)
  process.on('SIGTERM', onTerm)
  try {
    return await exited
  } finally {
    process.off('SIGINT', onInt)
    process.off('SIGTERM', onTerm)
  }
}
