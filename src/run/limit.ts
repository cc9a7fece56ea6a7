/**
 * `widelimit limit`: the infinite-width limit of a spec's network. The limit is the spec's
 * `limit` or the first registered limit that applies (src/limits/registry.ts), and the choice and
 * its reason are recorded in `meta.limit`, `meta.limitReason`. Numerical failures come back as
 * `status`; bad input throws InputError.
 */
import type { Dataset } from '../data/dataset.js';
import { getLimit, inferLimit } from '../limits/builtin.js';
import type { Spec } from '../spec/types.js';
import type { RunResult } from '../spec/result.js';

export interface RunLimitOptions {
  /** A parsed initial-weights file (`--init`): a path-wise limit starts from that network's outputs. */
  init?: unknown;
  progress?: (fraction: number) => void;
  /** Use this data set instead of loading spec.data. */
  dataset?: Dataset;
  /** Directory that relative data paths are resolved against. */
  baseDir?: string;
}

export function runLimit(spec: Spec, opts: RunLimitOptions = {}): RunResult {
  const t0 = performance.now();
  const choice = inferLimit(spec);
  const result = getLimit(choice.limit).run(spec, opts);
  result.meta = {
    ...result.meta,
    kind: 'limit',
    limit: choice.limit,
    limitReason: choice.reason,
    seconds: (performance.now() - t0) / 1000,
  };
  return result;
}
