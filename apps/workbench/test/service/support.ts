import { AnalystId, newId, type AnalystProfile } from '@amanat/domain'
import { generateStudy } from '@amanat/synthetic'
import { freshStore, type Dialect, type TestStore } from '../../../../packages/database/test/setup.ts'
import { WorkbenchSession } from '../../src/service/index.ts'
import { readCodebook } from '../../src/workspace/codebook-file.ts'

export { RUNNABLE_DIALECTS } from '../../../../packages/database/test/setup.ts'

/** A store with two analyst profiles, the default codebook and a synthetic study, and a session as the first analyst. */
export interface ServiceFixture {
  readonly t: TestStore
  readonly session: WorkbenchSession
  readonly first: AnalystProfile
  readonly second: AnalystProfile
  /** A session over the same store as the second analyst. */
  readonly other: WorkbenchSession
}

export async function serviceFixture(
  dialect: Dialect,
  respondents: number,
  seed = 'service-tests',
): Promise<ServiceFixture> {
  const t = await freshStore(dialect)
  const codebook = readCodebook()
  const first: AnalystProfile = { id: newId(AnalystId), label: 'Coder One' }
  const second: AnalystProfile = { id: newId(AnalystId), label: 'Coder Two' }
  await t.store.appendBatch('system', [
    { kind: 'workspace.created', name: 'service tests' },
    { kind: 'analyst.added', analyst: first },
    { kind: 'analyst.added', analyst: second },
    { kind: 'codebook.adopted', codebook },
  ])
  await t.store.appendBatch(first.id, [...generateStudy({ seed, respondents, codebook })])
  return {
    t,
    first,
    second,
    session: await WorkbenchSession.open(t.store, first.id),
    other: await WorkbenchSession.open(t.store, second.id),
  }
}
