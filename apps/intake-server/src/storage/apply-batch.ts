import { sql, type Kysely } from 'kysely'
import { randomId } from '../random-id.ts'
import { chainHash, EMPTY_CHAIN, sha256Hex, type ChainHead, type ChainLink } from './chain.ts'
import type { ChunkWrite, IntakeOutcome, IntakeWrite, StoreLimits, SubmissionWrite } from './intake-store.ts'
import type { InviteUse, InviteUses } from './invite-uses.ts'
import type { ChainTable, IntakeTables } from './tables.ts'

/**
 * The decisions of one group commit, made inside its transaction so that the state of every
 * invite is read and changed atomically (and, on PostgreSQL, under a lock that serialises the
 * server processes). Reads are batched (one query per table, not per write) to keep the cost per
 * submission small. Dialect-neutral: the caller has begun the transaction.
 */

type Db = Kysely<IntakeTables>

interface InviteState {
  readonly questionnaireId: string
  readonly valid: boolean
  readonly counts: Set<number>
  submissionId: string | null
  submissionHash: string | null
  quarantined: number
  /** True when the use row changed in this batch and must be written. */
  dirty: boolean
  uploads: number
}

interface UploadState {
  readonly tokenHash: string
  readonly count: number
  readonly have: Set<number>
  readonly isNew: boolean
  complete: boolean
}

/** Reads the chain's last entry; the empty head for an empty chain. */
export async function readChainHead(db: Db): Promise<ChainHead> {
  const row = await db.selectFrom('chain').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst()
  return row === undefined ? EMPTY_CHAIN : { seq: Number(row.seq), hash: row.hash }
}

/** Appends links to the chain in memory, returning the rows to insert and the new head. */
export class ChainAppender {
  readonly rows: ChainTable[] = []
  #head: ChainHead

  constructor(head: ChainHead) {
    this.#head = head
  }

