/**
 * @amanat/synthetic — seeded, deterministic synthetic studies shaped like the seed study, for the
 * demo, tests and benchmarks. Never real people: names, numbers and places are invented or taken
 * from ranges reserved for fiction, and every office is labelled "(synthetic)".
 *
 * Browser-safe: imports only @amanat/domain and no Node built-ins.
 */
export { generateStudy, DEFAULT_FIRST_DAY, DEFAULT_RESPONDENTS, type GenerateStudyOptions } from './study.ts'
export { RECEIVED_SPAN_DAYS, type TestimonyImportedBody } from './study-context.ts'
export { summariseStudy, describeStudy, type StudySummary } from './study-summary.ts'
export { STUDY_COUNTRIES, HOME_COUNTRY, type StudyCountry } from './countries.ts'
export { NARRATIVE_LANGUAGES, type NarrativeLanguage } from './narrative/phrasebook.ts'
export { PSEUDONYM_COLOURS, PSEUDONYM_NATURE } from './pseudonyms.ts'
export { Prng, WeightedTable, cyrb128 } from './prng.ts'
