import { createHash } from 'node:crypto'
import { wipePrepared, type PreparedEvent, type WorkspaceEventInput } from '@amanat/database'
import {
  AmanatError,
  INTAKE_CHAIN_GENESIS,
  inputError,
  type AttachmentRef,
  type IntakeChainEntry,
  type IntakeCheckpoint,
  type PulledItem,
  type SetAsideReason,
} from '@amanat/domain'
import { ChainReader } from './chain-reader.ts'
import type { IntakeSession } from './intake-session.ts'
import { lastPull, publications } from './intake-log.ts'
import { createNativeOpener } from './native-opener.ts'
import { defaultPoolSize, inlinePool, startProcessorPool, type ProcessorPool } from './processor-pool.ts'
import type { IntakeServerClient } from './server-client.ts'
import type { ProcessedSubmission, ProcessorSetup, PublishedQuestionnaire } from './submission-processor.ts'
import { currentCodebook, heldCodebooks } from '../workspace/current-codebook.ts'

/**
 * `amanat pull` (docs/intake-protocol.md §4): reads the server's chain forward from the checkpoint
 * the workspace holds, checks every item against its chain entry, opens and maps the submissions,
 * and records them segment by segment — each segment's testimonies, attachments, set-aside items
 * and the new checkpoint in one `appendBatch`, so a crash never leaves half an import — and only
 * then asks the server to delete what the workspace now holds.
 */

/** Reasons that are evidence of tampering or of a swapped key, not just a bad submission. */
export const FLAGGED_REASONS: ReadonlySet<SetAsideReason> = new Set<SetAsideReason>([
  'hash_mismatch',
  'not_in_chain',
  'missing',
  'recipients_mismatch',
  'undecryptable',
  'backup_cannot_open',
  'attachment_failed',
])

export interface PullOptions {
  readonly session: IntakeSession
  readonly client: IntakeServerClient
  /** The offline backup identity: when given, every submission must open with it too (T17). */
  readonly backupIdentity?: string | null
  /** Worker threads (0: this thread). Default: this thread for a small pull, one worker per core for a large one. */
  readonly workers?: number
  /** Items per committed segment (default 1,000). */
  readonly segmentSize?: number
  readonly onProgress?: (items: number) => void
}

export interface PullReport {
  readonly server: string
  /** The chain position the workspace now holds. */
  readonly checkpoint: IntakeCheckpoint
  readonly imported: number
  readonly attachments: number
  readonly setAside: Readonly<Partial<Record<SetAsideReason, number>>>
  /** Items set aside for a reason in {@link FLAGGED_REASONS}. */
  readonly flagged: number
  /** Ids the server confirmed it deleted in this pull. */
  readonly deleted: number
  /** True when a deletion request failed; the workspace retries it on the next pull. */
  readonly deletionPending: boolean
  /** Where the server's chain stopped verifying, if it did. Nothing after it was imported. */
  readonly chainBreak: { readonly seq: number; readonly reason: string } | null
}

const DEFAULT_SEGMENT = 1000
/** Below this many items in the first page, starting workers costs more than it saves. */
const POOL_THRESHOLD = 150
const DELETE_BATCH = 10_000

interface OpenUpload {
  readonly id: string
  readonly seq: number
  readonly hash: string
}

type Pending =
  | { readonly kind: 'process'; readonly item: PulledItem; readonly ciphertext: Buffer; readonly result: Promise<ProcessedSubmission> }
  | { readonly kind: 'aside'; readonly itemId: string; readonly seq: number; readonly itemKind: 'submission' | 'quarantine'; readonly reason: SetAsideReason; readonly day: string; readonly tokenHash: string | null; readonly ciphertext: string | null; readonly deletable: boolean }

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex')

/** Reads the server's items in seq order, a page at a time. */
class ItemReader {
  readonly #client: IntakeServerClient
  #after: number
  #buffer: PulledItem[] = []
  #atEnd = false

  constructor(client: IntakeServerClient, after: number) {
    this.#client = client
    this.#after = after
  }