  /** Adds an entry after the current head and returns its seq. */
  append(kind: ChainLink['kind'], itemId: string, itemHash: string, day: string, deletedIds: string | null = null): number {
    const link: ChainLink = { seq: this.#head.seq + 1, kind, itemId, itemHash, day, prevHash: this.#head.hash }
    const hash = chainHash(link)
    this.rows.push({
      seq: link.seq,
      kind,
      item_id: itemId,
      item_hash: itemHash,
      day,
      prev_hash: link.prevHash,
      hash,
      deleted_ids: deletedIds,
    })
    this.#head = { seq: link.seq, hash }
    return link.seq
  }

  async insert(db: Db): Promise<void> {
    if (this.rows.length > 0) await db.insertInto('chain').values(this.rows).execute()
  }
}

async function readInvites(db: Db, tokenHashes: string[], day: string, inviteUses: InviteUses): Promise<Map<string, InviteState>> {
  const states = new Map<string, InviteState>()
  if (tokenHashes.length === 0) return states
  const rows = await db
    .selectFrom('invites')
    .select(['token_hash as tokenHash', 'questionnaire_id as questionnaireId', 'expires_on as expiresOn', 'revoked'])
    .where('token_hash', 'in', tokenHashes)
    .execute()
  if (rows.length === 0) return states
  const questionnaireIds = [...new Set(rows.map((row) => row.questionnaireId))]
  const counts = await db
    .selectFrom('recipient_counts')
    .select(['questionnaire_id', 'recipients'])
    .where('questionnaire_id', 'in', questionnaireIds)
    .execute()
  const uses = await inviteUses.read(db, rows.map((row) => row.tokenHash))
  for (const row of rows) {
    const use = uses.get(row.tokenHash)
    states.set(row.tokenHash, {
      questionnaireId: row.questionnaireId,
      valid: Number(row.revoked) === 0 && row.expiresOn >= day,
      counts: new Set(counts.filter((c) => c.questionnaire_id === row.questionnaireId).map((c) => Number(c.recipients))),
      submissionId: use?.submissionId ?? null,
      submissionHash: use?.submissionHash ?? null,
      quarantined: use?.quarantined ?? 0,
      dirty: false,
      uploads: 0,
    })
  }
  return states
}

async function readQuarantineKeys(db: Db, tokenHashes: string[]): Promise<Set<string>> {
  const keys = new Set<string>()
  if (tokenHashes.length === 0) return keys
  const rows = await db
    .selectFrom('quarantine_keys')
    .select(['token_hash', 'client_id', 'body_hash'])
    .where('token_hash', 'in', tokenHashes)
    .execute()
  for (const row of rows) keys.add(`${row.token_hash} ${row.client_id} ${row.body_hash}`)
  return keys
}

async function readUploads(db: Db, uploadIds: string[]): Promise<Map<string, UploadState>> {
  const uploads = new Map<string, UploadState>()
  if (uploadIds.length === 0) return uploads
  const rows = await db
    .selectFrom('uploads')
    .select(['upload_id', 'token_hash', 'chunk_count', 'seq'])
    .where('upload_id', 'in', uploadIds)
    .execute()
  if (rows.length === 0) return uploads
  const chunks = await db
    .selectFrom('chunks')
    .select(['upload_id', 'idx'])
    .where('upload_id', 'in', rows.map((row) => row.upload_id))
    .execute()
  for (const row of rows) {
    uploads.set(row.upload_id, {
      tokenHash: row.token_hash,
      count: Number(row.chunk_count),
      have: new Set(chunks.filter((c) => c.upload_id === row.upload_id).map((c) => Number(c.idx))),
      isNew: false,
      complete: row.seq !== null,
    })
  }
  return uploads
}

async function countUploads(db: Db, tokenHashes: string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>()
  if (tokenHashes.length === 0) return counts
  const rows = await db
    .selectFrom('uploads')
    .select(['token_hash', sql<number>`cast(count(*) as integer)`.as('n')])
    .where('token_hash', 'in', tokenHashes)
    .groupBy('token_hash')
    .execute()
  for (const row of rows) counts.set(row.token_hash, Number(row.n))
  return counts
}

const unique = <T>(values: Iterable<T>): T[] => [...new Set(values)]

/** What a batch needs from its store beyond the transaction. */
export interface BatchHooks {
  readonly inviteUses: InviteUses
  /** Takes what may change in memory only once the transaction has committed. */
  readonly onCommit: (change: () => void) => void
  /** Hears the id and seq of every item written (before the commit). */
  readonly stored?: (items: readonly { readonly id: string; readonly seq: number }[]) => void
}

/**
 * Decides and writes one batch inside an open transaction. Returns one outcome per write. Every
 * batch also rewrites one `meta` row, so every commit is a write that is flushed: a batch holding
 * only discarded writes costs the same fsync as one holding stored ones, and its answers leave
 * after the same wait (T16: timing must not tell invite states apart).
 */
export async function applyBatchIn(
  db: Db,
  writes: readonly IntakeWrite[],
  day: string,
  limits: StoreLimits,
  hooks: BatchHooks,
): Promise<IntakeOutcome[]> {
  const submissions = writes.filter((w): w is SubmissionWrite => w.kind === 'submission')
  const chunkWrites = writes.filter((w): w is ChunkWrite => w.kind === 'chunk')
  const invites = await readInvites(db, unique([...submissions, ...chunkWrites].map((w) => w.tokenHash)), day, hooks.inviteUses)

  const quarantineKeys = await readQuarantineKeys(
    db,
    unique(submissions.map((w) => w.tokenHash)).filter((hash) => (invites.get(hash)?.quarantined ?? 0) > 0),
  )
  const validChunks = chunkWrites.filter((w) => invites.get(w.tokenHash)?.valid === true)
  const uploads = await readUploads(db, unique(validChunks.map((w) => w.uploadId)))
  const uploadCounts = await countUploads(db, unique(validChunks.map((w) => w.tokenHash)))
  for (const [hash, n] of uploadCounts) {
    const state = invites.get(hash)
    if (state !== undefined) state.uploads = n
  }

  const chain = new ChainAppender(await readChainHead(db))
  const items: IntakeTables['items'][] = []
  const newQuarantineKeys: IntakeTables['quarantine_keys'][] = []
  const newChunks: IntakeTables['chunks'][] = []
  const completed: string[] = []

  const quarantine = (w: SubmissionWrite, state: InviteState): IntakeOutcome => {
    const key = `${w.tokenHash} ${w.clientId} ${w.bodyHash}`
    if (quarantineKeys.has(key)) return 'repeated'
    if (state.quarantined >= limits.quarantinePerInvite) return 'discarded'
    quarantineKeys.add(key)
    newQuarantineKeys.push({ token_hash: w.tokenHash, client_id: w.clientId, body_hash: w.bodyHash })
    state.quarantined += 1
    state.dirty = true
    const id = randomId()
    const seq = chain.append('quarantine', id, w.bodyHash, day)
    items.push({ id, seq, kind: 'quarantine', token_hash: w.tokenHash, client_id: w.clientId, body: w.body, body_hash: w.bodyHash, day })
    return 'quarantined'
  }

  const decideSubmission = (w: SubmissionWrite): IntakeOutcome => {
    const state = invites.get(w.tokenHash)
    if (state === undefined || !state.valid) return 'discarded'
    // A count this questionnaire never had (but another one did, or the route would have refused
    // it): kept aside rather than refused, since refusing only here would tell a real invite
    // from a forged one.
    if (!state.counts.has(w.recipients)) return quarantine(w, state)
    if (state.submissionId === null) {
      state.submissionId = w.clientId
      state.submissionHash = w.bodyHash
      state.dirty = true
      const id = randomId()
      const seq = chain.append('submission', id, w.bodyHash, day)
      items.push({ id, seq, kind: 'submission', token_hash: w.tokenHash, client_id: w.clientId, body: w.body, body_hash: w.bodyHash, day })
      return 'stored'
    }
    if (state.submissionId === w.clientId && state.submissionHash === w.bodyHash) return 'repeated'
    return quarantine(w, state)
  }

  const decideChunk = (w: ChunkWrite): IntakeOutcome => {
    const state = invites.get(w.tokenHash)
    if (state === undefined || !state.valid) return 'discarded'
    let upload = uploads.get(w.uploadId)
    if (upload === undefined) {
      if (state.uploads >= limits.uploadsPerInvite) return 'discarded'
      state.uploads += 1
      upload = { tokenHash: w.tokenHash, count: w.count, have: new Set(), isNew: true, complete: false }
      uploads.set(w.uploadId, upload)
    }
    // An upload id belongs to the invite that started it, with the chunk count it started with.
    if (upload.tokenHash !== w.tokenHash || upload.count !== w.count) return 'discarded'
    if (upload.have.has(w.index)) return 'repeated'
    upload.have.add(w.index)
    newChunks.push({ upload_id: w.uploadId, idx: w.index, body: w.body })
    if (upload.have.size === upload.count) {
      upload.complete = true
      completed.push(w.uploadId)
    }
    return 'stored'
  }

  const outcomes = writes.map((w): IntakeOutcome => {
    switch (w.kind) {
      case 'submission':
        return decideSubmission(w)
      case 'chunk':
        return decideChunk(w)
      case 'barrier':
        return 'discarded'
    }
  })

  const newUploads = [...uploads.entries()].filter(([, u]) => u.isNew && u.have.size > 0)
  if (newUploads.length > 0) {
    await db
      .insertInto('uploads')
      .values(newUploads.map(([id, u]) => ({ upload_id: id, token_hash: u.tokenHash, chunk_count: u.count, day, seq: null })))
      .execute()
  }
  for (const row of newChunks) await db.insertInto('chunks').values(row).execute()
  for (const uploadId of completed) {
    const hash = await uploadHash(db, uploadId)
    const seq = chain.append('upload', uploadId, hash, day)
    await db.updateTable('uploads').set({ seq }).where('upload_id', '=', uploadId).execute()
  }
  if (items.length > 0) {
    await db.insertInto('items').values(items).execute()
    hooks.stored?.(items)
  }
  if (newQuarantineKeys.length > 0) await db.insertInto('quarantine_keys').values(newQuarantineKeys).execute()
  const uses = new Map<string, InviteUse>()
  for (const [hash, state] of invites) {
    if (state.dirty) uses.set(hash, { submissionId: state.submissionId, submissionHash: state.submissionHash, quarantined: state.quarantined })
  }
  await hooks.inviteUses.write(db, uses, hooks.onCommit)
  await chain.insert(db)
  await db
    .insertInto('meta')
    .values({ key: 'last_batch_day', value: day })
    .onConflict((oc) => oc.column('key').doUpdateSet({ value: day }))
    .execute()
  return outcomes
}

/** SHA-256 of an upload's chunks joined in order, read back from the open transaction. */
export async function uploadHash(db: Db, uploadId: string): Promise<string> {
  const rows = await db.selectFrom('chunks').select('body').where('upload_id', '=', uploadId).orderBy('idx').execute()
  return sha256Hex(Buffer.concat(rows.map((row) => row.body)))
}
