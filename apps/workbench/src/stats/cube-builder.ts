import { DIMENSIONS, isMultiValued, type Dimension } from '@amanat/disclosure'
import {
  COLLECTION_MODES,
  CONTINENTS,
  DISCLOSURE_WISHES,
  continentOf,
  mayUse,
  type Codebook,
  type Consent,
  type SectionName,
} from '@amanat/domain'
import { UNKNOWN, type StatsCube } from './cube.ts'

/** The respondent columns the cube reads (a subset of the `respondents` projection). */
export interface RespondentFacts {
  readonly respondent_no: number
  readonly residence_country: string | null
  readonly ethnicity: string | null
  readonly status: string | null
  readonly collection_mode: string
  readonly disclosure: string
  readonly consent_uses: string
  readonly consent_withdrawn: number
  readonly consent_form: string
  readonly consent_recorded_on: string
}

/** The incident columns the cube reads (a subset of the `incidents` projection). */
export interface IncidentFacts {
  readonly respondent_no: number
  readonly type: string
  readonly channel: string | null
  readonly perpetrator: string | null
  readonly year: number | null
}

const SECTIONS: Partial<Record<Dimension, SectionName>> = {
  incident_type: 'harassment_types',
  channel: 'channels',
  perpetrator: 'perpetrators',
  ethnicity: 'ethnicities',
  status: 'residence_statuses',
}
const CLOSED: Partial<Record<Dimension, readonly string[]>> = {
  continent: CONTINENTS,
  collection_mode: COLLECTION_MODES,
  disclosure: DISCLOSURE_WISHES,
}

/**
 * Builds a {@link StatsCube} from projection rows. Feed every respondent in ascending
 * `respondent_no`, then every incident in ascending `respondent_no` (the tables' key order);
 * incidents of respondents not fed (or left out for consent) are skipped.
 *
 * Consent is enforced here, once: a respondent is counted only while `mayUse(consent,
 * 'aggregate')` holds, so a withdrawn respondent changes no number anywhere downstream.
 */
export class CubeBuilder {
  readonly #codebook: Codebook
  readonly #interned = new Map<Dimension, Map<string, number>>(DIMENSIONS.map((d) => [d, new Map()]))
  readonly #columns = new Map<Dimension, GrowableColumn>(DIMENSIONS.map((d) => [d, new GrowableColumn()]))
  readonly #indexOf = new Map<number, number>()
  #incidentCounts: number[] = []
  #respondents = 0
  #incidents = 0

  constructor(codebook: Codebook) {
    this.#codebook = codebook
  }

  addRespondent(row: RespondentFacts): void {
    // The projection wrote these columns from a parsed Consent; they are read back as one.
    const consent = {
      uses: JSON.parse(row.consent_uses) as unknown,
      withdrawn: row.consent_withdrawn === 1,
      form: row.consent_form,
      recordedOn: row.consent_recorded_on,
    } as Consent
    if (!mayUse(consent, 'aggregate')) return
    this.#indexOf.set(row.respondent_no, this.#respondents++)
    this.#incidentCounts.push(0)
    const continent = row.residence_country === null ? null : continentOf(row.residence_country)
    this.#push('residence_country', row.residence_country)
    this.#push('continent', continent)
    this.#push('ethnicity', row.ethnicity)
    this.#push('status', row.status)
    this.#push('collection_mode', row.collection_mode)
    this.#push('disclosure', row.disclosure)
  }

  addIncident(row: IncidentFacts): void {
    const r = this.#indexOf.get(row.respondent_no)
    if (r === undefined) return
    this.#incidentCounts[r] = (this.#incidentCounts[r] ?? 0) + 1
    this.#incidents++
    this.#push('incident_type', row.type)
    this.#push('channel', row.channel)
    this.#push('perpetrator', row.perpetrator)
    this.#push('year', row.year === null ? null : String(row.year))
  }

  /** The finished cube: values in listing order, columns remapped to it. */
  build(): StatsCube {
    const incidentStart = new Uint32Array(this.#respondents + 1)
    for (let r = 0; r < this.#respondents; r++)
      incidentStart[r + 1] = (incidentStart[r] ?? 0) + (this.#incidentCounts[r] ?? 0)
    const values = {} as Record<Dimension, readonly string[]>
    const columns = {} as Record<Dimension, Uint16Array>
    for (const d of DIMENSIONS) {
      const interned = this.#interned.get(d) as Map<string, number>
      const order = this.#listing(d, [...interned.keys()])
      const position = new Map(order.map((v, i) => [v, i]))
      const remap = new Uint16Array(interned.size)
      for (const [value, index] of interned) remap[index] = position.get(value) ?? UNKNOWN
      const column = (this.#columns.get(d) as GrowableColumn).finish()
      for (let i = 0; i < column.length; i++) {
        const v = column[i] as number
        if (v !== UNKNOWN) column[i] = remap[v] as number
      }
      values[d] = order
      columns[d] = column
    }
    return { values, respondents: this.#respondents, incidentStart, columns }
  }

  #push(dimension: Dimension, value: string | null): void {
    const column = this.#columns.get(dimension) as GrowableColumn
    if (value === null) {
      column.push(UNKNOWN)
      return
    }
    const interned = this.#interned.get(dimension) as Map<string, number>
    let index = interned.get(value)
    if (index === undefined) {
      index = interned.size
      interned.set(value, index)
    }
    column.push(index)
  }

  /**
   * Listing order: codebook dimensions every active code in codebook order (a deprecated code
   * only when counted), then codes not in the codebook; closed vocabularies in full; countries
   * present by code; years ascending.
   */
  #listing(d: Dimension, present: readonly string[]): string[] {
    const section = SECTIONS[d]
    if (section !== undefined) {
      const entries = this.#codebook.sections[section]
      const listed: string[] = entries
        .filter((e) => e.deprecated !== true || present.includes(e.code))
        .map((e) => e.code)
      return [...listed, ...present.filter((v) => !listed.includes(v)).sort()]
    }
    const closed = CLOSED[d]
    if (closed !== undefined) return [...closed, ...present.filter((v) => !closed.includes(v)).sort()]
    return isMultiValued(d) ? [...present].sort((a, b) => Number(a) - Number(b)) : [...present].sort()
  }
}

/** A Uint16Array that grows by doubling. */
class GrowableColumn {
  #data = new Uint16Array(1024)
  #length = 0

  push(value: number): void {
    if (this.#length === this.#data.length) {
      const bigger = new Uint16Array(this.#data.length * 2)
      bigger.set(this.#data)
      this.#data = bigger
    }
    this.#data[this.#length++] = value
  }

  finish(): Uint16Array {
    return this.#data.slice(0, this.#length)
  }
}
