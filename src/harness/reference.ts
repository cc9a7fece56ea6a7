/**
 * The shared, seed-independent limit of a sweep, computed once (theory/harness.md#reference): the
 * registered limit's trajectory from its own start. For a path-wise limit (NTK: from f_0 = 0, the
 * mean over initializations of the infinite-width predictor, Lee et al. 2019, arXiv 1902.06720,
 * Eq. 13–16) cells also run it from their own f_0; otherwise (mean-field, deep-linear) it is the
 * deterministic limit every cell is compared with.
 */
import type { Dataset } from '../data/dataset.js';
import type { Spec } from '../spec/types.js';
import { getLimit, inferLimit } from './deps.js';
import { flattenOutputs } from './metrics.js';
import type { Reference } from './types.js';

/** The limit a spec is compared with, and why (the spec's own `limit`, or inferred). */
export function chooseLimit(spec: Spec): { limit: string; reason: string } {
  const r = inferLimit(spec);
  return { limit: r.limit, reason: r.reason };
}

/** Compute the reference of `spec` on `data` (may take a while: runs the limit solver once). */
export async function computeReference(spec: Spec, data: Dataset, specHash: string, baseDir?: string): Promise<Reference> {
  const { limit, reason } = chooseLimit(spec);
  const n = data.x.rows;
  const nTest = data.xTest.rows;
  const k = data.y.cols;
  const r = getLimit(limit).prepare(spec, data, { baseDir }).run();
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
