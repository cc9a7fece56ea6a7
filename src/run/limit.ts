/**
 * `widelimit limit`: the infinite-width limit of a spec's network. The limit is the spec's
 * `limit` or inferred from the parameterization and activation (src/spec/inferLimit.ts), and the
 * choice and its reason are recorded in `meta.limit`, `meta.limitReason`:
 * - `ntk`: frozen-kernel dynamics with the analytic NTK (src/limits/ntk, theory/ntk.md#recursion–3);
 * - `meanfield`: two-layer mean-field particle flow (src/limits/meanfield, theory/meanfield.md#model);
 * - `deeplinear`: deep linear networks at infinite width (src/limits/deeplinear, theory/deeplinear.md#finite-checks).
 * Numerical failures come back as `status`; bad input throws InputError.
 */
import type { Dataset } from '../data/dataset.js';
import { runDeepLinearLimit } from '../limits/deeplinear/run.js';
import { runMeanFieldLimit } from '../limits/meanfield/run.js';
import { runNtkLimit } from '../limits/ntk/limit.js';
import { inferLimit } from '../spec/inferLimit.js';
import type { Spec } from '../spec/types.js';
import type { RunResult } from '../spec/result.js';

export interface RunLimitOptions {
  /** A parsed initial-weights file (`--init`): the NTK limit starts from that network's outputs. */
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
  let result: RunResult;
  switch (choice.limit) {
    case 'ntk':
      result = runNtkLimit(spec, opts);
      break;
    case 'meanfield':
      result = runMeanFieldLimit(spec, opts);
      break;
    case 'deeplinear':
      result = runDeepLinearLimit(spec, opts);
      break;
    default: {
      const never: never = choice.limit;
      throw new RangeError(`unknown limit ${String(never)}`);
    }
  }
  result.meta = {
    ...result.meta,
    kind: 'limit',
    limit: choice.limit,
    limitReason: choice.reason,
    seconds: (performance.now() - t0) / 1000,
  };
  return result;
}
