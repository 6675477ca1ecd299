import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { base32, inputError, usageError } from '@amanat/domain'
import { generateStudy } from '@amanat/synthetic'
import type { Command, CommandContext } from '../command.ts'
import { EXIT } from '../exit-codes.ts'
import { readCodebook } from '../../workspace/codebook-file.ts'
import { ensureIntakeBundle, ensurePageBundle } from '../../intake/bundles.ts'
import { startDemoIntake } from '../../intake/demo-intake.ts'
import { writeFileDurably } from '../../intake/durable-file.ts'
import { wholeNumber } from '../../intake/intake-options.ts'
import { describeOverview, overviewOf } from '../../workspace/overview.ts'
import { runUntilSignal } from './serve.ts'
import { startWorkbench } from '../../server/workbench-server.ts'
import { createWorkspace, openWorkspace, type Workspace } from '../../workspace/workspace.ts'

const DEMO_SEED = 'amanat-demo'
const BATCH = 500
/** Marks a folder the demo made, and says whether its study finished loading. */
const DEMO_MARK = '.amanat-demo'
const COMPLETE = 'complete\n'

/**
 * Whether `root` may be removed and made again by the demo: absent, empty, or one the demo made
 * (its mark, or the passphrase files an older version wrote). Anything else may be someone's work.
 */
function demoMayReplace(root: string): boolean {
  if (!existsSync(root)) return true
  const names = readdirSync(root)
  return names.length === 0 || names.includes(DEMO_MARK) || names.includes('demo-passphrase.txt')
}

/** A demo whose study finished loading (or, made by an older version without the mark, that has a workspace). */
function finishedDemo(root: string, workspaceDir: string, passphraseFile: string): boolean {
  if (!existsSync(join(workspaceDir, 'workspace.json')) || !existsSync(passphraseFile)) return false
  const mark = join(root, DEMO_MARK)
  return !existsSync(mark) || readFileSync(mark, 'utf8') === COMPLETE
}

