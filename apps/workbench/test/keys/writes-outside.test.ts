import { execFileSync, spawnSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { basename, dirname, isAbsolute, join, resolve, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import ExcelJS from 'exceljs'
import { beforeAll, describe, expect, it } from 'vitest'
import { straceAvailable } from '../../../../tools/test-support/services.ts'
import { REQUIRED_COLUMNS } from '../../src/transfer/coded-columns.ts'
import { PASSPHRASES, tempDir } from '../support.ts'
import { markedWorkspace } from './support.ts'

/**
 * T18, files outside the workspace: every file the workbench opens for writing, creates, renames or
 * makes a folder of, in every process it starts, is inside the workspace or is the file it was told
 * to write (`--out`). Seen with strace, so a file written and removed again (the unpacked sheet an
 * XLSX reader once kept in the temporary folder) counts as much as one left behind. The system's
 * temporary folder and the home folder are fresh and empty ones, and stay so: only tsx's cache of
 * compiled source, which the checkout's `amanat` runs through, may appear there.
 */

const AMANAT_MANY = fileURLToPath(new URL('../support/amanat-many.ts', import.meta.url))
/** tsx's loader, by its URL: the run's own folder is not inside the checkout. */
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href

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
      // Fontconfig's index of the system's fonts (charts are drawn with them): file names and
      // glyph coverage, nothing of the data.
      !/^(\/var\/cache\/fontconfig|.*\/\.cache\/fontconfig)\//.test(path) &&
      // A named output, what is inside it, and its siblings written first and renamed onto it
      // (`coded.csv.<pid>.tmp`).
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

describe.runIf(straceAvailable())(
  'T18: the workbench writes nothing outside the workspace and its --out',
  () => {
    let workspace: string
    let files: string
    let home: string
    let tmp: string
    let tsxCache: string
    const marker = 'WRITESOUT1'

    beforeAll(async () => {
      ;({ dir: workspace } = await markedWorkspace({ respondents: 5, markers: [marker] }))
      files = tempDir()
      home = tempDir()
      tmp = tempDir()
      tsxCache = join(tmp, `tsx-${String(process.getuid?.() ?? 0)}`)
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

    it('imports, exports, reports and backs up touching only the workspace and the named outputs', () => {
      const out = join(files, 'out')
      mkdirSync(out)
      const outputs = ['coded.xlsx.age', 'coded.csv', 'report', 'backup.age'].map((name) => join(out, name))
      const [sealed, plain, report, backup] = outputs as [string, string, string, string]
      const commands = [
        ['import', join(files, 'coded.xlsx'), '--workspace', workspace],
        ['vault', 'import', '--workspace', workspace, '--file', join(files, 'people.xlsx')],
        ['export', '--workspace', workspace, '--format', 'xlsx', '--out', sealed],
        ['export', '--workspace', workspace, '--format', 'csv', '--plaintext', '--out', plain],
        ['report', '--workspace', workspace, '--out', report],
        ['backup', '--workspace', workspace, '--out', backup],
      ]
      // One process runs them all, under strace: every process and thread it starts is traced.
      const log = join(files, 'trace.log')
      const run = spawnSync(
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
          cwd: files,
          encoding: 'utf8',
          env: {
            PATH: process.env.PATH,
            HOME: home,
            TMPDIR: tmp,
            AMANAT_COMMANDS: JSON.stringify(commands),
            ...PASSPHRASES,
          },
          timeout: 240_000,
        },
      )
      expect(
        run.stdout.split('\n').filter((line) => line.startsWith('exit ')),
        run.stderr,
      ).toEqual(commands.map(() => 'exit 0'))
      expect(
        outside(writtenPaths(readFileSync(log, 'utf8'), files), [workspace, tsxCache, log, ...outputs]),
      ).toEqual([])
      // The runs reached the data: the plaintext export holds the marked respondent.
      expect(readFileSync(plain, 'utf8')).toContain(marker)
      // Nothing was left in the temporary or home folder but tsx's compiled source.
      expect(readdirSync(tmp).filter((name) => join(tmp, name) !== tsxCache)).toEqual([])
      expect(readdirSync(home)).toEqual([])
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
