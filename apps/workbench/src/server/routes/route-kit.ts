import type { SearchIndex } from '@amanat/search'
import { z } from 'zod'
import type { IntakeSession } from '../../intake/intake-session.ts'
import type { TestimonyRef } from '../../service/records.ts'
import type { WorkbenchSession } from '../../service/session.ts'
import type { Vault } from '../../vault/vault.ts'
import { parseWith } from '../api-errors.ts'

/**
 * What every data route shares. The routes are thin HTTP wrappers around the workbench service
 * (apps/workbench/src/service), which checks every record against the domain schemas and the
 * codebook and writes it as an event by the chosen analyst; a route parses the request at the edge
 * (path ids, query parameters, the shape of a body), hands it on, and never touches the store.
 */

/** What a data route works with: the analyst's service session, the search index, the intake session, the vault. */
export interface Work {
  readonly service: WorkbenchSession
  readonly search: () => SearchIndex
  readonly intake: IntakeSession
  readonly vault: Vault
}

const Id = z.string().regex(/^[0-9a-z]{26}$/, { error: 'expected an id' })
const Ref = z.object({ respondentId: Id, testimonyId: Id })

/** A record id from the path; input `request.invalid` otherwise. */
export function pathId(value: string | undefined): string {
  return parseWith(Id, value)
}

const Version = z
  .string()
  .regex(/^\d{1,15}$/, { error: 'expected a version number' })
  .transform(Number)
  .optional()

/** The version a change in a request body was made from (the reader's `versions`; service/coding.ts, EditOf). */
export const BodyVersion = z.number().int().nonnegative()

/** The `?version=` of a removal: the version of the record it was asked from (service/coding.ts, EditOf). */
export function queryVersion(value: string | undefined): number | undefined {
  return parseWith(Version, value)
}

/** The testimony a `/testimonies/:respondentId/:testimonyId/…` path names. */
export function pathRef(params: Readonly<Record<string, string>>): TestimonyRef {
  return parseWith(Ref, params)
}

/** A coding form's body: an object; its fields are the service's to check (it parses the whole record). */
export const Draft = z.looseObject({})
