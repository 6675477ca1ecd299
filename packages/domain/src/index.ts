/**
 * @amanat/domain — the data model of Amanat, its schemas, and the codebook.
 *
 * Browser-safe: this package imports no Node built-ins (lint enforces it), so the questionnaire
 * page, the intake server and the workbench all share one definition of every record. Parse at
 * the boundary with these schemas; code behind the boundary trusts the types.
 */
export * from './errors.ts'
export * from './ids.ts'
export * from './model/vocabulary.ts'
export * from './model/schema-helpers.ts'
export * from './model/country.ts'
export * from './model/place.ts'
export * from './model/partial-date.ts'
export * from './model/consent.ts'
export * from './model/respondent.ts'
export * from './model/testimony.ts'
export * from './model/incident.ts'
export * from './model/relative.ts'
export * from './model/identifier.ts'
export * from './model/analyst.ts'
export * from './codebook/codebook.schema.ts'
export * from './codebook/codebook.ts'
export * from './events/workspace-event.ts'
export * from './events/release-record.ts'
export * from './intake/wire.ts'
export * from './intake/admin-wire.ts'
export * from './questionnaire/index.ts'
