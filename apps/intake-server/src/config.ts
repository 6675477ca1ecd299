import { resolve } from 'node:path'
import { AmanatError } from '@amanat/domain'
import { DEFAULT_LIMITS, type IntakeLimits } from './limits.ts'
import { DEFAULT_RATE_LIMITS, type RateLimits } from './rate-limit.ts'

/**
 * The server's configuration, read once at startup from its command line (and, for the limits,
 * from the environment), then frozen. Nothing else reads `process.argv` or `process.env`.
 *
 * ```
 * node dist/server.mjs --data <dir> [--host 127.0.0.1] [--port 8787] [--postgres <url>]
 *                      [--tls-cert <file> --tls-key <file>] [--static <dir>]
 * ```
 *
 * Limits, all optional: AMANAT_INTAKE_TEXT_BYTES, AMANAT_INTAKE_ATTACHMENTS,
 * AMANAT_INTAKE_ATTACHMENT_BYTES, AMANAT_INTAKE_MAX_RECIPIENTS (see {@link IntakeLimits}),
 * AMANAT_INTAKE_RATE (intake requests per second for the whole server).
 */
export interface IntakeConfig {
  /** Where the SQLite store lives (and nothing else is written). */
  readonly dataDir: string
  readonly host: string
  readonly port: number
  /** A PostgreSQL URL (`?schema=name` optional): then the store is there, not in `dataDir`. */
  readonly postgresUrl: string | null
  readonly tls: { readonly certFile: string; readonly keyFile: string } | null
  /** The questionnaire page's built files, served at `/`. */
  readonly staticDir: string | null
  readonly limits: IntakeLimits
  readonly rateLimits: RateLimits
}

const FLAGS = ['--data', '--host', '--port', '--postgres', '--tls-cert', '--tls-key', '--static'] as const
type Flag = (typeof FLAGS)[number]

const usage = (message: string) => new AmanatError('usage', 'intake.usage', message)

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined || text === '') return fallback
  const value = Number(text)
  if (!Number.isSafeInteger(value) || value < 1) throw usage(`${name} must be a positive whole number.`)
  return value
}

/**
 * Reads the configuration from `argv` (the arguments after the script) and `env`.
 *
 * @throws AmanatError usage `intake.usage` naming the flag or variable that is wrong or missing.
 */
export function readConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): IntakeConfig {
  const values = new Map<Flag, string>()
  for (let at = 0; at < argv.length; at += 2) {
    const flag = argv[at] ?? ''
    const value = argv[at + 1]
    if (!(FLAGS as readonly string[]).includes(flag)) throw usage(`Unknown option ${flag}. Options: ${FLAGS.join(', ')}.`)
    if (value === undefined || value.startsWith('--')) throw usage(`${flag} needs a value.`)
    if (values.has(flag as Flag)) throw usage(`${flag} is given twice.`)
    values.set(flag as Flag, value)
  }
  const dataDir = values.get('--data')
  if (dataDir === undefined) throw usage('--data <dir> is required.')
  const portText = values.get('--port') ?? '8787'
  // 0 asks the system for a free port (tests); the startup line says which.
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw usage('--port must be a whole number from 0 to 65535.')
  const port = Number(portText)
  const certFile = values.get('--tls-cert')
  const keyFile = values.get('--tls-key')
  if ((certFile === undefined) !== (keyFile === undefined)) throw usage('--tls-cert and --tls-key go together.')
  const staticDir = values.get('--static')
  const rate = positiveInteger('AMANAT_INTAKE_RATE', env.AMANAT_INTAKE_RATE, DEFAULT_RATE_LIMITS.globalPerSecond)
  const config: IntakeConfig = {
    dataDir: resolve(dataDir),
    host: values.get('--host') ?? '127.0.0.1',
    port,
    postgresUrl: values.get('--postgres') ?? null,
    tls: certFile !== undefined && keyFile !== undefined ? { certFile: resolve(certFile), keyFile: resolve(keyFile) } : null,
    staticDir: staticDir === undefined ? null : resolve(staticDir),
    limits: Object.freeze({
      textBytes: positiveInteger('AMANAT_INTAKE_TEXT_BYTES', env.AMANAT_INTAKE_TEXT_BYTES, DEFAULT_LIMITS.textBytes),
      attachments: positiveInteger('AMANAT_INTAKE_ATTACHMENTS', env.AMANAT_INTAKE_ATTACHMENTS, DEFAULT_LIMITS.attachments),
      attachmentBytes: positiveInteger('AMANAT_INTAKE_ATTACHMENT_BYTES', env.AMANAT_INTAKE_ATTACHMENT_BYTES, DEFAULT_LIMITS.attachmentBytes),
      maxRecipients: positiveInteger('AMANAT_INTAKE_MAX_RECIPIENTS', env.AMANAT_INTAKE_MAX_RECIPIENTS, DEFAULT_LIMITS.maxRecipients),
    }),
    rateLimits: Object.freeze({
      ...DEFAULT_RATE_LIMITS,
      globalPerSecond: rate,
      globalBurst: 2 * rate,
    }),
  }
  return Object.freeze(config)
}
