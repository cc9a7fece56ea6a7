/**
 * Which citations (src/spec/citations.ts) a compare sweep lists, by its limit.
 */
import type { LimitName, Spec } from '../../spec/types.js';
import { type CitationKey } from '../../spec/citations.js';

export { CITATIONS, type Citation, type CitationKey } from '../../spec/citations.js';

/** The references of a compare sweep of `spec` against `limit`. */
export function referencesFor(limit: LimitName, spec: Spec): CitationKey[] {
  const keys: CitationKey[] = [];
  switch (limit) {
    case 'ntk':
      keys.push('jacot2018', 'lee2019', 'arora2019');
      if (/relu|abs/.test(spec.model.activation)) keys.push('cho2009');
      keys.push('geiger2020');
      break;
    case 'meanfield':
      keys.push('mei2018', 'chizat2018');
      break;
    case 'deeplinear':
      keys.push('bordelon2022', 'saxe2014');
      break;
    default: {
      const never: never = limit;
      throw new Error(`unknown limit ${String(never)}`);
    }
  }
  keys.push('efron1993');
  return keys;
}
