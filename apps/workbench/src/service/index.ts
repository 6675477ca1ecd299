/**
 * The workbench's service layer: what the local UI calls to read, code, review and publish-proof
 * testimonies. Every function takes a {@link WorkbenchSession} (an open store, the analyst working,
 * the current codebook), parses what it is given, writes every change as one event in the log
 * under the session's analyst, and throws {@link AmanatError}s with stable codes. Lists page by
 * keyset over indexes, so they stay fast at a million testimonies.
 *
 * Testimonies are addressed by {@link TestimonyRef} (respondent id + testimony id, as list rows
 * carry them): ids are random, and the respondent id leads to the rows without a scan.
 */
export { WorkbenchSession, sessionFor, listAnalysts, addAnalyst } from './session.ts'
export { currentCodebook } from '../workspace/current-codebook.ts'
export type { TestimonyRef } from './records.ts'
export { listInbox, listTestimonies, type ListOptions } from './lists.ts'
export { MAX_PAGE } from './cursor.ts'
export { readTestimony, attachmentBytes, setTranslation } from './reader.ts'
export {
  recordIncident,
  removeIncident,
  recordRelative,
  removeRelative,
  recordIdentifier,
  removeIdentifier,
  setImpacts,
  type IncidentDraft,
  type RelativeDraft,
  type IdentifierDraft,
} from './coding.ts'
export { normaliseIdentifier } from './identifier-normalise.ts'
export { setStatus, recordIndependentCoding, workflowOf } from './workflow.ts'
export { agreement, cohenKappa, countsFor, type AgreementCounts } from './agreement.ts'
export { history, summarise } from './history.ts'
export { recode, type RecodeRequest } from './recode.ts'
export { enterInterview, InterviewEntry, questionnaireFor } from './interview.ts'
export { setConsent, setDisclosure, pseudonymFor } from './respondent-settings.ts'
export { consentAllows, consentingRespondents } from './consent-rule.ts'
export type * from './types.ts'
export { TESTIMONY_STATUSES, type TestimonyStatus } from '@amanat/domain'
