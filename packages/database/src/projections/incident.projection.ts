import { Incident, yearOf, type PartialDate } from '@amanat/domain'
import type { IncidentTable } from '../schema/incident.table.ts'
import { placeFrom } from './testimony.projection.ts'

/** The row that stores `incident`, written by the event `seq`. */
export function incidentToRow(no: number, incident: Incident, seq: number): IncidentTable {
  return {
    respondent_no: no,
    id: incident.id,
    testimony_id: incident.testimonyId,
    respondent_id: incident.respondentId,
    type: incident.type,
    channel: incident.channel,
    perpetrator: incident.perpetrator,
    target: incident.target,
    relative_id: incident.relativeId,
    received_country: incident.receivedIn.country,
    received_locality: incident.receivedIn.locality ?? null,
    origin_country: incident.originatedIn.country,
    origin_locality: incident.originatedIn.locality ?? null,
    date_precision: incident.date.precision,
    date_value: dateValue(incident.date),
    year: yearOf(incident.date),
    confidence: incident.confidence,
    note: incident.note,
    codebook: incident.codebook,
    written_seq: seq,
  }
}

/** The incident a stored row holds, parsed. */
export function incidentFromRow(row: IncidentTable): Incident {
  return Incident.parse({
    id: row.id,
    testimonyId: row.testimony_id,
    respondentId: row.respondent_id,
    type: row.type,
    channel: row.channel,
    perpetrator: row.perpetrator,
    target: row.target,
    relativeId: row.relative_id,
    receivedIn: placeFrom(row.received_country, row.received_locality),
    originatedIn: placeFrom(row.origin_country, row.origin_locality),
    date: dateFrom(row.date_precision, row.date_value),
    confidence: row.confidence,
    note: row.note,
    codebook: row.codebook,
  })
}

/** The value column of a partial date: null when the date is unknown. */
export function dateValue(date: PartialDate): string | null {
  return date.precision === 'unknown' ? null : date.value
}

/** A partial-date object from its two columns (validated by the caller's parse). */
export function dateFrom(precision: string, value: string | null): unknown {
  return value === null ? { precision } : { precision, value }
}
