import { execFileSync, spawn } from 'node:child_process'
import { once } from 'node:events'
import { createRequire } from 'node:module'
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { chromiumAvailable, straceAvailable } from '../../../../tools/test-support/services.ts'
import { REQUIRED_COLUMNS } from '../../src/transfer/coded-columns.ts'
import { PASSPHRASES, tempDir } from '../support.ts'
import { intakeStage, pageSession, workspaceWithPulledTestimony } from '../ui/support.ts'
import { markedWorkspace } from './support.ts'

/**
 * T18, files outside the workspace: every file the workbench opens for writing, creates, renames or
 * makes a folder of, in every process it starts, is inside the workspace or is the file it was told
 * to write (`--out`). Seen with strace, so a file written and removed again (the unpacked sheet an
 * XLSX reader once kept in the temporary folder) counts as much as one left behind. The system's
 * temporary folder and the home folder are fresh and empty ones, and stay so: only tsx's cache of
 * compiled source, which the checkout's `amanat` runs through, may appear there, and, while a
 * dossier prints, Chromium's own profile, which Playwright makes there and removes.
 */

const AMANAT_MANY = fileURLToPath(new URL('../support/amanat-many.ts', import.meta.url))
/** tsx's loader, by its URL: the run's own folder is not inside the checkout. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

const withBrowser = chromiumAvailable() || process.env.CI === 'true'

/** Flags that make an open a write. */
const WRITING = /O_WRONLY|O_RDWR|O_CREAT|O_TRUNC|O_APPEND/

/**
 * The paths a traced run wrote: opened for writing, created, made as folders, renamed to, linked or
 * truncated. Relative paths are resolved against `cwd` (the run's own; nothing here changes it).
 */
