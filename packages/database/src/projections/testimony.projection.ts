import { Testimony } from '@amanat/domain'
import type { TestimonyTable } from '../schema/testimony.table.ts'

/** The row that stores `testimony`, written by the event `seq`; the source's variant decides which source columns are set. */
export function testimonyToRow(no: number, testimony: Testimony, seq: number): TestimonyTable {
  const source = testimony.source
  const online = source.mode === 'online' ? source : null
  const interview = source.mode === 'interview' ? source : null
  return {
    respondent_no: no,
    id: testimony.id,
    respondent_id: testimony.respondentId,
    source_mode: source.mode,
    questionnaire_id: online?.questionnaireId ?? (source.mode === 'import' ? source.label : null),
    questionnaire_version: online?.questionnaireVersion ?? null,
    interviewer: interview?.interviewer ?? null,
    interview_date: interview?.date ?? null,
    interview_country: interview?.place.country ?? null,
    interview_locality: interview?.place.locality ?? null,
    consent_given_orally: interview === null ? null : interview.consentGivenOrally ? 1 : 0,
    received_on: testimony.receivedOn,
    answers: JSON.stringify(testimony.answers),
    narratives: JSON.stringify(testimony.narratives),
    translation: testimony.translation === null ? null : JSON.stringify(testimony.translation),
    attachments: JSON.stringify(testimony.attachments),
    written_seq: seq,
  }
}

/** The testimony a stored row holds, parsed. */
export function testimonyFromRow(row: TestimonyTable): Testimony {
  const source =
    row.source_mode === 'online'
      ? {
          mode: 'online',
          questionnaireId: row.questionnaire_id,
          questionnaireVersion: row.questionnaire_version,
        }
      : row.source_mode === 'import'
        ? { mode: 'import', label: row.questionnaire_id }
        : {
          mode: row.source_mode,
          interviewer: row.interviewer,
          date: row.interview_date,
          place: placeFrom(row.interview_country, row.interview_locality),
          consentGivenOrally: row.consent_given_orally === 1,
        }
  return Testimony.parse({
    id: row.id,
    respondentId: row.respondent_id,
    source,
    receivedOn: row.received_on,
    answers: JSON.parse(row.answers) as unknown,
    narratives: JSON.parse(row.narratives) as unknown,
    translation: row.translation === null ? null : (JSON.parse(row.translation) as unknown),
    attachments: JSON.parse(row.attachments) as unknown,
  })
}

/** A place object from its two columns (the locality key is absent, not undefined, when null). */
export function placeFrom(
  country: string | null,
  locality: string | null,
): { country: string | null; locality?: string } {
  return locality === null ? { country } : { country, locality }
}
