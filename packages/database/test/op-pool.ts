import fc from 'fast-check'
import type { WorkspaceEventInput } from '../src/store.ts'
import { BodyBuilder } from './support.ts'

/**
 * A small pool of respondents and the operations tests apply to them in any order: imports that
 * replace earlier ones, recordings and removals of the same ids (cross-dialect.test.ts,
 * prepared-event.test.ts).
 */
export interface Pool {
  readonly respondents: {
    id: string
    testimonies: string[]
    incidents: string[]
    relatives: string[]
    identifiers: string[]
  }[]
}

export function makePool(): Pool {
  const b = new BodyBuilder('pool')
  return {
    respondents: Array.from({ length: 3 }, () => ({
      id: b.id(),
      testimonies: [b.id(), b.id()],
      incidents: Array.from({ length: 4 }, () => b.id()),
      relatives: [b.id(), b.id()],
      identifiers: [b.id(), b.id()],
    })),
  }
}

export type Op =
  | { kind: 'import'; r: number; t: number; incidents: number[]; relatives: number[]; identifiers: number[] }
  | { kind: 'incident'; r: number; t: number; i: number; note: string | null }
  | { kind: 'removeIncident'; r: number; i: number }
  | { kind: 'relative'; r: number; i: number }
  | { kind: 'removeRelative'; r: number; i: number }
  | { kind: 'identifier'; r: number; i: number; links: number[] }
  | { kind: 'removeIdentifier'; r: number; i: number }
  | { kind: 'respondent'; r: number; occupation: string | null }

const index = (n: number) => fc.integer({ min: 0, max: n - 1 })
const subset = (n: number) => fc.uniqueArray(index(n), { maxLength: n })
export const opArb: fc.Arbitrary<Op> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('import' as const),
      r: index(3),
      t: index(2),
      incidents: subset(4),
      relatives: subset(2),
      identifiers: subset(2),
    }),
  },
  fc.record({
    kind: fc.constant('incident' as const),
    r: index(3),
    t: index(2),
    i: index(4),
    note: fc.option(fc.constantFrom('one', 'two'), { nil: null }),
  }),
  fc.record({ kind: fc.constant('removeIncident' as const), r: index(3), i: index(4) }),
  fc.record({ kind: fc.constant('relative' as const), r: index(3), i: index(2) }),
  fc.record({ kind: fc.constant('removeRelative' as const), r: index(3), i: index(2) }),
  fc.record({ kind: fc.constant('identifier' as const), r: index(3), i: index(2), links: subset(4) }),
  fc.record({ kind: fc.constant('removeIdentifier' as const), r: index(3), i: index(2) }),
  fc.record({
    kind: fc.constant('respondent' as const),
    r: index(3),
    occupation: fc.option(fc.constantFrom('teacher', 'driver'), { nil: null }),
  }),
)

export function bodyOf(pool: Pool, op: Op): WorkspaceEventInput {
  const p = pool.respondents[op.r]
  if (p === undefined) throw new Error('pool')
  const base = new BodyBuilder(`${p.id}`).account({ respondentId: p.id, testimonyId: p.testimonies[0] ?? '' })
  const respondent = { ...base.respondent }
  const incident = (i: number, t: number) => {
    const template = base.incidents[1] ?? base.incidents[0]
    if (template === undefined) throw new Error('fixture')
    return { ...template, id: p.incidents[i] ?? '', testimonyId: p.testimonies[t] ?? '' }
  }
  const relative = (i: number) => ({ ...(base.relatives[0] ?? ({} as never)), id: p.relatives[i] ?? '' })
  const identifier = (i: number, links: number[]) => ({
    ...(base.identifiers[0] ?? ({} as never)),
    id: p.identifiers[i] ?? '',
    incidentIds: links.map((l) => p.incidents[l] ?? ''),
  })
  switch (op.kind) {
    case 'import':
      return {
        ...base,
        testimony: { ...base.testimony, id: p.testimonies[op.t] ?? '' },
        incidents: op.incidents.map((i) => incident(i, op.t)),
        relatives: op.relatives.map(relative),
        identifiers: op.identifiers.map((i) => identifier(i, op.incidents.slice(0, 1))),
      }
    case 'incident':
      return { kind: 'incident.recorded', incident: { ...incident(op.i, op.t), note: op.note } }
    case 'removeIncident':
      return { kind: 'incident.removed', respondentId: p.id, incidentId: p.incidents[op.i] ?? '' }
    case 'relative':
      return { kind: 'relative.recorded', relative: relative(op.i) }
    case 'removeRelative':
      return { kind: 'relative.removed', respondentId: p.id, relativeId: p.relatives[op.i] ?? '' }
    case 'identifier':
      return { kind: 'identifier.recorded', identifier: identifier(op.i, op.links) }
    case 'removeIdentifier':
      return { kind: 'identifier.removed', respondentId: p.id, identifierId: p.identifiers[op.i] ?? '' }
    case 'respondent':
      return { kind: 'respondent.recorded', respondent: { ...respondent, occupation: op.occupation } }
  }
}

