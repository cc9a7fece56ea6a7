import { describe, expect, it } from 'vitest';
import { type EngineKind, engine, nativeAvailable, setEngine } from '../../../src/core/engine.js';
import { wasmGemmAvailable } from '../../../src/core/gemmWasm.js';
import { gemm } from '../../../src/core/gemm.js';
import { type Mat, mat } from '../../../src/core/matrix.js';
import { Rng } from '../../../src/core/rng.js';
import { parseActivation } from '../../../src/finite/activation.js';
import { abreluKernelsCross, abreluKernelsSymmetric } from '../../../src/limits/ntk/abreluRecursion.js';
import { dualActivation } from '../../../src/limits/ntk/dual.js';
import { RHO_SNAP } from '../../../src/core/arccos.js';
import { gramUpper, rowSquaredNorms } from '../../../src/limits/ntk/gram.js';
import type { KernelLayer } from '../../../src/limits/ntk/kernelOptions.js';
import { analyticKernels } from '../../../src/limits/ntk/kernels.js';

/**
 * The recursion as it was computed before the one-pass loop (session 2): the first-layer affine
 * map over the whole block, then one sweep per hidden layer with the same closed form, then the
 * diagonals by the diagonal map. An independent, layer-major evaluation order of the same
 * arithmetic: the one-pass loop must reproduce it bit for bit.
 */
function layerByLayer(a: number, b: number, layers: readonly KernelLayer[], K0: Mat, k1: Float64Array, k2: Float64Array): { S: Float64Array; T: Float64Array } {
  const n = K0.rows, m = K0.cols;
  const S = K0.data.slice(), T = new Float64Array(n * m);
  const sym = k1 === k2;
  const l0 = layers[0];
  for (let i = 0; i < n * m; i++) {
    const k = S[i];
    S[i] = l0.weightVar * k + l0.biasVar;
    T[i] = l0.weightTangent * k + l0.biasTangent;
  }
  const s1 = k1.map((v) => l0.weightVar * v + l0.biasVar), s2 = sym ? s1 : k2.map((v) => l0.weightVar * v + l0.biasVar);
  const ab = a * b, c2 = (b - a) * (b - a), sq = (a * a + b * b) / 2;
  for (const lay of layers.slice(1)) {
    const { weightVar: wv, biasVar: bv, weightTangent: wt, biasTangent: bt } = lay;
    const q1 = s1.map((v) => (v > 0 ? Math.sqrt(v) : 0)), q2 = s2.map((v) => (v > 0 ? Math.sqrt(v) : 0));
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < m; j++) {
        const o = i * m + j;
        let e0: number, e1: number;
        if (sym && i === j) {
          e0 = s1[i] > 0 ? sq * s1[i] : 0;
          e1 = s1[i] > 0 ? sq : a * a;
        } else {
          const s = q1[i] * q2[j];
          if (s > 0) {
            let rho = S[o] / s;
            rho = rho > 1 - RHO_SNAP ? 1 : rho < RHO_SNAP - 1 ? -1 : rho;
            const pt = Math.PI - Math.acos(rho);
            e0 = ab * rho * s + c2 * ((s * (Math.sqrt(1 - rho * rho) + pt * rho)) * (1 / (2 * Math.PI)));
            e1 = ab + c2 * (pt * (1 / (2 * Math.PI)));
          } else {
            e0 = 0;
            e1 = q1[i] > 0 || q2[j] > 0 ? a * ((a + b) / 2) : a * a;
          }
        }
        S[o] = wv * e0 + bv;
        T[o] = wt * e0 + bt + T[o] * wv * e1;
      }
    }
    for (const s of sym ? [s1] : [s1, s2]) for (let i = 0; i < s.length; i++) s[i] = wv * (s[i] > 0 ? sq * s[i] : 0) + bv;
  }
  return { S, T };
}

/** Rows of N(0, 1) entries with a duplicated row and a zero row (ρ = 1 off the diagonal; zero variance without bias). */
function inputs(seed: string, n: number, d: number): Mat {
  const x = mat(n, d);
  new Rng(seed).fillNormal(x.data);
  x.data.copyWithin(d, 0, d); // row 1 = row 0
  x.data.fill(0, 2 * d, 3 * d); // row 2 = 0
  return x;
}

