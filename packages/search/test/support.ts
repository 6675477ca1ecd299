import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { deriveWorkspaceKeys, newKdfParams, openStore, type WorkspaceKeys, type WorkspaceStore } from '@amanat/database'
import { parseCodebook, type Codebook } from '@amanat/domain'
import { generateStudy } from '@amanat/synthetic'
import { afterAll } from 'vitest'
import { openSearchIndex, searchIndexKey, type SearchIndex } from '../src/index.ts'

/** The project's default codebook, parsed once. */
export const CODEBOOK: Codebook = parseCodebook(
  readFileSync(fileURLToPath(new URL('../../domain/codebook/default.yaml', import.meta.url)), 'utf8'),
  'default.yaml',
)

let keys: WorkspaceKeys | undefined

/** Test-only workspace keys (cheap scrypt), derived once per file. */
export async function testKeys(): Promise<WorkspaceKeys> {
  keys ??= await deriveWorkspaceKeys('search test passphrase', newKdfParams({ testOnly: true }))
  return keys
}

/** A workspace store in a fresh temp folder and a search index beside it, both closed when the file is done. */
export interface Fixture {
  readonly dir: string
  readonly store: WorkspaceStore
  readonly index: SearchIndex
  readonly indexFile: string
  /** Opens the index again (after `index.close()`), as a new process would. */
  reopen(): SearchIndex
}

const cleanups: (() => Promise<void>)[] = []
afterAll(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

export async function fixture(): Promise<Fixture> {
  const dir = mkdtempSync(join(tmpdir(), 'amanat-search-'))
  const k = await testKeys()
  const store = await openStore({ dialect: 'sqlite', file: join(dir, 'workspace.db'), storeKey: k.storeKey, subjectKek: k.subjectKek, create: true })
  const indexFile = join(dir, 'search.db')
  const open = () => openSearchIndex({ file: indexFile, key: searchIndexKey(k.storeKey), store })
  const opened: SearchIndex[] = [open()]
  cleanups.push(async () => {
    for (const index of opened) {
      try {
        index.close()
      } catch {
        // already closed by the test
      }
    }
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })
  return {
    dir,
    store,
    index: opened[0] as SearchIndex,
    indexFile,
    reopen: () => {
      const index = open()
      opened.push(index)
      return index
    },
  }
}

/** Appends a seeded synthetic study of `respondents` to the store, in batches. */
export async function loadStudy(store: WorkspaceStore, respondents: number, seed = 'search-tests'): Promise<void> {
  let batch = []
  for (const body of generateStudy({ seed, respondents, codebook: CODEBOOK })) {
    batch.push(body)
    if (batch.length === 1000) {
      await store.appendBatch('system', batch)
      batch = []
    }
  }
  await store.appendBatch('system', batch)
}

/**
 * A synthetic account (respondent, testimony, incidents) whose testimony text is replaced by
 * `text`: the seed makes its ids distinct from every other account's.
 */
export function accountWith(seed: string, text: string, language = 'en') {
  const [body] = generateStudy({ seed, respondents: 1, codebook: CODEBOOK })
  if (body === undefined) throw new Error('the synthetic study gave no account')
  return {
    ...body,
    testimony: { ...body.testimony, narratives: [{ language, text }], translation: null, answers: {} },
    incidents: body.incidents.map((incident) => ({ ...incident, note: null })),
    relatives: body.relatives.map((relative) => ({ ...relative, note: null })),
    identifiers: [],
  }
}
