import { AnalystId, AnalystProfile, codebookRef, inputError, newId, type Codebook } from '@amanat/domain'
import type { WorkspaceStore } from '@amanat/database'
import { latestAdoption, latestAdoptionSeq } from '../workspace/current-codebook.ts'
import { serialised } from './serialised.ts'
import type { Workspace } from '../workspace/workspace.ts'

/**
 * What every service call works in: the open store, the analyst profile the work is recorded
 * under (the author of every event: a label, not an account, DESIGN.md "Analysts") and the
 * workspace's current codebook (the latest `codebook.adopted`, which a recode moves on).
 *
 * One session is used by one UI at a time; its writes go through the store, which serialises them.
 */
export class WorkbenchSession {
  readonly store: WorkspaceStore
  #analyst: AnalystProfile
  #codebook: Codebook
  /** The seq of the `codebook.adopted` that {@link codebook} came from. */
  #adoptedAt: number

  private constructor(store: WorkspaceStore, analyst: AnalystProfile, adoption: { seq: number; codebook: Codebook }) {
    this.store = store
    this.#analyst = analyst
    this.#codebook = adoption.codebook
    this.#adoptedAt = adoption.seq
  }

  /**
   * Opens a session over `store`, working as the analyst profile `analystId`.
   *
   * @throws AmanatError input `analyst.unknown` when the workspace has no such profile; integrity
   *   `workspace.codebook_missing` when no codebook was ever adopted.
   */
  static async open(store: WorkspaceStore, analystId: string): Promise<WorkbenchSession> {
    const analyst = await findAnalyst(store, analystId)
    return new WorkbenchSession(store, analyst, await latestAdoption(store))
  }

  /** The analyst every event of this session is recorded under. */
  get analyst(): AnalystProfile {
    return this.#analyst
  }

  /** The codebook codings are checked against and recorded with. */
  get codebook(): Codebook {
    return this.#codebook
  }

  /** `id@version` of {@link codebook}, as incidents record it. */
  get codebookRef(): string {
    return codebookRef(this.#codebook)
  }

  /** Works as another existing analyst profile from now on (throws input `analyst.unknown`). */
  async useAnalyst(analystId: string): Promise<void> {
    this.#analyst = await findAnalyst(this.store, analystId)
  }

  /** Called by a recode once its `codebook.adopted` (at `seq`) is stored. */
  adopted(codebook: Codebook, seq: number): void {
    this.#codebook = codebook
    this.#adoptedAt = seq
  }

  /**
   * Takes up a codebook adopted since this session read its own: by a recode in another process
   * on the same store (a team's PostgreSQL workspace, a second workbench). Called before each
   * request, so coding is checked against and recorded under the version in force, not the one
   * the session started with. One indexed lookup when nothing changed.
   */
  async refresh(): Promise<void> {
    if ((await latestAdoptionSeq(this.store)) === this.#adoptedAt) return
    const adoption = await latestAdoption(this.store)
    this.#codebook = adoption.codebook
    this.#adoptedAt = adoption.seq
  }

  #recoding = false

  /**
   * Claims the workspace for a recode, which runs over every incident in steps; returns the
   * release. A second recode meanwhile (another tab, a second press) would adopt the same version
   * again and record every incident twice over: it is refused with input `recode.running`.
   */
  beginRecode(): () => void {
    if (this.#recoding)
      throw inputError(
        'recode.running',
        'A recode is already running in this workspace; wait for it to finish.',
      )
    this.#recoding = true
    return () => {
      this.#recoding = false
    }
  }
}

/** A session over an open workspace, as the analyst profile workspace.json names (or `analystId`). */
export function sessionFor(
  workspace: Workspace,
  analystId: string = workspace.analyst.id,
): Promise<WorkbenchSession> {
  return WorkbenchSession.open(workspace.store, analystId)
}

/** Every analyst profile of the workspace, by label. */
export async function listAnalysts(session: WorkbenchSession): Promise<readonly AnalystProfile[]> {
  const rows = await session.store.db
    .selectFrom('analysts')
    .select(['id', 'label'])
    .orderBy('label')
    .orderBy('id')
    .execute()
  return rows.map((row) => AnalystProfile.parse(row))
}

/**
 * Adds an analyst profile (`analyst.added`, written by the session's analyst). Labels are unique
 * in a workspace, ignoring case: history shows labels, and two alike would be indistinguishable.
 *
 * @throws AmanatError input `input.invalid` for an empty or over-long label, `analyst.exists` for a taken one.
 */
export async function addAnalyst(session: WorkbenchSession, label: string): Promise<AnalystProfile> {
  const parsed = AnalystProfile.shape.label.safeParse(label)
  if (!parsed.success) throw inputError('input.invalid', 'An analyst label is 1 to 60 characters.')
  // Serialised: two adds at once (a double press, two tabs) would both find the label free.
  return serialised(session, async () => {
    const taken = (await listAnalysts(session)).some(
      (a) => a.label.toLowerCase() === parsed.data.toLowerCase(),
    )
    if (taken)
      throw inputError(
        'analyst.exists',
        `There is already an analyst profile called ${JSON.stringify(parsed.data)}.`,
      )
    const analyst: AnalystProfile = { id: newId(AnalystId), label: parsed.data }
    await session.store.append(session.analyst.id, { kind: 'analyst.added', analyst })
    return analyst
  })
}

async function findAnalyst(store: WorkspaceStore, analystId: string): Promise<AnalystProfile> {
  const row = await store.db
    .selectFrom('analysts')
    .select(['id', 'label'])
    .where('id', '=', analystId)
    .executeTakeFirst()
  if (row === undefined) throw inputError('analyst.unknown', 'This workspace has no such analyst profile.')
  return AnalystProfile.parse(row)
}