export const demoCommand: Command = {
  name: 'demo',
  summary: 'build (or reuse) a demo workspace from a synthetic study and run its intake server',
  help: `Usage: amanat demo [options]

Creates a demo workspace in ./.amanat-demo (or --dir) from a synthetic study shaped like the
seed study (about 400 respondents in 22 countries on five continents; every person in it is
invented), or reuses the one already there if its study finished loading (one stopped half way is made
again), and prints what it holds. One demo at a time runs on a folder (<dir>.lock beside it). The demo passphrase is
written to a file, whose path is printed as "demo passphrase: <path>".

Then it builds the intake server and the questionnaire page, starts the intake server (its
data in <dir>/intake), publishes the default questionnaire signed with the demo workspace's key,
issues one invite, prints "intake server: <url>" and "invite link: <link>", starts the workbench
(the local web UI) on the demo workspace and prints "workbench: <url>", and keeps running until
Ctrl-C. Open the invite link, answer and submit; open the workbench link, unlock it with the
demo passphrase, pull the testimony in (the inbox's button, or the command it shows), and code.

Options:
  --dir <path>          where the demo lives (default: ./.amanat-demo): a new or empty folder, or
                        one an earlier demo made (it is removed and made again when needed)
  --reset               delete the demo and start over
  --respondents <n>     size of the synthetic study (default: 400)
  --port <n>            the intake server's port on 127.0.0.1 (default 8787; 0 picks a free one)
  --workbench-port <n>  the workbench's port on 127.0.0.1 (default: a free one)
  --no-serve            only build and print; start no server
  --json                print the overview as JSON on stdout
  -h, --help            this help`,
  options: {
    dir: { type: 'string' },
    reset: { type: 'boolean' },
    respondents: { type: 'string' },
    port: { type: 'string' },
    'workbench-port': { type: 'string' },
    'no-serve': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  positionals: { min: 0, max: 0 },
  async run(context) {
    const root = resolve(typeof context.values.dir === 'string' ? context.values.dir : '.amanat-demo')
    const lock = holdDemoLock(root)
    try {
      return await buildAndServe(context, root)
    } finally {
      lock.release()
    }
  },
}

/**
 * One demo at a time in a folder: a second `amanat demo` (another terminal) would remove the
 * folder the first is building or serving. The lock is a file beside the folder holding the
 * process id; one left by a process that no longer runs (killed) is taken over.
 */
function holdDemoLock(root: string): { release(): void } {
  const file = `${root}.lock`
  mkdirSync(dirname(root), { recursive: true })
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(file, `${String(process.pid)}\n`, { flag: 'wx', mode: 0o600 })
      return { release: () => rmSync(file, { force: true }) }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw error
      const holder = Number(readFileSync(file, 'utf8').trim())
      if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && running(holder)) {
        throw inputError(
          'demo.busy',
          `Another amanat demo (process ${String(holder)}) is using ${root}; stop it first (Ctrl-C there), or give this one another --dir.`,
        )
      }
      rmSync(file, { force: true })
    }
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function buildAndServe(context: CommandContext, root: string): Promise<number> {
  const { values, terminal } = context
  const port = wholeNumber(context, 'port', 0, 65535, 8787)
  const workbenchPort = wholeNumber(context, 'workbench-port', 0, 65535, 0)
  const respondents = typeof values.respondents === 'string' ? Number(values.respondents) : 400
  if (!Number.isInteger(respondents) || respondents < 1 || respondents > 1_000_000) {
    throw usageError('usage.bad_respondents', '--respondents takes a whole number from 1 to 1000000.')
  }
  const passphraseFile = join(root, 'demo-passphrase.txt')
  const workspaceDir = join(root, 'workspace')
  if (!demoMayReplace(root)) {
    throw inputError(
      'demo.not_a_demo',
      `${root} holds files the demo did not make; it removes and remakes its folder, so give --dir a new or empty folder (or the one an earlier demo made).`,
    )
  }
  if (values.reset === true && existsSync(root)) {
    terminal.info(`Removing the old demo in ${root}`)
    rmSync(root, { recursive: true, force: true })
  }

  let workspace: Workspace
  if (finishedDemo(root, workspaceDir, passphraseFile)) {
    terminal.info(`Reusing the demo workspace in ${workspaceDir} (--reset starts over)`)
    workspace = await openWorkspace(workspaceDir, readFileSync(passphraseFile, 'utf8').trim())
  } else {
    // Nothing yet, or a demo stopped before its study was loaded: start over.
    rmSync(root, { recursive: true, force: true })
    mkdirSync(root, { recursive: true, mode: 0o700 })
    writeFileDurably(join(root, DEMO_MARK), 'loading\n')
    const passphrase = randomPassphrase()
    const backupPassphrase = randomPassphrase()
    writeFileSync(passphraseFile, `${passphrase}\n`, { mode: 0o600 })
    writeFileSync(join(root, 'demo-backup-passphrase.txt'), `${backupPassphrase}\n`, { mode: 0o600 })
    terminal.info(`Creating a demo workspace in ${workspaceDir}`)
    const codebook = readCodebook()
    workspace = await createWorkspace({
      dir: workspaceDir,
      name: 'Amanat demo (synthetic data)',
      passphrase,
      backupPassphrase,
      analystLabel: 'demo-analyst',
      codebook,
    })
    const progress = terminal.progress('loading the synthetic study', respondents)
    const store = workspace.store
    const author = workspace.analyst.id
    // A new workspace filled at once: indexes built at the end (docs/decisions/0021).
    await store.bulkLoad(async () => {
      let batch = []
      let done = 0
      for (const body of generateStudy({ seed: DEMO_SEED, respondents, codebook })) {
        batch.push(body)
        if (batch.length === BATCH) {
          await store.appendBatch(author, batch)
          done += batch.length
          progress.tick(done)
          batch = []
        }
      }
      if (batch.length > 0) await store.appendBatch(author, batch)
    })
    progress.done()
    writeFileDurably(join(root, DEMO_MARK), COMPLETE)
  }
  try {
    const overview = await overviewOf(workspace.store)
    if (values.json === true) {
      terminal.out(JSON.stringify({ workspace: workspace.dir, passphraseFile, ...overview }))
    } else {
      terminal.out(`demo workspace: ${workspace.dir}`)
      for (const line of describeOverview(overview)) terminal.out(line)
      terminal.out(`demo passphrase: ${passphraseFile}`)
      terminal.info('Everyone in this study is invented. Try: npx amanat verify --workspace ' + workspace.dir + ' (with AMANAT_PASSPHRASE set from the file above)')
    }
  } finally {
    await workspace.close()
  }
  terminal.info('Building the intake server and the questionnaire page (when their sources changed)')
  await ensureIntakeBundle()
  await ensurePageBundle()
  if (values['no-serve'] === true) return EXIT.ok

  const passphrase = readFileSync(passphraseFile, 'utf8').trim()
  const intake = await startDemoIntake(root, workspaceDir, passphrase, port, terminal)
  let workbench
  try {
    workbench = await startWorkbench({ workspaceDir, port: workbenchPort, log: (line) => terminal.info(line) })
  } catch (error) {
    await intake.child.stop()
    throw error
  }
  terminal.out(`intake server: ${intake.url}`)
  terminal.out(`invite link: ${intake.inviteLink}`)
  terminal.out(`workbench: ${workbench.url}`)
  terminal.info('Open the invite link in a browser, answer and submit. Then open the workbench link, unlock it')
  terminal.info(`with the demo passphrase (in ${passphraseFile}) and press "Pull" in the inbox; or, in another terminal:`)
  terminal.info(`  AMANAT_PASSPHRASE="$(cat ${passphraseFile})" npx amanat pull --workspace ${workspaceDir} --server ${intake.url}`)
  terminal.info('Ctrl-C stops the intake server and the workbench.')
  try {
    return await runUntilSignal(intake.child.process, intake.child.exited)
  } finally {
    await workbench.close()
  }
}

/** 130 bits from the CSPRNG, grouped for reading aloud. */
function randomPassphrase(): string {
  return (base32(randomBytes(17)).match(/.{1,5}/g) ?? []).join('-')
}
