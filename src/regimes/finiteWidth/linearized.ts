/**
 * The split of a trained network's path-wise deviation into the part the prediction C(τ) covers and
 * the kernel's motion (theory/finite-width.md#split): the network's own linearization — the
 * frozen-kernel dynamics with its own empirical tangent kernel at initialization Θ̂_0 and its own
 * f_0 — gives f^lin_τ, and
 *
 *   f^(h)_τ − f^∞_τ[f_0] = (f^lin_τ − f^∞_τ[f_0]) + (f^(h)_τ − f^lin_τ),
 *
 * the first term the response to the initial kernel fluctuation Θ̂_0 − Θ at every order (its
 * leading order is C(τ)/h), the second the effect of the kernel's motion during training, which
 * the prediction neglects (theory/finite-width.md#neglected).
 */
import { InputError } from '../../core/errors.js';
import { type Mat, mat } from '../../core/matrix.js';
import type { Dataset } from '../../data/dataset.js';
import type { Architecture } from '../../finite/architecture.js';
import { empiricalNtk } from '../../finite/fused/ntk.js';
import type { Params } from '../../finite/params.js';
import { frozenMse } from '../../limits/ntk/mse.js';
import type { NtkLimitModel } from '../../limits/ntk/limit.js';

/** f^lin on the train and test inputs at the model's record times, or null when the solve failed. */
export function linearizedOutputs(model: NtkLimitModel, arch: Architecture, params: Params, data: Dataset, f0: Mat, f0Test: Mat): { train: Mat[]; test: Mat[] } | null {
  if (data.y.cols !== 1) throw new InputError('data', `the kernel-motion split needs one output (got ${data.y.cols})`);
  const n = data.x.rows, nT = data.xTest.rows, d = data.x.cols, N = n + nT;
  const all = mat(N, d);
  all.data.set(data.x.data, 0);
  all.data.set(data.xTest.data, n * d);
  const K = empiricalNtk(arch, params, all);
  const kernel = mat(n, n), kernelTest = mat(nT, n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) kernel.data[i * n + j] = K.data[i * N + j];
  for (let i = 0; i < nT; i++) for (let j = 0; j < n; j++) kernelTest.data[i * n + j] = K.data[(n + i) * N + j];
  const sol = frozenMse({ kernel, kernelTest, y: data.y, f0, f0Test }, model.schedule, model.times, { path: 'eig' });
  if (sol.status !== 'ok' || sol.fTrain.length !== model.times.length) return null;
  return { train: sol.fTrain, test: sol.fTest };
}
