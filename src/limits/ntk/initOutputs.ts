/**
 * Initial outputs of a finite network read from an initial-weights file (`limit --init`), for a
 * path-wise comparison: the limit then starts from that network's own f_0 instead of the
 * infinite-width mean 0 (theory/ntk.md#dynamics). f_0 = α (F_{θ0} − [centred] F_{θ0}): α F_{θ0}, or exactly 0
 * when the output is centred (src/finite/network.ts `outputMap`).
 */
import type { Mat } from '../../core/matrix.js';
import type { Dataset } from '../../data/dataset.js';
import type { Architecture } from '../../finite/architecture.js';
import { forwardRaw } from '../../finite/fused/forward.js';
import { architectureFromInit, paramsFromInitFile } from '../../finite/initFile.js';
import { outputMap } from '../../finite/network.js';

export interface InitialOutputs {
  /** The architecture the file trains (its multipliers, rates, α, centring over `arch`). */
  arch: Architecture;
  /** f_0 on the training inputs, n × k. */
  train: Mat;
  /** f_0 on the test inputs, nTest × k. */
  test: Mat;
}

/** Evaluate the init file's network (checked against `arch`: InputError under `init`) on the data. */
export function initialOutputs(init: unknown, arch: Architecture, data: Dataset): InitialOutputs {
  const parsed = paramsFromInitFile(init, arch, 'init');
  const a = architectureFromInit(parsed, arch, 'init');
  const f = (x: Mat) => {
    const F = forwardRaw(a, parsed.params, x);
    return outputMap(a, F, a.centred ? F : null);
  };
  return { arch: a, train: f(data.x), test: f(data.xTest) };
}
