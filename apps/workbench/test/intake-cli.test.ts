import { spawn, spawnSync } from 'node:child_process'
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { isSigningPublicKey, verifyDocument } from '@amanat/crypto'
import { describe, expect, it, onTestFinished } from 'vitest'
import { COMMANDS } from '../src/cli/main.ts'
import { ensurePageBundle } from '../src/intake/bundles.ts'
import { REPO_PATHS } from '../src/intake/repo-paths.ts'
import { startPreviewServer } from '../src/intake/preview-server.ts'
import { readQuestionnaireFile } from '../src/intake/questionnaire-file.ts'
import { readCodebook } from '../src/workspace/codebook-file.ts'
import { amanat, amanatOk, defaultSubmission, marker, postSubmission, sealSubmission, tempDir, tokenOf } from './support/intake-fixtures.ts'

const BIN = fileURLToPath(new URL('../bin/amanat.mjs', import.meta.url))
const questionnaire = readQuestionnaireFile('default', readCodebook()).questionnaire

describe('the intake commands\' help and usage', () => {
  it.each(['serve', 'questionnaire', 'publish', 'recipients', 'invite', 'pull'])('amanat %s --help prints its full help', async (name) => {
    expect(COMMANDS.map((c) => c.name)).toContain(name)
    const { stdout } = await amanatOk([name, '--help'])
    expect(stdout[0]).toMatch(new RegExp(`^Usage: amanat ${name} `))
    expect(stdout.join('\n')).toMatch(/Options:\n[\s\S]*-h, --help/)
  })

  it('asks for the server before anything else', async () => {
    const { code, terminal } = await amanat(['pull', '--workspace', '/nonexistent'])
    expect(code).toBe(2)
    expect(terminal.stderr).toEqual(['amanat: usage.no_server: Which intake server? Give --server <url>.'])
  })

  it('refuses a server given with a path', async () => {
    const { code, terminal } = await amanat(['invite', '--server', 'https://intake.example.org/admin', '--count', '1', '--workspace', '/nonexistent'])
    expect(code).toBe(2)
    expect(terminal.stderr.at(-1)).toMatch(/^amanat: usage\.bad_server: /)
  })
})

