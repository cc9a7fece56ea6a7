/**
 * `widelimit experiment rejudge DIR` (theory/harness.md#claims): the saved run's claims decided
 * again from its saved data (src/harness/rejudge.ts), with the named statistics recomputed by the
 * experiment kind's `statistics` hook when it has one (kinds are registered here, in regimes).
 */
import { writeJsonAtomic } from '../core/atomic.js';
import './plugins.js';
import type { Statistic } from '../harness/claims.js';
import { join } from 'node:path';
import { paths, readJsonIfValid } from '../harness/folder.js';
import { experimentKind } from '../harness/kinds.js';
import { rejudgeResults } from '../harness/rejudge.js';
import { readResults } from '../harness/report/data.js';
import type { AnyResults, GenericResults } from '../harness/types.js';

/**
 * Saved statistics (results.json `statistics`, else a DIR/statistics.json the kind wrote beside
 * it), overwritten by those the kind recomputes from the saved results.
 */
export function statisticsOf(r: AnyResults, dir?: string): Record<string, Statistic> {
  const beside = dir ? (readJsonIfValid(join(dir, 'statistics.json')) as Record<string, Statistic> | undefined) : undefined;
  const saved = r.statistics ?? beside ?? {};
  if (r.kind === 'compare') return saved;
  let kind;
  try {
    kind = experimentKind(r.kind);
  } catch {
    return saved;
  }
  return { ...saved, ...(kind.statistics?.(r as GenericResults) ?? {}) };
}

/** Re-judge the folder `dir` and rewrite its results.json (the report is the caller's). */
export function rejudgeFolder(dir: string): AnyResults {
  const r = readResults(dir);
  const judged = rejudgeResults(r, undefined, statisticsOf(r, dir));
  writeJsonAtomic(paths.results(dir), judged);
  return judged;
}
