/**
 * The O(m² d) hot loop of the population-risk velocity (population.ts;
 * theory/meanfield.md#population-velocity): for all pairs of particles (j, l), with θ_jl the angle
 * of (w_j, w_l), accumulate
 *
 *   kAcc_j = Σ_l a_l K̃_jl,   K̃_jl = sin θ_jl ‖w_j‖‖w_l‖ + (π − θ_jl) w_j·w_l,
 *   sAcc_j = Σ_l a_l sin θ_jl ‖w_l‖,
 *   T_j    = Σ_l a_l (π − θ_jl) w_l            (m×d, row-major),
 *
 * the diagonal l = j included (θ = 0). Each unordered pair is visited once and feeds both rows,
 * so each angle costs one arccos (the primitives of core/arccos.ts, one clipping rule for ρ).
 *
 * Two implementations with the same summation order: {@link pairSumsReference} (plain loops over
 * the d coordinates) and {@link compilePairSums}, which generates, once per d, the same loop with
 * the coordinate loops unrolled and w_j held in local variables (2× faster at d = 10: no inner
 * loop overhead, no bounds checks on w_j). The outputs are compared by test.
 */

import { clipRho, piMinusTheta, sinTheta } from '../../core/arccos.js';

/** Inputs and outputs of the pair sums (outputs are overwritten). */
export interface PairSumArgs {
  readonly m: number;
  readonly d: number;
  /** a (length m). */
  readonly a: Float64Array;
  /** W (m×d row-major). */
  readonly W: Float64Array;
  /** ‖w_j‖ and 1/‖w_j‖ (0 when w_j = 0). */
  readonly nrm: Float64Array;
  readonly inv: Float64Array;
  readonly kAcc: Float64Array;
  readonly sAcc: Float64Array;
  /** m×d. */
  readonly T: Float64Array;
  /** Scratch of length d. */
  readonly tj: Float64Array;
}

export type PairSums = (args: PairSumArgs) => void;

const PI = Math.PI;

/** Plain-loop implementation (the readable one). */
export function pairSumsReference(g: PairSumArgs): void {
  const { m, d, a, W, nrm, inv, kAcc, sAcc, T, tj } = g;
  kAcc.fill(0);
  sAcc.fill(0);
  T.fill(0);
  for (let j = 0; j < m; j++) {
    const oj = j * d;
    const aj = a[j];
    const nj = nrm[j];
    const ij = inv[j];
    let kj = kAcc[j] + aj * PI * nj * nj;
    let sj = sAcc[j];
    for (let k = 0; k < d; k++) tj[k] = aj * PI * W[oj + k];
    for (let l = j + 1; l < m; l++) {
      const ol = l * d;
      let dt = 0;
      for (let k = 0; k < d; k++) dt += W[oj + k] * W[ol + k];
      const nl = nrm[l];
      const c = clipRho(dt * ij * inv[l]);
      const pt = piMinusTheta(c);
      const s = sinTheta(c);
      const kt = s * nj * nl + pt * dt;
      const al = a[l];
      kj += al * kt;
      kAcc[l] += aj * kt;
      sj += al * s * nl;
      sAcc[l] += aj * s * nj;
      const ptl = al * pt;
      const ptj = aj * pt;
      for (let k = 0; k < d; k++) {
        tj[k] += ptl * W[ol + k];
        T[ol + k] += ptj * W[oj + k];
      }
    }
    kAcc[j] = kj;
    sAcc[j] = sj;
    for (let k = 0; k < d; k++) T[oj + k] += tj[k];
  }
}

/** Largest d for which the unrolled loop is generated (beyond it, locals spill anyway). */
export const MAX_UNROLLED_DIM = 64;

const compiled = new Map<number, PairSums>();

/**
 * The pair sums for dimension d: generated and unrolled for d ≤ {@link MAX_UNROLLED_DIM}
 * (cached per d), else {@link pairSumsReference}.
 */
export function compilePairSums(d: number): PairSums {
  if (!Number.isInteger(d) || d < 1) throw new RangeError(`compilePairSums: bad dimension ${d}`);
  if (d > MAX_UNROLLED_DIM) return pairSumsReference;
  const hit = compiled.get(d);
  if (hit) return hit;
  const ks = Array.from({ length: d }, (_, k) => k);
  const lines = (f: (k: number) => string, sep = '\n') => ks.map(f).join(sep);
  // Same operations, in the same order, as pairSumsReference.
  const src = `
const { m, a, W, nrm, inv, kAcc, sAcc, T } = g;
const PI = Math.PI;
kAcc.fill(0); sAcc.fill(0); T.fill(0);
for (let j = 0; j < m; j++) {
  const oj = j * ${d};
  const aj = a[j], nj = nrm[j], ij = inv[j];
  ${lines((k) => `const w${k} = W[oj + ${k}];`, ' ')}
  let kj = kAcc[j] + aj * PI * nj * nj;
  let sj = sAcc[j];
  ${lines((k) => `let t${k} = aj * PI * w${k};`, ' ')}
  for (let l = j + 1; l < m; l++) {
    const ol = l * ${d};
    let dt = 0;
    ${lines((k) => `dt += w${k} * W[ol + ${k}];`, ' ')}
    const nl = nrm[l];
    const c = clipRho(dt * ij * inv[l]);
    const pt = piMinusTheta(c);
    const s = sinTheta(c);
    const kt = s * nj * nl + pt * dt;
    const al = a[l];
    kj += al * kt; kAcc[l] += aj * kt;
    sj += al * s * nl; sAcc[l] += aj * s * nj;
    const ptl = al * pt, ptj = aj * pt;
    ${lines((k) => `t${k} += ptl * W[ol + ${k}]; T[ol + ${k}] += ptj * w${k};`, '\n    ')}
  }
  kAcc[j] = kj; sAcc[j] = sj;
  ${lines((k) => `T[oj + ${k}] += t${k};`, ' ')}
}`;
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const raw = new Function('g', 'clipRho', 'piMinusTheta', 'sinTheta', src) as (g: PairSumArgs, ...f: ((x: number) => number)[]) => void;
  const fn: PairSums = (g) => raw(g, clipRho, piMinusTheta, sinTheta);
  compiled.set(d, fn);
  return fn;
}
