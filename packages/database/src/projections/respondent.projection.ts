import { Respondent } from '@amanat/domain'
import type { RespondentTable } from '../schema/respondent.table.ts'

/** The row that stores `respondent`, the respondent numbered `no` in this workspace, written by the event `seq`. */
export function respondentToRow(no: number, respondent: Respondent, seq: number): RespondentTable {
  return {
    respondent_no: no,
    id: respondent.id,
    key: respondent.key,
    collection_mode: respondent.collectionMode,
    residence_country: respondent.residenceCountry,
    ethnicity: respondent.ethnicity,
    status: respondent.status,
    gender: respondent.gender,
    age_band: respondent.ageBand,
    occupation: respondent.occupation,
    activist: respondent.activist === null ? null : respondent.activist ? 1 : 0,
    impacts: JSON.stringify(respondent.impacts),
    disclosure: respondent.disclosure,
    consent_uses: JSON.stringify(respondent.consent.uses),
    consent_withdrawn: respondent.consent.withdrawn ? 1 : 0,
    consent_form: respondent.consent.form,
    consent_recorded_on: respondent.consent.recordedOn,
    pseudonym: respondent.pseudonym,
    written_seq: seq,
  }
}

/** The respondent a stored row holds. Parses, so a tampered row throws rather than passing as valid. */
export function respondentFromRow(row: RespondentTable): Respondent {
  return Respondent.parse({
    id: row.id,
    key: row.key,
    collectionMode: row.collection_mode,
    residenceCountry: row.residence_country,
    ethnicity: row.ethnicity,
    status: row.status,
    gender: row.gender,
    ageBand: row.age_band,
    occupation: row.occupation,
    activist: row.activist === null ? null : row.activist === 1,
    impacts: JSON.parse(row.impacts) as unknown,
    disclosure: row.disclosure,
    consent: {
      uses: JSON.parse(row.consent_uses) as unknown,
      withdrawn: row.consent_withdrawn === 1,
      form: row.consent_form,
      recordedOn: row.consent_recorded_on,
    },
    pseudonym: row.pseudonym,
  })
}