/** Per-layer scales differing between layers (and a zero bias, so the zero row keeps variance 0). */
const LAYERS: KernelLayer[] = [
  { weightVar: 1.7, biasVar: 0, weightTangent: 0.9, biasTangent: 0 },
  { weightVar: 2.1, biasVar: 0, weightTangent: 1.3, biasTangent: 0 },
  { weightVar: 0.8, biasVar: 0.05, weightTangent: 1.1, biasTangent: 0.2 },
  { weightVar: 1.2, biasVar: 0.01, weightTangent: 1, biasTangent: 0.01 },
];

/** The engines here: the native one where the addon loads, and the JavaScript loop (wasm, else js). */
const ENGINES: EngineKind[] = [...(nativeAvailable() ? ['native' as const] : []), wasmGemmAvailable() ? 'wasm' : 'js'];

function differing(a: Float64Array, b: Float64Array): number {
  let count = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) count++;
  return count;
}

describe('one-pass ABReLU recursion (all layers per row segment)', () => {
  const x = inputs('rec-x', 23, 9);
  const x2 = inputs('rec-x2', 11, 9);
  const c = 1 / 9;
  // ReLU takes the specialised loop, the others the general ABReLU loop
  const cases: Array<[string, number, number]> = [['relu', 0, 1], ['leaky relu 0.2', 0.2, 1], ['|u|', -1, 1], ['ABReLU(-0.3, 2)', -0.3, 2]];

  for (const [name, a, b] of cases) {
    for (const depth of [0, 1, 3]) {
      it(`${name}, L = ${depth}: X×X equals the layer-by-layer sweeps bit for bit given the same K⁰, and is exactly symmetric (JavaScript loop and native passes, src/limits/ntk/abreluNative.ts)`, () => {
        const layers = LAYERS.slice(0, depth + 1);
        const K0 = gramUpper(x, c), k0 = rowSquaredNorms(x, c);
        const n = x.rows;
        for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) K0.data[i * n + j] = K0.data[j * n + i];
        const ref = layerByLayer(a, b, layers, K0, k0, k0);
        const previous = engine();
        try {
          // the native engine takes blocks of 8 rows: n = 23 leaves a partial block
          for (const e of ENGINES) {
            setEngine(e);
            const S = K0.data.slice(), T = new Float64Array(n * n);
            abreluKernelsSymmetric(a, b, layers, S, T, n, k0);
            expect(differing(S, ref.S), e).toBe(0);
            expect(differing(T, ref.T), e).toBe(0);
            for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) expect(T[i * n + j]).toBe(T[j * n + i]);
          }
        } finally {
          setEngine(previous);
        }
      });

      it(`${name}, L = ${depth}: X×X2 equals the layer-by-layer sweeps bit for bit`, () => {
        const layers = LAYERS.slice(0, depth + 1);
        const K0 = gemm(false, true, c, x, x2), k1 = rowSquaredNorms(x, c), k2 = rowSquaredNorms(x2, c);
        const ref = layerByLayer(a, b, layers, K0, k1, k2);
        const S = K0.data.slice(), T = new Float64Array(K0.data.length);
        abreluKernelsCross(a, b, layers, S, T, x.rows, x2.rows, k1, k2);
        expect(differing(S, ref.S)).toBe(0);
        expect(differing(T, ref.T)).toBe(0);
      });
    }
  }

  it('analyticKernels on X×X (syrk Gram) equals X×X2 with X2 a copy of X (gemm Gram) to 1e-13 relative', () => {
    // Same recursion, Gram entries from two summation orders (≤ k ε relative each, k = 300 here):
    // the recursion is well conditioned away from ρ = ±1 (the duplicate rows are snapped to ρ = 1
    // in both), so the kernels differ by a small multiple of that: 1e-13 leaves a wide margin.
    const xs = inputs('rec-big', 290, 300);
    const o = { depth: 3, activation: parseActivation('relu'), weightStd: 1.4, biasStd: 0.1, parameterization: 'ntk' as const };
    const sym = analyticKernels(o, xs);
    const cross = analyticKernels(o, xs, mat(xs.rows, xs.cols, xs.data.slice()));
    let worst = 0;
    for (let i = 0; i < sym.ntk.data.length; i++) {
      worst = Math.max(worst, Math.abs(sym.ntk.data[i] - cross.ntk.data[i]) / Math.abs(cross.ntk.data[i]));
      worst = Math.max(worst, Math.abs(sym.nngp.data[i] - cross.nngp.data[i]) / (Math.abs(cross.nngp.data[i]) + 1e-300));
    }
    expect(worst).toBeLessThan(1e-13);
    expect(dualActivation(o.activation).abrelu).toEqual({ a: 0, b: 1 });
  });
});