  async next(): Promise<PulledItem | null> {
    while (this.#buffer.length === 0) {
      if (this.#atEnd) return null
      const page = await this.#client.itemsAfter(this.#after)
      if (page.length === 0) {
        this.#atEnd = true
        return null
      }
      this.#buffer = [...page]
      // A server that does not move forward would loop here for ever: stop at its last seq.
      this.#after = Math.max(this.#after + 1, ...page.map((item) => item.seq))
    }
    return this.#buffer.shift() ?? null
  }

  /** How many items are buffered (to size the worker pool from the first page). */
  get buffered(): number {
    return this.#buffer.length
  }
}

/**
 * Pulls everything new from the server into the workspace. See {@link PullReport} for what it
 * tells; integrity findings are reported there, not thrown, so everything that verified is still
 * imported.
 *
 * @throws the server client's errors (a failure before a segment commits leaves that segment for
 *   the next pull); the store's errors.
 */
export async function pullSubmissions(options: PullOptions): Promise<PullReport> {
  const { session, client } = options
  const { workspace } = session
  const store = workspace.store
  const server = client.url
  const segmentSize = options.segmentSize ?? DEFAULT_SEGMENT

  const last = await lastPull(store, server)
  const allPublished = await publications(store)
  // Only the workspace that published holds the keys and questionnaires its submissions need:
  // any other (a colleague's own workspace given the credential) would set every one aside and
  // delete it on the server, and the publishing workspace would then find them missing.
  if (last === null && !allPublished.some((p) => p.server === server)) {
    throw inputError(
      'pull.not_published',
      `This workspace has published no questionnaire to ${server}, so nothing there is for it. Pull from the workspace that published (a team shares one store: amanat init --postgres).`,
    )
  }
  const previous = last?.body ?? null
  // The pull this one follows: each segment names it, and the store takes one successor per pull,
  // so a pull running at the same time from the same start cannot import the same items again.
  let after = last?.seq ?? 0
  let checkpoint: IntakeCheckpoint = previous?.checkpoint ?? { seq: 0, hash: INTAKE_CHAIN_GENESIS }
  let pendingDeletion = new Set(previous?.pendingDeletion ?? [])
  const openUploads = new Map<string, OpenUpload>((previous?.openUploads ?? []).map((u) => [u.id, u]))
  let deleted = 0
  let deletionPending = false
  let bookkeepingChanged = false

  const deleteOnServer = async (ids: readonly string[]): Promise<boolean> => {
    try {
      for (let i = 0; i < ids.length; i += DELETE_BATCH) {
        const result = await client.deleteItems({ ids: ids.slice(i, i + DELETE_BATCH) })
        deleted += result.deleted.length
      }
      return true
    } catch {
      deletionPending = true
      return false
    }
  }

  // Deletions an earlier pull asked for but could not confirm (a crash, the server was down).
  const alreadyDeleted = [...pendingDeletion]
  if (pendingDeletion.size > 0 && (await deleteOnServer(alreadyDeleted))) {
    pendingDeletion = new Set()
    bookkeepingChanged = true
  }

  const published = publishedQuestionnaires(allPublished)
  const setup: ProcessorSetup = {
    identities: [session.analyst.identity],
    backupIdentity: options.backupIdentity ?? null,
    published,
    codebook: await currentCodebook(workspace.store),
    codebooks: Object.fromEntries(await heldCodebooks(workspace.store)),
  }
  const attachmentOpener = createNativeOpener([session.analyst.identity])
  const chain = new ChainReader(client, checkpoint)
  // From the start, not from the checkpoint: an item stored at or below the checkpoint that this
  // workspace did not just ask to delete was put there behind the chain's back.
  const items = new ItemReader(client, 0)
  const skip = new Set(alreadyDeleted)

  let item = await nextItem()
  const workers = options.workers ?? (items.buffered + 1 >= POOL_THRESHOLD ? defaultPoolSize() : 0)
  const pool: ProcessorPool = workers > 0 ? await startProcessorPool(setup, workers) : inlinePool(setup)

  let imported = 0
  let attachmentCount = 0
  let processedItems = 0
  const setAside: Partial<Record<SetAsideReason, number>> = {}
  let segment: Pending[] = []
  let segmentHead: IntakeCheckpoint | null = null

  const aside = (fields: Omit<Extract<Pending, { kind: 'aside' }>, 'kind'>): void => {
    segment.push({ kind: 'aside', ...fields })
  }
  const asideItem = (pulled: PulledItem, reason: SetAsideReason): void =>
    aside({ itemId: pulled.id, seq: pulled.seq, itemKind: pulled.kind, reason, day: pulled.day, tokenHash: pulled.tokenHash, ciphertext: pulled.ciphertext, deletable: true })

  // Segments are recorded one after another, but the next one is read and decrypted while the
  // last is being written: `flush` starts writing and returns; `settle` waits for the writing.
  let writing: Promise<void> = Promise.resolve()
  const flush = async (head: IntakeCheckpoint) => {
    await writing
    const current = segment
    segment = []
    segmentHead = null
    writing = record(current, head)
    // Keep a failure from going unhandled while the next segment is read; `settle` rethrows it.
    writing.catch(() => undefined)
  }
  const settle = () => writing

  const record = async (current: Pending[], head: IntakeCheckpoint) => {
    const events: (WorkspaceEventInput | PreparedEvent)[] = []
    const toDelete: string[] = []
    let segmentImported = 0
    let segmentAside = 0
    const countAside = (reason: SetAsideReason) => {
      setAside[reason] = (setAside[reason] ?? 0) + 1
      segmentAside++
    }
    for (const pending of current) {
      if (pending.kind === 'aside') {
        events.push(setAsideEvent(server, pending))
        if (pending.deletable) toDelete.push(pending.itemId)
        countAside(pending.reason)
        continue
      }
      const result = await pending.result
      let reason: SetAsideReason | null = result.kind === 'set_aside' ? result.reason : null
      const attachmentEvents: WorkspaceEventInput[] = []
      const claimed: string[] = []
      if (result.kind === 'mapped') {
        for (const ref of result.attachments) {
          const content = await fetchAttachment(ref, openUploads.get(ref.upload), client, attachmentOpener)
          if (content === null) {
            reason = 'attachment_failed'
            break
          }
          claimed.push(ref.upload)
          attachmentEvents.push({
            kind: 'attachment.imported',
            respondentId: result.respondentId,
            testimonyId: result.testimonyId,
            attachmentId: ref.upload,
            sha256: ref.sha256,
            content: content.toString('base64'),
          })
        }
      }
      if (reason !== null || result.kind !== 'mapped') {
        if (result.kind === 'mapped') wipePrepared([result.event])
        const why = reason ?? 'malformed'
        events.push(setAsideEvent(server, { itemId: pending.item.id, seq: pending.item.seq, itemKind: pending.item.kind, reason: why, day: pending.item.day, tokenHash: pending.item.tokenHash, ciphertext: pending.item.ciphertext, deletable: true }))
        countAside(why)
      } else {
        events.push(result.event, ...attachmentEvents)
        imported++
        segmentImported++
        attachmentCount += claimed.length
        for (const id of claimed) openUploads.delete(id)
        toDelete.push(...claimed)
      }
      toDelete.push(pending.item.id)
    }
    const allPending = [...pendingDeletion, ...toDelete]
    events.push({
      kind: 'intake.pulled',
      server,
      after,
      checkpoint: head,
      imported: segmentImported,
      setAside: segmentAside,
      pendingDeletion: allPending,
      openUploads: [...openUploads.values()],
    })
    let appended
    try {
      appended = await store.appendBatch(workspace.analyst.id, events)
    } catch (error) {
      // Refused because another pull recorded a successor first: it has what this one read.
      if ((await lastPull(store, server))?.seq !== after) {
        const message = 'Another pull from this server into this workspace ran at the same time and took these submissions; this pull stopped without importing them again. Pull again to go on.'
        throw new AmanatError('input', 'pull.concurrent', message, {}, { cause: error })
      }
      throw error
    }
    after = appended.at(-1)?.seq ?? after
    checkpoint = head
    bookkeepingChanged = false
    pendingDeletion = new Set(allPending)
    if (allPending.length > 0 && (await deleteOnServer(allPending))) pendingDeletion = new Set()
    else if (allPending.length > 0) bookkeepingChanged = true
  }

  const countInSegment = () => segment.length

  try {
    for (;;) {
      let entry = await chain.next()
      if (entry === null && chain.broken === null && item !== null) {
        // Items past the chain's end: look once more, in case they were stored after the chain was read.
        chain.refresh()
        entry = await chain.next()
      }
      if (entry === null) {
        if (chain.broken === null) {
          // Whatever the server still returned has no place in its chain: injected.
          for (; item !== null; item = await nextItem()) asideItem(item, 'not_in_chain')
        }
        break
      }
      for (; item !== null && item.seq < entry.seq; item = await nextItem()) asideItem(item, 'not_in_chain')
      switch (entry.kind) {
        case 'upload':
          openUploads.set(entry.itemId, { id: entry.itemId, seq: entry.seq, hash: entry.itemHash })
          break
        case 'deletion':
          for (const id of entry.deletedIds ?? []) openUploads.delete(id)
          break
        case 'submission':
        case 'quarantine':
          if (item?.seq === entry.seq) {
            scheduleItem(item, entry, entry.kind)
            item = await nextItem()
          } else {
            aside({ itemId: entry.itemId, seq: entry.seq, itemKind: entry.kind, reason: 'missing', day: entry.day, tokenHash: null, ciphertext: null, deletable: false })
          }
          processedItems++
          options.onProgress?.(processedItems)
          break
      }
      segmentHead = { seq: entry.seq, hash: entry.hash }
      if (countInSegment() >= segmentSize) await flush(segmentHead)
    }
    await settle()
    const head = segmentHead ?? chain.head
    if (segment.length > 0 || head.seq !== checkpoint.seq || bookkeepingChanged) await flush(head)
    await settle()
  } finally {
    await writing.catch(() => undefined)
    await pool.close()
  }

  async function nextItem(): Promise<PulledItem | null> {
    for (;;) {
      const next = await items.next()
      if (next === null || !skip.has(next.id)) return next
    }
  }

  function scheduleItem(pulled: PulledItem, entry: IntakeChainEntry, entryKind: 'submission' | 'quarantine'): void {
    if (pulled.id !== entry.itemId || pulled.kind !== entryKind) {
      asideItem(pulled, 'not_in_chain')
      aside({ itemId: entry.itemId, seq: entry.seq, itemKind: entryKind, reason: 'missing', day: entry.day, tokenHash: null, ciphertext: null, deletable: false })
      return
    }
    const ciphertext = Buffer.from(pulled.ciphertext, 'base64')
    if (sha256(ciphertext) !== entry.itemHash) return asideItem(pulled, 'hash_mismatch')
    if (pulled.kind === 'quarantine') return asideItem(pulled, 'quarantined')
    segment.push({ kind: 'process', item: pulled, ciphertext, result: pool.process({ itemId: pulled.id, day: pulled.day, ciphertext }) })
  }

  const flagged = Object.entries(setAside).reduce((sum, [reason, n]) => sum + (FLAGGED_REASONS.has(reason as SetAsideReason) ? n : 0), 0)
  return {
    server,
    checkpoint,
    imported,
    attachments: attachmentCount,
    setAside,
    flagged,
    deleted,
    deletionPending,
    chainBreak: chain.broken,
  }
}

function setAsideEvent(server: string, pending: Omit<Extract<Pending, { kind: 'aside' }>, 'kind'>): WorkspaceEventInput {
  return {
    kind: 'submission.set_aside',
    server,
    itemId: pending.itemId,
    seq: pending.seq,
    itemKind: pending.itemKind,
    reason: pending.reason,
    day: pending.day,
    tokenHash: pending.tokenHash,
    ciphertext: pending.ciphertext,
  }
}

/**
 * Every questionnaire this workspace ever published, each with every recipient-set size its id
 * was published with. On any server: a questionnaire is the workspace's, wherever it was served.
 */
function publishedQuestionnaires(all: Awaited<ReturnType<typeof publications>>): PublishedQuestionnaire[] {
  const byVersion = new Map<string, { questionnaire: PublishedQuestionnaire['questionnaire']; counts: Set<number> }>()
  for (const p of all) {
    const key = `${p.questionnaire.id}@${p.questionnaire.version}`
    const known = byVersion.get(key) ?? { questionnaire: p.questionnaire, counts: new Set<number>() }
    known.counts.add(p.recipients.length)
    byVersion.set(key, { questionnaire: p.questionnaire, counts: known.counts })
  }
  // A page loaded before a re-publish seals to the older set: any size this id was published with counts.
  const countsById = new Map<string, Set<number>>()
  for (const { questionnaire, counts } of byVersion.values()) {
    const all = countsById.get(questionnaire.id) ?? new Set<number>()
    for (const c of counts) all.add(c)
    countsById.set(questionnaire.id, all)
  }
  return [...byVersion.values()].map(({ questionnaire }) => ({
    questionnaire,
    recipientCounts: [...(countsById.get(questionnaire.id) ?? [])],
  }))
}

/**
 * An attachment's real bytes: its upload fetched, checked against its chain entry, opened, and
 * unpadded (the padding must be zeros) to the length and SHA-256 the submission recorded. Null
 * when any of that fails.
 */
async function fetchAttachment(
  ref: AttachmentRef,
  upload: OpenUpload | undefined,
  client: IntakeServerClient,
  open: (file: Uint8Array) => Promise<Uint8Array>,
): Promise<Buffer | null> {
  if (upload === undefined) return null
  const sealed = await client.upload(ref.upload)
  if (sealed === null || sha256(sealed) !== upload.hash) return null
  let padded: Uint8Array
  try {
    padded = await open(sealed)
  } catch {
    return null
  }
  const bytes = Buffer.from(padded.buffer, padded.byteOffset, padded.length)
  const ok =
    bytes.length === ref.paddedLength &&
    bytes.subarray(ref.byteLength).every((b) => b === 0) &&
    sha256(bytes.subarray(0, ref.byteLength)) === ref.sha256
  const content = ok ? Buffer.from(bytes.subarray(0, ref.byteLength)) : null
  bytes.fill(0)
  return content
}