describe('amanat questionnaire', () => {
  it('check passes the default questionnaire and lists missing translations', async () => {
    const { stdout } = await amanatOk(['questionnaire', 'check', 'default'])
    expect(stdout[0]).toMatch(/^ok: amanat-default 1\.0\.0 \(6 sections, \d+ items; languages: en, ug, zh, tr\)$/)
    for (const line of stdout.slice(1)) expect(line).toMatch(/^missing translation: [a-z]{2} \S+/)
  })

  it('check refuses a malformed file with exit 1, naming the path of the problem', async () => {
    const temp = tempDir('questionnaire-check')
    try {
      const file = join(temp.dir, 'broken.json')
      const doc = JSON.parse(readFileSync(REPO_PATHS.defaultQuestionnaire, 'utf8')) as { sections: { items: { kind: string }[] }[] }
      const item = doc.sections[0]?.items[2]
      if (item === undefined) throw new Error('the default questionnaire changed shape; pick another item')
      item.kind = 'bogus'
      writeFileSync(file, JSON.stringify(doc, null, 2))
      const { code, terminal } = await amanat(['questionnaire', 'check', file])
      expect(code).toBe(1)
      expect(terminal.stderr.at(-1)).toMatch(/^amanat: questionnaire\.invalid: broken\.json line \d+, column \d+, at sections\[0\]\.items\[2\]/)
    } finally {
      temp.cleanup()
    }
  })

  it('preview serves the page and a signed questionnaire, and accepts no submission', async () => {
    const pageDir = await ensurePageBundle()
    const preview = await startPreviewServer(questionnaire, pageDir)
    try {
      expect(preview.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/#preview&q=amanat-default$/)
      const origin = new URL(preview.url).origin
      const signed = (await (await fetch(`${origin}/q/${questionnaire.id}`)).json()) as { document: unknown; publicKey: string; signature: string }
      expect(isSigningPublicKey(signed.publicKey)).toBe(true)
      expect(verifyDocument(signed.publicKey, 'amanat/questionnaire/v1', signed.document, signed.signature)).toBe(true)
      expect((await fetch(`${origin}/`)).headers.get('content-type')).toBe('text/html; charset=utf-8')
      expect((await fetch(`${origin}/api/submissions`, { method: 'POST', body: 'x' })).status).toBe(404)
    } finally {
      await preview.close()
    }
  })
})

describe('the real amanat command', () => {
  it('runs as a process: --help lists every command', () => {
    const result = spawnSync(process.execPath, [BIN, '--help'], { encoding: 'utf8' })
    expect(result.status).toBe(0)
    for (const command of COMMANDS) expect(result.stdout).toContain(`  ${command.name} `)
  })

  it('demo --no-serve builds the demo and the bundles and starts nothing', async () => {
    const temp = tempDir('demo-no-serve')
    try {
      const { stdout } = await amanatOk(['demo', '--dir', temp.dir, '--respondents', '5', '--no-serve'])
      expect(stdout[0]).toBe(`demo workspace: ${join(temp.dir, 'workspace')}`)
      expect(stdout.some((l) => l.startsWith('intake server:') || l.startsWith('invite link:'))).toBe(false)
      expect(existsSync(REPO_PATHS.intakeServerBundle)).toBe(true)
      expect(existsSync(join(REPO_PATHS.pageDist, 'manifest.json'))).toBe(true)
    } finally {
      temp.cleanup()
    }
  })

  it('demo never removes a folder it did not make, even with --reset', async () => {
    const temp = tempDir('demo-not-ours')
    try {
      writeFileSync(join(temp.dir, 'notes.txt'), 'an analyst\'s own file')
      for (const extra of [[], ['--reset']]) {
        const { code, terminal } = await amanat(['demo', '--dir', temp.dir, '--respondents', '5', '--no-serve', ...extra])
        expect(code).toBe(1)
        expect(terminal.stderr.at(-1)).toMatch(/^amanat: demo\.not_a_demo: /)
        expect(readFileSync(join(temp.dir, 'notes.txt'), 'utf8')).toBe('an analyst\'s own file')
      }
    } finally {
      temp.cleanup()
    }
  })

  it('demo refuses to run twice on one folder, and started again after it was killed while loading starts over, not with half a study', async () => {
    const temp = tempDir('demo-killed')
    try {
      // A study far too large to finish: killed once its workspace exists and its log has grown.
      const child = spawn(process.execPath, [BIN, 'demo', '--dir', temp.dir, '--respondents', '200000', '--no-serve'], { stdio: 'ignore' })
      const exited = new Promise((resolve) => child.once('exit', resolve))
      onTestFinished(() => {
        child.kill('SIGKILL')
      })
      const store = join(temp.dir, 'workspace', 'workspace.db')
      const started = Date.now()
      while (!(existsSync(store) && existsSync(`${store}-wal`) && statSync(`${store}-wal`).size > 4 * 1024 * 1024)) {
        if (Date.now() - started > 120_000) throw new Error('the demo did not start loading')
        await new Promise((resolve) => setTimeout(resolve, 100))
      }
      // A second demo on the same folder meanwhile (another terminal) is refused, and leaves it be.
      const second = await amanat(['demo', '--dir', temp.dir, '--respondents', '5', '--no-serve'])
      expect(second.code).toBe(1)
      expect(second.terminal.stderr.at(-1)).toMatch(/^amanat: demo\.busy: Another amanat demo \(process \d+\) is using /)
      expect(existsSync(store)).toBe(true)
      child.kill('SIGKILL')
      await exited
      // The killed demo's lock is taken over; its half-loaded study is made again.
      const { stdout } = await amanatOk(['demo', '--dir', temp.dir, '--respondents', '5', '--no-serve'])
      expect(stdout[1]).toMatch(/^respondents: 5 in /)
      // And once finished, it is reused as it is.
      const again = await amanat(['demo', '--dir', temp.dir, '--respondents', '7', '--no-serve'])
      expect(again.terminal.stdout[1]).toMatch(/^respondents: 5 in /)
    } finally {
      temp.cleanup()
    }
  })

  it('demo serves the default questionnaire with an invite, and pull brings a submitted testimony into the demo workspace', async () => {
    const temp = tempDir('demo-serve')
    const child = spawn(process.execPath, [BIN, 'demo', '--dir', temp.dir, '--respondents', '5', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] })
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    try {
      const lines: string[] = []
      const ready = new Promise<void>((resolve, reject) => {
        createInterface({ input: child.stdout }).on('line', (line) => {
          lines.push(line)
          if (line.startsWith('invite link: ')) resolve()
        })
        void exited.then((code) => reject(new Error(`demo exited ${String(code)}`)))
      })
      await ready
      const url = lines.find((l) => l.startsWith('intake server: '))?.slice('intake server: '.length) ?? ''
      const link = lines.find((l) => l.startsWith('invite link: '))?.slice('invite link: '.length) ?? ''
      expect(link.startsWith(`${url}/#q=amanat-default&t=`)).toBe(true)

      // What the page does: fetch the signed questionnaire, seal to its recipients, post.
      const signed = (await (await fetch(`${url}/q/amanat-default`)).json()) as { document: { recipients: string[] } }
      const story = `submitted to the demo ${marker()}`
      await postSubmission(url, tokenOf(link), await sealSubmission(defaultSubmission(questionnaire, story), signed.document.recipients))

      const passphrase = readFileSync(join(temp.dir, 'demo-passphrase.txt'), 'utf8').trim()
      const pulled = await amanatOk(['pull', '--workspace', join(temp.dir, 'workspace'), '--server', url], { AMANAT_PASSPHRASE: passphrase })
      expect(pulled.stdout[0]).toBe('imported: 1 (attachments: 0)')
    } finally {
      child.kill('SIGINT')
      expect(await exited).toBe(0)
      temp.cleanup()
    }
  })
})
