/**
 * The shared, seed-independent limit of a sweep, computed once (theory/harness.md#reference):
 *
 * - NTK: the frozen-kernel dynamics started from f_0 = 0 — the mean over initializations of the
 *   infinite-width predictor (Lee et al. 2019, arXiv 1902.06720, Eq. 13–16). Cells also run the
 *   path-wise limit from their own f_0; this one is the target of `ensembleError`.
 * - mean-field (m = ∞) and deep-linear (N = ∞): the deterministic limit itself, which every cell
 *   is compared with.
 */
import { mat } from '../core/matrix.js';
import type { Dataset } from '../data/dataset.js';
import type { LimitName, Spec } from '../spec/types.js';
import type { RunResult } from '../spec/result.js';
import { inferLimit, prepareNtkLimit, runLimit } from './deps.js';
import { flattenOutputs } from './metrics.js';
import type { Reference } from './types.js';

/** The limit a spec is compared with, and why (the spec's own `limit`, or inferred). */
export function chooseLimit(spec: Spec): { limit: LimitName; reason: string } {
  const r = inferLimit(spec);
  return { limit: r.limit, reason: r.reason };
}

/** Compute the reference of `spec` on `data` (may take a while: runs the limit solver once). */
export async function computeReference(spec: Spec, data: Dataset, specHash: string, baseDir?: string): Promise<Reference> {
  const { limit, reason } = chooseLimit(spec);
  const n = data.x.rows;
  const nTest = data.xTest.rows;
  const k = data.y.cols;
  let r: RunResult;
  switch (limit) {
    case 'ntk': {
      const model = prepareNtkLimit(spec, data);
      r = model.run({ train: mat(n, k), test: mat(nTest, k) });
      break;
    }
    case 'meanfield':
    case 'deeplinear':
      r = await runLimit(spec, { dataset: data, baseDir });
      break;
    default: {
      const never: never = limit;
      throw new Error(`unknown limit ${String(never)}`);
    }
  }
  return {
    format: 'widelimit-reference/1',
    specHash,
    limit,
    reason,
    status: r.status,
    message: r.message,
    times: r.times,
    trainLoss: r.trainLoss,
    testLoss: r.testLoss,
    fTrain: r.fTrain.map((f) => Array.from(flattenOutputs(f))),
    fTest: r.fTest.map((f) => Array.from(flattenOutputs(f))),
    data: data.description,
    nTrain: n,
    nTest,
    outputs: k,
  };
}
