import { createHash } from 'node:crypto'
import { existsSync } from 'node:fs'
import { sealBytes } from '@amanat/crypto'
import { incidentFromRow, respondentFromRow } from '@amanat/database'
import { inputError, mayUse, type Incident } from '@amanat/domain'
import { otherRecipients } from '../intake/intake-log.ts'
import { recipientSet } from '../intake/publish.ts'
import { writeFileDurably } from '../intake/durable-file.ts'
import type { Workspace } from '../workspace/workspace.ts'
import type { CodedCells } from './coded-columns.ts'
import { cellsOfRespondent } from './coded-row.ts'
import { encodeCodedRows } from './coded-writers.ts'
import type { CodedFormat } from './row-sources.ts'

/**
 * `amanat export`: the workspace's coded data as an internal export (DESIGN.md, "Publication and
 * disclosure control"): raw rows for analysis in R or SPSS, in the import format, so a file
 * exported here imports anywhere. Only respondents whose consent allows aggregate use (the domain's
 * one rule, `mayUse`) are included: a withdrawn respondent never is. Sealed with age to the
 * team's recipients unless `plaintext`; every export is an `export.written` event.
 */
export interface ExportOptions {
  readonly format: CodedFormat
  readonly out: string
  readonly plaintext: boolean
}

export interface ExportReport {
  readonly rows: number
  readonly respondents: number
  readonly sha256: string
  readonly recipients: number
}

/** Respondents read per query. */
const PAGE = 1_000

/** Every exportable respondent's rows, ordered by respondent key (then by the rows' cells). */
export async function codedRows(workspace: Workspace): Promise<{ rows: CodedCells[]; respondents: number }> {
  const db = workspace.store.db
  const people: { key: string; rows: CodedCells[] }[] = []
  for (let after = 0; ;) {
    const page = await db
      .selectFrom('respondents')
      .selectAll()
      .where('respondent_no', '>', after)
      .orderBy('respondent_no')
      .limit(PAGE)
      .execute()
    const last = page.at(-1)
    if (last === undefined) break
    after = last.respondent_no
    const numbers = page.map((row) => row.respondent_no)
    const incidents = new Map<number, Incident[]>()
    const rows = await db.selectFrom('incidents').selectAll().where('respondent_no', 'in', numbers).execute()
    for (const row of rows)
      incidents.set(row.respondent_no, [...(incidents.get(row.respondent_no) ?? []), incidentFromRow(row)])
    for (const row of page) {
      const respondent = respondentFromRow(row)
      if (!mayUse(respondent.consent, 'aggregate')) continue
      people.push({
        key: respondent.key,
        rows: cellsOfRespondent(respondent, incidents.get(row.respondent_no) ?? []),
      })
    }
  }
  // Sorted here, not by the database: PostgreSQL's collation and SQLite's byte order differ.
  people.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  return { rows: people.flatMap((person) => person.rows), respondents: people.length }
}

/**
 * Writes the export to `out` (refusing to replace an existing file: input `export.out_exists`)
 * and records it. The event is appended before the file is written (under a temporary name,
 * then renamed), so no export exists that the log does not show.
 */
export async function exportCodedData(workspace: Workspace, options: ExportOptions): Promise<ExportReport> {
  if (existsSync(options.out))
    throw inputError(
      'export.out_exists',
      `${options.out} exists; an export never replaces a file. Choose another name.`,
    )
  const { rows, respondents } = await codedRows(workspace)
  const encoded = await encodeCodedRows(rows, options.format)
  const recipients = options.plaintext
    ? []
    : recipientSet(workspace.config, await otherRecipients(workspace.store))
  const bytes = options.plaintext ? encoded : await sealBytes(encoded, recipients)
  const sha256 = createHash('sha256').update(bytes).digest('hex')
  await workspace.store.append(workspace.analyst.id, {
    kind: 'export.written',
    format: options.format,
    plaintext: options.plaintext,
    rows: rows.length,
    respondents,
    sha256,
  })
  writeFileDurably(options.out, bytes)
  return { rows: rows.length, respondents, sha256, recipients: recipients.length }
}
