/**
 * Which citations (src/spec/citations.ts) a compare sweep lists: its registered limit's
 * (src/limits/registry.ts), then the bootstrap's.
 */
import type { CitationKey } from '../../spec/citations.js';
import type { Spec } from '../../spec/types.js';
import { getLimit } from '../deps.js';

export { CITATIONS, type Citation, type CitationKey } from '../../spec/citations.js';

/** The references of a compare sweep of `spec` against `limit`. */
export function referencesFor(limit: string, spec: Spec): CitationKey[] {
  return [...getLimit(limit).citations(spec), 'efron1993'];
}