function writtenPaths(trace: string, cwd: string): string[] {
  const paths = new Set<string>()
  const add = (path: string) => paths.add(isAbsolute(path) ? path : resolve(cwd, path))
  for (const line of trace.split('\n')) {
    const call = /^\d+\s+(\w+)\((.*)\)\s+=\s+(-?\d+)/.exec(line)
    if (call === null || Number(call[3]) < 0) continue
    const [, name, args = ''] = call
    const strings = [...args.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((match) => match[1] ?? '')
    if ((name === 'openat' || name === 'open') && WRITING.test(args)) add(strings[0] ?? '')
    else if (name === 'creat' || name === 'mkdir' || name === 'mkdirat' || name === 'truncate')
      add(strings[0] ?? '')
    else if (
      name === 'rename' ||
      name === 'renameat' ||
      name === 'renameat2' ||
      name === 'link' ||
      name === 'linkat'
    )
      add(strings[1] ?? '')
  }
  return [...paths]
}

/** The paths written outside the workspace, what the run was told to write, and the terminal's devices. */
function outside(paths: readonly string[], allowed: readonly string[]): string[] {
  return paths.filter(
    (path) =>
      !['/dev/null', '/dev/tty'].includes(path) &&
      !path.startsWith('/dev/pts/') &&
      // A process's own settings in the kernel (Chromium sets its processes' OOM scores there).
      !/^\/proc\/\d+\//.test(path) &&
      // Fontconfig's index of the system's fonts (charts are drawn with them): file names and
      // glyph coverage, nothing of the data.
      !/^(\/var\/cache\/fontconfig|.*\/\.cache\/fontconfig)\//.test(path) &&
      // A named output, what is inside it, and what is written beside it first and renamed onto
      // it (`coded.csv.<pid>.tmp`, `.report.<random>.tmp/`).
      !allowed.some(
        (named) =>
          path === named ||
          path.startsWith(named + sep) ||
          path.startsWith(`${named}.`) ||
          path.startsWith(join(dirname(named), `.${basename(named)}.`)),
      ),
  )
}

/**
 * What a traced run did: its exit lines, its output, the paths it wrote (but for the trace's own
 * log and tsx's cache of compiled source, which the checkout's `amanat` runs through), and what it
 * left in the home and temporary folders (but for that cache).
 */
interface Traced {
  readonly exits: string[]
  readonly stdout: string
  readonly stderr: string
  readonly written: string[]
  readonly left: string[]
}

/**
 * Starts `commands` in one process under strace (every process and thread it starts is traced), in
 * `cwd`, with `home` and `tmp` as its home and temporary folders. `line` resolves to the first
 * line of its output that matches; `stop` sends the traced process SIGTERM (strace itself holds
 * fatal signals while it writes to a file); `finished` resolves once it ended. Asynchronous: the
 * intake server it pulls from runs in this process.
 */
function startTraced(
  commands: readonly (readonly string[])[],
  dirs: { readonly cwd: string; readonly home: string; readonly tmp: string },
): { line(pattern: RegExp): Promise<string>; stop(): void; finished: Promise<Traced> } {
  const log = join(dirs.cwd, 'trace.log')
  const child = spawn(
    'strace',
    [
      '-f',
      '--seccomp-bpf',
      '-qq',
      '-e',
      'trace=%file',
      '-o',
      log,
      process.execPath,
      '--import',
      TSX,
      AMANAT_MANY,
    ],
    {
      cwd: dirs.cwd,
      env: {
        PATH: process.env.PATH,
        HOME: dirs.home,
        TMPDIR: dirs.tmp,
        AMANAT_COMMANDS: JSON.stringify(commands),
        ...PASSPHRASES,
      },
      timeout: 240_000,
    },
  )
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  const tsxCache = join(dirs.tmp, `tsx-${String(process.getuid?.() ?? 0)}`)
  const finished = once(child, 'close').then(() => ({
    exits: stdout.split('\n').filter((line) => line.startsWith('exit ')),
    stdout,
    stderr,
    written: writtenPaths(readFileSync(log, 'utf8'), dirs.cwd).filter(
      (path) => path !== log && path !== tsxCache && !path.startsWith(tsxCache + sep),
    ),
    left: [dirs.tmp, dirs.home]
      .flatMap((dir) => readdirSync(dir).map((name) => join(dir, name)))
      .filter((path) => path !== tsxCache),
  }))
  return {
    finished,
    line: (pattern) =>
      new Promise((resolve, reject) => {
        const look = () => {
          const found = stdout.split('\n').find((line) => pattern.test(line))
          if (found === undefined) return false
          child.stdout.off('data', look)
          resolve(found)
          return true
        }
        if (!look()) child.stdout.on('data', look)
        void finished.then(() => reject(new Error(`ended without ${String(pattern)}: ${stderr}`)))
      }),
    stop: () => {
      const traced = readFileSync(`/proc/${String(child.pid)}/task/${String(child.pid)}/children`, 'utf8')
      process.kill(Number(traced.trim().split(' ')[0]), 'SIGTERM')
    },
  }
}

/** Runs `commands` under strace to their end (see {@link startTraced}). */
function tracedRun(
  commands: readonly (readonly string[])[],
  dirs: { readonly cwd: string; readonly home: string; readonly tmp: string },
): Promise<Traced> {
  return startTraced(commands, dirs).finished
}

describe.runIf(straceAvailable())(
  'T18: the workbench writes nothing outside the workspace and its --out',
  () => {
    let workspace: string
    let files: string
    let home: string
    let tmp: string
    const marker = 'WRITESOUT1'

    beforeAll(async () => {
      ;({ dir: workspace } = await markedWorkspace({ respondents: 5, markers: [marker] }))
      files = tempDir()
      home = tempDir()
      tmp = tempDir()
      // A contact list and coded data as a partner would send them: workbooks, sheets before strings.
      const people = new ExcelJS.Workbook()
      const sheet = people.addWorksheet('people')
      sheet.addRow(['respondent', 'names', 'phone'])
      sheet.addRow([`KEY-${marker}`, `Writesout Synthetic`, '+90 555 010 3333'])
      await people.xlsx.writeFile(join(files, 'people.xlsx'))
      const coded = new ExcelJS.Workbook()
      const rows = coded.addWorksheet('coded')
      rows.addRow([...REQUIRED_COLUMNS])
      rows.addRow([
        'R-WRITESOUT',
        'online',
        'TR',
        'uyghur',
        'anonymous',
        'refugee',
        'teacher',
        'threat_to_relatives',
        'wechat',
        'home_police',
        'relative',
        '2019',
        'TR',
        'CN: Ürümqi',
        `${marker} coded note`,
      ])
      await coded.xlsx.writeFile(join(files, 'coded.xlsx'))
    })

    it('imports, exports, tells, searches, counts, reports, backs up, travels, restores and erases touching only the workspace and the named outputs', async () => {
      const out = join(files, 'out')
      mkdirSync(out)
      const outputs = ['coded.xlsx.age', 'coded.csv', 'report', 'backup.age', 'travel', 'restored'].map(
        (name) => join(out, name),
      )
      const [sealed, plain, report, backup, travel, restored] = outputs as [
        string,
        string,
        string,
        string,
        string,
        string,
      ]
      const storyFile = join(files, 'story.txt')
      writeFileSync(storyFile, `A synthetic story told under a pseudonym, ${marker}.`)
      const commands = [
        ['import', join(files, 'coded.xlsx'), '--workspace', workspace],
        ['vault', 'import', '--workspace', workspace, '--file', join(files, 'people.xlsx')],
        ['export', '--workspace', workspace, '--format', 'xlsx', '--out', sealed],
        ['export', '--workspace', workspace, '--format', 'csv', '--plaintext', '--out', plain],
        [
          'story',
          'add',
          '--workspace',
          workspace,
          '--respondent',
          `KEY-${marker}`,
          '--title',
          'A story',
          '--text-file',
          storyFile,
        ],
        ['search', '--workspace', workspace, marker],
        ['stats', '--workspace', workspace, '--by', 'residence_country', '--release', 'writes-outside'],
        ['report', '--workspace', workspace, '--out', report],
        ['backup', '--workspace', workspace, '--out', backup],
        ['travel', '--workspace', workspace, '--out', travel],
        [
          'restore',
          '--backup',
          backup,
          '--identity',
          join(workspace, 'backup-identity.age'),
          '--to',
          restored,
        ],
        ['erase', '--workspace', workspace, '--respondent', `KEY-${marker}`],
      ]
      const { exits, stderr, written, left } = await tracedRun(commands, { cwd: files, home, tmp })
      expect(exits, stderr).toEqual(commands.map(() => 'exit 0'))
      // An erasure leaves its mark beside the backups (docs/erasure.md): named outputs too.
      const marks = readdirSync(out)
        .filter((name) => /^amanat-erasure-.*\.age$/.test(name))
        .map((name) => join(out, name))
      expect(marks).toHaveLength(1)
      expect(outside(written, [workspace, ...outputs, ...marks])).toEqual([])
      // The runs reached the data: the plaintext export holds the marked respondent.
      expect(readFileSync(plain, 'utf8')).toContain(marker)
      // Nothing was left in the temporary or home folder but tsx's compiled source.
      expect(left).toEqual([])
    }, 300_000)

    it.runIf(withBrowser)(
      "pulls from the intake server and prints a dossier touching only the workspace, the dossier and Chromium's own profile",
      async () => {
        const pulled = 'WRITESOUT2'
        const { dir: ws, marked } = await markedWorkspace({
          respondents: 2,
          markers: ['WRITESOUT3'],
          markedConsent: ['aggregate', 'share_with_lawyer'],
        })
        const [cwd, home, tmp] = [tempDir(), tempDir(), tempDir()]
        // Published untraced; a submission with a photo waits on the server.
        const stage = await intakeStage(ws, tempDir(), PASSPHRASES)
        try {
          await stage.submit(`${pulled} story`, true)

          const dossier = join(cwd, 'dossier.pdf')
          const commands = [
            ['pull', '--workspace', ws, '--server', stage.url],
            ['dossier', '--workspace', ws, '--respondent', marked[0]?.key ?? '', '--out', dossier],
          ]
          const { exits, stdout, stderr, written, left } = await tracedRun(commands, { cwd, home, tmp })
          expect(exits, stderr).toEqual(commands.map(() => 'exit 0'))
          // Chromium's own profile, which Playwright makes in the temporary folder and removes
          // (the dossier test searches it for the page's words: none), and the folder of the
          // socket by which a second Chromium would find the first are the only things beside.
          const inChromiumProfile = (path: string) =>
            path.startsWith(tmp + sep) &&
            /^(playwright(_chromiumdev_profile|-artifacts)-\w+|org\.chromium\.Chromium\.\w{6})$/.test(
              relative(tmp, path).split(sep)[0] ?? '',
            )
          expect(outside(written, [ws, dossier]).filter((path) => !inChromiumProfile(path))).toEqual([])
          // The runs reached the data: the submission and its attachment came in.
          expect(stdout).toContain('imported: 1 (attachments: 1)')
          expect(readFileSync(dossier).subarray(0, 5).toString()).toBe('%PDF-')
          expect(left).toEqual([])
        } finally {
          await stage.close()
        }
      },
      300_000,
    )

    it('serves the workbench, whose page unlocks, reads, searches, reports, pulls, codes and locks, touching only the workspace', async () => {
      const [cwd, home, tmp] = [tempDir(), tempDir(), tempDir()]
      const ws = join(tempDir(), 'ws')
      const stage = await workspaceWithPulledTestimony(ws, tempDir())
      try {
        await stage.submit('WRITESOUT4 waiting on the server')
        const run = startTraced([['workbench', '--workspace', ws]], { cwd, home, tmp })
        const url = new URL((await run.line(/^workbench: http/)).slice('workbench: '.length))
        const page = await pageSession({ url: url.href, origin: url.origin })
        const call = async (path: string, body?: unknown) => {
          const response = await (body === undefined
            ? page.get(`/api${path}`)
            : page.post(`/api${path}`, body))
          expect(response.status, `${path}: ${response.body}`).toBe(200)
          return response
        }
        await page.unlockAsFirstProfile()
        const pulled = JSON.parse((await call('/intake/pull', { server: stage.url })).body) as {
          imported: number
        }
        expect(pulled.imported).toBe(1)
        const list = JSON.parse((await call('/testimonies')).body) as {
          items: { respondentId: string; testimonyId: string }[]
        }
        expect(list.items).toHaveLength(2)
        for (const row of list.items) {
          const testimony = JSON.parse(
            (await call(`/testimonies/${row.respondentId}/${row.testimonyId}`)).body,
          ) as {
            attachments: { id: string }[]
            testimony: { version: number }
          }
          for (const attachment of testimony.attachments)
            await call(`/respondents/${row.respondentId}/attachments/${attachment.id}`)
          await call(`/testimonies/${row.respondentId}/${row.testimonyId}/translation`, {
            translation: { language: 'en', text: 'WRITESOUT5 translated' },
            version: testimony.testimony.version,
          })
        }
        await call(`/search?q=${encodeURIComponent('WRITESOUT4')}`)
        await call('/dashboard?lang=en')
        await call('/report', { lang: 'en' })
        await call('/lock', {})
        run.stop()
        const { exits, stderr, written, left } = await run.finished
        expect(exits, stderr).toEqual(['exit 0'])
        expect(outside(written, [ws])).toEqual([])
        // The trace saw the work: the report was written into the workspace.
        expect(written).toContain(join(ws, 'report', 'en'))
        expect(left).toEqual([])
      } finally {
        await stage.close()
      }
    }, 300_000)

    it('sees a write outside: the check is not blind', () => {
      const [cwd, elsewhere] = [tempDir(), tempDir()]
      const log = join(cwd, 'probe.log')
      execFileSync(
        'strace',
        [
          '-f',
          '-qq',
          '-e',
          'trace=%file',
          '-o',
          log,
          'sh',
          '-c',
          `echo x > ${join(elsewhere, 'leak')}; mkdir cache; mv cache ${join(elsewhere, 'moved')}`,
        ],
        { cwd },
      )
      expect(outside(writtenPaths(readFileSync(log, 'utf8'), cwd), [log]).sort()).toEqual(
        [join(cwd, 'cache'), join(elsewhere, 'leak'), join(elsewhere, 'moved')].sort(),
      )
    })
  },
)
