/**
 * @amanat/search — full-text search over a workspace's testimonies in Uyghur (Arabic script),
 * Chinese, Turkish, English and any other language, with filters on codes, countries, years,
 * collection mode and consent. Node only.
 *
 * Start at {@link openSearchIndex}: an index in its own encrypted SQLite file beside the workspace,
 * keyed by {@link searchIndexKey}, rebuilt and caught up from the workspace's event log by itself.
 * The text rules (normalisation, Chinese bigrams, the prefix rule) are in `normalise.ts`,
 * `tokenise.ts` and `query.ts`; the reasons in docs/decisions/0013-multilingual-search.md.
 */
export {
  openSearchIndex,
  SearchRequest,
  type SearchIndex,
  type SearchIndexOptions,
  type SearchHit,
  type SearchResults,
  type CatchUpReport,
  type IndexSize,
} from './search-index.ts'
export { SearchFilters } from './filters.ts'
export { searchIndexKey, removeIndexFiles, INDEX_FORMAT } from './index-file.ts'
export type { Snippet } from './snippet.ts'
export type { DocumentText } from './documents.ts'
export { normalise } from './normalise.ts'
export { tokenise, indexTerms, type Token } from './tokenise.ts'
export { parseQuery, type QueryUnit } from './query.ts'

/** Where a workspace keeps its search index, relative to the workspace folder. */
export const SEARCH_INDEX_FILE = 'search.db'
