import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gemm } from '../../src/core/gemm.js';
import { WASM_MIN_WORK, wasmGemmAvailable } from '../../src/core/gemmWasm.js';
import { mat } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { type EngineKind, setEngine } from '../../src/core/engine.js';

/** op(A)·op(B) by the definition, in a different summation order than either kernel. */
function naive(tA: boolean, tB: boolean, A: ReturnType<typeof mat>, B: ReturnType<typeof mat>): Float64Array {
  const m = tA ? A.cols : A.rows, k = tA ? A.rows : A.cols, n = tB ? B.rows : B.cols;
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0;
    for (let p = k - 1; p >= 0; p--) s += (tA ? A.data[p * m + i] : A.data[i * k + p]) * (tB ? B.data[j * k + p] : B.data[p * n + j]);
    out[i * n + j] = s;
  }
  return out;
}

// These tests are about the WebAssembly kernels: run them on that engine whatever the default.
let previousEngine: EngineKind;
beforeAll(() => { previousEngine = setEngine('wasm'); });
afterAll(() => { setEngine(previousEngine); });

describe('gemm with the WebAssembly SIMD kernel', () => {
  it('is available in Node ≥ 20', () => expect(wasmGemmAvailable()).toBe(true));

  it('computes alpha·op(A)op(B) + beta·C for all four transpositions and sizes not multiple of 4', () => {
    const rng = new Rng('gemm-wasm');
    for (const [m, n, k] of [[37, 45, 53], [4, 4, 2048], [130, 7, 301], [64, 64, 64]]) {
      expect(m * n * k).toBeGreaterThanOrEqual(WASM_MIN_WORK); // the SIMD path is the one tested
      for (const tA of [false, true]) for (const tB of [false, true]) {
        const A = tA ? mat(k, m) : mat(m, k), B = tB ? mat(n, k) : mat(k, n);
        rng.fillNormal(A.data); rng.fillNormal(B.data);
        const C0 = mat(m, n); rng.fillNormal(C0.data);
        const C = mat(m, n, C0.data.slice());
        gemm(tA, tB, 0.7, A, B, -1.3, C);
        const ref = naive(tA, tB, A, B);
        // rounding: |error| ≤ k·ε·Σ|a||b| ≈ k·1e-16·√k → 1e-11 for k ≤ 2048
        for (let i = 0; i < ref.length; i++) expect(Math.abs(C.data[i] - (0.7 * ref[i] - 1.3 * C0.data[i]))).toBeLessThan(1e-11);
      }
    }
  });

  it('is deterministic: the same product twice is bit-identical', () => {
    const rng = new Rng('gemm-det');
    const A = mat(50, 300), B = mat(300, 70);
    rng.fillNormal(A.data); rng.fillNormal(B.data);
    expect(Array.from(gemm(false, false, 1, A, B).data)).toEqual(Array.from(gemm(false, false, 1, A, B).data));
  });
});
