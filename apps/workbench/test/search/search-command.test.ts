import { describe, expect, it } from 'vitest'
import { amanat, anyFileContains, PASSPHRASES } from '../support.ts'
import { createTestWorkspace } from '../support/workspace.ts'

/** A test workspace holding a small synthetic study and one testimony with a known Uyghur and Chinese text. */
async function workspaceWithTestimonies(): Promise<string> {
  return createTestWorkspace({
    respondents: 12,
    seed: 'cli-search',
    edit: ([first, ...rest]) => {
      if (first === undefined) throw new Error('no synthetic account')
      const narratives = [{ language: 'ug', text: 'ئۇلار قاشتېشىمنى ئېلىپ كەتتى. 我的玉石被没收了。' }]
      return [{ ...first, testimony: { ...first.testimony, narratives, translation: null } }, ...rest]
    },
  })
}

describe('amanat search', () => {
  it('finds a testimony in Uyghur and in Chinese, prints JSON alone on stdout, and keeps the index encrypted', async () => {
    const dir = await workspaceWithTestimonies()
    const uyghur = await amanat(['search', '--workspace', dir, 'قاشتېش', '--json'], PASSPHRASES)
    expect(uyghur.code).toBe(0)
    const results = JSON.parse(uyghur.stdout.join('\n')) as { hits: { snippet: { text: string } }[] }
    expect(results.hits).toHaveLength(1)
    expect(results.hits[0]?.snippet.text).toContain('قاشتېشىمنى')
    const chinese = await amanat(['search', '--workspace', dir, '玉石被'], PASSPHRASES)
    expect(chinese.code).toBe(0)
    expect(chinese.stdout.join('\n')).toContain('[玉石被]')
    expect(anyFileContains(dir, 'قاشتېش')).toBeNull()
    expect(anyFileContains(dir, '玉石')).toBeNull()
  })

  it('applies filters given as options, and refuses a bad one with a usage code', async () => {
    const dir = await workspaceWithTestimonies()
    const none = await amanat(
      ['search', '--workspace', dir, 'قاشتېش', '--year', '1950', '--json'],
      PASSPHRASES,
    )
    expect(JSON.parse(none.stdout.join('\n'))).toEqual({ hits: [], next: null })
    const bad = await amanat(['search', '--workspace', dir, 'قاشتېش', '--year', 'last year'], PASSPHRASES)
    expect(bad.code).toBe(2)
    expect(bad.stderr.join('\n')).toMatch(/^amanat: usage\.bad_year: /m)
    const empty = await amanat(['search', '--workspace', dir, '...'], PASSPHRASES)
    expect(empty.code).toBe(2)
    expect(empty.stderr.join('\n')).toMatch(/^amanat: search\.empty_query: /m)
  })
})
