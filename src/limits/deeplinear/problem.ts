/**
 * The deep-linear limit problem (theory/deeplinear.md#finite-checks; theory/deeplinear.md#model): what the infinite-width
 * recursion needs to know about the data, the network and gradient descent.
 *
 * Model (Bordelon & Pehlevan 2022, arXiv 2205.09653, §2 with φ = identity; 2025, arXiv
 * 2502.02531, §2): `h^1 = W^0 x/√D`, then either
 * - plain: `h^{l+1} = W^l h^l/√N` for l = 1..L−1 (L hidden layers), readout `f = w^L·h^L/(γ0 N)`;
 * - residual: `h^{l+1} = h^l + (β0/√L) W^l h^l/√N` for l = 1..L (L residual blocks, so L+1
 *   hidden representations and L+2 weight matrices), readout `f = w·h^{L+1}/(γ0 N)`;
 * weights N(0, 1), MSE `(1/(2P)) Σ_μ (f_μ − y_μ)²`, gradient descent with rate `η γ0² N` on every
 * weight. γ0 = 0 stands for the NTK parameterization (γ0 = γ̃0/√N → 0): the lazy limit.
 */
import { InputError, requireFinite, requireNonNegative, requirePositive, requirePositiveInt, show } from '../../core/errors.js';
import { type Mat, assertShape, mat } from '../../core/matrix.js';

/** Plain chain of linear layers, or the residual network with branch scale β0/√L. */
export type DeepLinearArchitecture = { kind: 'plain' } | { kind: 'residual'; beta0: number };

export interface DeepLinearProblem {
  /** K^x = X Xᵀ/D on the P training inputs (P×P, symmetric PSD). */
  readonly kx: Mat;
  /** Training targets y_μ, length P. */
  readonly y: Float64Array;
  /** L: hidden layers (plain) or residual blocks (residual). */
  readonly depth: number;
  /** γ0 ≥ 0 (0 = lazy / NTK limit). */
  readonly gamma0: number;
  /** η > 0: base learning rate (every weight moves with rate η γ0² N). */
  readonly lr: number;
  /** Number of gradient-descent steps; the solution has steps + 1 time points. */
  readonly steps: number;
  readonly architecture: DeepLinearArchitecture;
}

/** Check a problem's numbers (programming errors in shapes are RangeErrors; values are InputErrors). */
export function checkProblem(p: DeepLinearProblem): void {
  const P = p.y.length;
  if (P === 0) throw new InputError('data.n', 'the training set is empty');
  assertShape('DeepLinearProblem.kx', p.kx, P, P);
  requirePositiveInt('model.depth', p.depth);
  requireNonNegative('model.gamma0', p.gamma0);
  requirePositive('training.lr', p.lr);
  if (!Number.isInteger(p.steps) || p.steps < 0) {
    throw new InputError('training.steps', `must be a non-negative integer, got ${show(p.steps)}`);
  }
  for (let i = 0; i < p.kx.data.length; i++) requireFinite('data.x', p.kx.data[i]);
  for (let i = 0; i < P; i++) requireFinite('data.y', p.y[i]);
  if (p.architecture.kind === 'residual') requireFinite('limitOptions.beta0', p.architecture.beta0);
}

/** β = β0/√L of a residual network (0 for the plain one). */
export function branchScale(p: DeepLinearProblem): number {
  return p.architecture.kind === 'residual' ? p.architecture.beta0 / Math.sqrt(p.depth) : 0;
}

/** K^x(A, B) = A Bᵀ/D for inputs A (m×D) and B (n×D): the m×n input kernel. */
export function inputKernel(a: Mat, b: Mat): Mat {
  if (a.cols !== b.cols) throw new RangeError(`inputKernel: dimensions ${a.cols} and ${b.cols} differ`);
  const D = a.cols;
  const out = mat(a.rows, b.rows);
  for (let i = 0; i < a.rows; i++) {
    for (let j = 0; j < b.rows; j++) {
      let s = 0;
      for (let q = 0; q < D; q++) s += a.data[i * D + q] * b.data[j * D + q];
      out.data[i * b.rows + j] = s / D;
    }
  }
  return out;
}

/**
 * The initial (γ0-independent) tangent kernel K(0) = Σ_l G^{l+1}(0,0) H^l(0,0) as a multiple of
 * K^x: L + 1 for the plain network; (1+β²)^{L−1}[2(1+β²) + Lβ²] with β = β0/√L for the
 * residual one (theory/deeplinear.md#residual-kernel, [derived]).
 */
export function initialKernelFactor(arch: DeepLinearArchitecture, depth: number): number {
  switch (arch.kind) {
    case 'plain':
      return depth + 1;
    case 'residual': {
      const b2 = (arch.beta0 * arch.beta0) / depth;
      return Math.pow(1 + b2, depth - 1) * (2 * (1 + b2) + depth * b2);
    }
    default: {
      const never: never = arch;
      throw new Error(`unknown architecture ${show(never)}`);
    }
  }
}
