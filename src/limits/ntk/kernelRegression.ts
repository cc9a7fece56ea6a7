/**
 * The τ = ∞ limit of the frozen-kernel MSE dynamics: kernel regression with the NTK
 * (theory/ntk.md#dynamics; Jacot et al. 2018, arXiv 1806.07572, §5; Lee et al. 2019, arXiv 1902.06720, Eq. (11)
 * at t → ∞; Arora et al. 2019, arXiv 1904.11955, Eq. (6)):
 *
 *   f_∞(x*) = f_0(x*) + Θ* Θ^{−1} (y − f_0(X)),    f_∞(X) = f_0(X) + Θ Θ^{−1}(y − f_0(X)) = y.
 *
 * Solved by Cholesky. When Θ is numerically singular (a Cholesky pivot² ≤ 1e-12 · max diag, e.g.
 * duplicate training points) the limit of the flow is the pseudo-inverse solution — the residual
 * along the null space of Θ is never trained and Θ* vanishes there — computed from the
 * eigendecomposition, with a warning (theory/ntk.md#t-infinity).
 */
import { gemm } from '../../core/gemm.js';
import { type Mat, mat } from '../../core/matrix.js';
import { cholesky, choleskySolve } from '../../core/cholesky.js';
import type { Status } from '../../core/errors.js';
import type { FrozenProblem } from './frozenTypes.js';
import { evaluateSpectral, nullCount, spectrum } from './spectral.js';

export interface KernelRegressionResult {
  fTrain: Mat;
  fTest: Mat;
  method: 'cholesky' | 'pseudo-inverse';
  status: Status;
  message: string;
  warnings: string[];
}

/** Relative pivot² below which Θ counts as singular. */
const PIVOT_TOL = 1e-12;

export function kernelRegression(p: FrozenProblem): KernelRegressionResult {
  const n = p.kernel.rows, k = p.y.cols;
  const r = mat(n, k);
  for (let i = 0; i < r.data.length; i++) r.data[i] = p.y.data[i] - p.f0.data[i];
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, p.kernel.data[i * n + i]);
  const l = maxDiag > 0 ? cholesky(p.kernel) : null;
  let minPivot2 = Infinity;
  if (l) for (let i = 0; i < n; i++) minPivot2 = Math.min(minPivot2, l.data[i * n + i] ** 2);
  if (l && minPivot2 > PIVOT_TOL * maxDiag) {
    const coef = choleskySolve(l, r); // Θ^{−1}(y − f_0), n × k
    const fTrain = gemm(false, false, 1, p.kernel, coef, 1, cloneMat(p.f0));
    const fTest = p.kernelTest.rows > 0 ? gemm(false, false, 1, p.kernelTest, coef, 1, cloneMat(p.f0Test)) : mat(0, k);
    return { fTrain, fTest, method: 'cholesky', status: 'ok', message: '', warnings: [] };
  }
  const sp = spectrum(p.kernel, p.kernelTest);
  if (sp.status !== 'ok') {
    // only for a non-finite kernel: report the initial outputs with the failure
    return { fTrain: cloneMat(p.f0), fTest: cloneMat(p.f0Test), method: 'pseudo-inverse', status: 'failed', message: `t = ∞: ${sp.message}`, warnings: [] };
  }
  const { fTrain, fTest } = evaluateSpectral(sp, p, { kind: 'flow' }, [Infinity]);
  return {
    fTrain: fTrain[0],
    fTest: fTest[0],
    method: 'pseudo-inverse',
    status: 'ok',
    message: '',
    warnings: [singularWarning(nullCount(sp), n, sp.nullThreshold / Math.max(sp.lambdaMax, 1e-300))],
  };
}

export function singularWarning(count: number, n: number, relThreshold: number): string {
  return (
    `Θ(X, X) is singular: ${count} of ${n} eigenvalue(s) ≤ ${relThreshold.toExponential(1)}·λ_max (duplicate or degenerate ` +
    'training inputs); t = ∞ uses the pseudo-inverse (the residual along the null space is not trained, test outputs ignore it)'
  );
}

function cloneMat(m: Mat): Mat {
  return mat(m.rows, m.cols, m.data.slice());
}
