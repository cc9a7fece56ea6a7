import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gemm, gemmLeftPanels, gemmPackedLeft } from '../../src/core/gemm.js';
import { setSparseGemm, wasmGemmAvailable } from '../../src/core/gemmWasm.js';
import { countNonzero } from '../../src/core/gemmSparse.js';
import { type Mat, mat } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { type EngineKind, setEngine } from '../../src/core/engine.js';

/** The bytes of a Float64Array, so that +0/−0 and NaN payloads count as differences. */
const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** A random matrix with a fraction `zeros` of exact zeros (half of them −0). */
function sparseMat(rows: number, cols: number, zeros: number, rng: Rng): Mat {
  const a = mat(rows, cols);
  rng.fillNormal(a.data);
  for (let i = 0; i < a.data.length; i++) if (rng.uniform() < zeros) a.data[i] = rng.uniform() < 0.5 ? 0 : -0;
  return a;
}

/** C = alpha·op(A)op(B) + beta·C0 with the sparse kernel forced on or off. */
function product(mode: 'always' | 'never', tA: boolean, tB: boolean, A: Mat, B: Mat, C0: Mat, beta: number): Float64Array {
  setSparseGemm(mode);
  return gemm(tA, tB, 0.7, A, B, beta, mat(C0.rows, C0.cols, C0.data.slice())).data;
}

// These tests are about the WebAssembly kernels: run them on that engine whatever the default.
let previousEngine: EngineKind;
beforeAll(() => { previousEngine = setEngine('wasm'); });
afterAll(() => { setEngine(previousEngine); });

describe('gemm: the sparse-row kernel', () => {
  afterEach(() => { setSparseGemm('auto'); });

  it('gives the same bits as the dense kernel for all transpositions, odd sizes and several K-blocks', () => {
    expect(wasmGemmAvailable()).toBe(true);
    const rng = new Rng('gemm-sparse');
    // k = 600 and 1024 span 3 and 4 K-blocks of 256; n = 7, 45 and 100 leave padded panel columns
    for (const [m, n, k] of [[37, 45, 53], [4, 16, 2048], [130, 7, 301], [64, 64, 600], [256, 100, 1024]]) {
      for (const tA of [false, true]) for (const tB of [false, true]) {
        for (const zeros of [0, 0.5, 0.95]) {
          const A = tA ? sparseMat(k, m, zeros, rng) : sparseMat(m, k, zeros, rng);
          const B = tB ? sparseMat(n, k, 0, rng) : sparseMat(k, n, 0, rng);
          const C0 = sparseMat(m, n, 0, rng);
          for (const beta of [0, -1.3]) {
            expect(bits(product('always', tA, tB, A, B, C0, beta)).equals(bits(product('never', tA, tB, A, B, C0, beta)))).toBe(true);
          }
        }
      }
    }
  });

  it('gives the same bits as the dense kernel when a row of op(A) is all zeros (the sum stays +0)', () => {
    const rng = new Rng('gemm-sparse-zero-row');
    const A = sparseMat(40, 300, 0.5, rng), B = sparseMat(300, 40, 0, rng);
    A.data.fill(-0, 0, 300);
    const C0 = mat(40, 40);
    const s = product('always', false, false, A, B, C0, 0);
    expect(bits(s).equals(bits(product('never', false, false, A, B, C0, 0)))).toBe(true);
    expect(Object.is(s[0], 0)).toBe(true);
  });

  it('is not used when B has an infinite entry, so that 0·∞ still gives NaN', () => {
    const rng = new Rng('gemm-sparse-inf');
    const A = sparseMat(40, 300, 0.5, rng), B = sparseMat(300, 40, 0, rng);
    A.data[0] = 0;
    B.data[0] = Infinity; // b(0, 0): meets a(0, 0) = 0 in C[0, 0]
    const s = product('always', false, false, A, B, mat(40, 40), 0);
    expect(Number.isNaN(s[0])).toBe(true);
    expect(bits(s).equals(bits(product('never', false, false, A, B, mat(40, 40), 0)))).toBe(true);
  });

  it('counts nonzeros with ±0 as zero and NaN as nonzero', () => {
    expect(countNonzero(new Float64Array([0, -0, 1, NaN, -2, Infinity]), 6)).toBe(4);
    expect(countNonzero(new Float64Array([1, 0, 1]), 2)).toBe(1);
  });
});

describe('gemm with a pre-packed left factor (gemmLeftPanels, gemmPackedLeft)', () => {
  afterEach(() => { setSparseGemm('auto'); });

  /** op(A) written into the panels by the layout documented in gemmWasm.ts. */
  function fill(panels: Float64Array, A: Mat, tA: boolean, m: number, k: number): void {
    for (let i = 0; i < m; i++) for (let p = 0; p < k; p++) panels[((i >> 2) * k + p) * 4 + (i & 3)] = tA ? A.data[p * m + i] : A.data[i * k + p];
  }

  it('gives the bits of gemm, whichever kernel (dense, sparse 8 or 12) gemm takes, for odd sizes, several K-blocks and beta', () => {
    expect(wasmGemmAvailable()).toBe(true);
    const rng = new Rng('packed-left');
    // [m, n, k]: m not a multiple of 4 (padding rows), k over two K-blocks of 256, n odd
    for (const [m, n, k] of [[4096, 16, 256], [37, 45, 530], [130, 7, 301]]) {
      for (const tA of [true, false]) for (const tB of [false, true]) {
        const A = tA ? sparseMat(k, m, 0.5, rng) : sparseMat(m, k, 0.5, rng);
        const B = tB ? sparseMat(n, k, 0.1, rng) : sparseMat(k, n, 0.1, rng);
        const C0 = sparseMat(m, n, 0, rng);
        for (const beta of [0, -1.3]) {
          setSparseGemm('never');
          const panels = gemmLeftPanels(tA, m, n, k);
          expect(panels).not.toBeNull();
          panels!.data.fill(NaN); // stale memory must not leak into the product
          fill(panels!.data, A, tA, m, k);
          const got = gemmPackedLeft(panels!, tB, 0.7, B, beta, mat(m, n, C0.data.slice())).data;
          for (const mode of ['never', 'always', 8, 12] as const) {
            setSparseGemm(mode);
            const want = gemm(tA, tB, 0.7, A, B, beta, mat(m, n, C0.data.slice())).data;
            expect(Array.from(got).every((v, i) => Object.is(v, want[i]))).toBe(true);
          }
        }
      }
    }
    // not vacuous: one entry of A changed changes the product
    setSparseGemm('never');
    const A = sparseMat(256, 64, 0.5, new Rng('pl-a')), B = sparseMat(256, 16, 0, new Rng('pl-b'));
    const want = gemm(true, false, 1, A, B);
    const panels = gemmLeftPanels(true, 64, 16, 256)!;
    A.data[5] += 1;
    fill(panels.data, A, true, 64, 256);
    const got = gemmPackedLeft(panels, false, 1, B, 0, mat(64, 16)).data;
    expect(Array.from(got).every((v, i) => Object.is(v, want.data[i]))).toBe(false);
  });

  it('offers panels only where gemm would take the dense kernel whatever A holds, and refuses stale panels', () => {
    setSparseGemm('auto');
    expect(gemmLeftPanels(true, 4096, 16, 256)).not.toBeNull(); // listing Aᵀ costs more than the dense product
    expect(gemmLeftPanels(true, 1024, 1024, 256)).toBeNull(); // the sparse kernels may win: decided on A's zeros
    expect(gemmLeftPanels(false, 3, 64, 4096)).toBeNull(); // m < 4: gemm's JavaScript loops
    expect(gemmLeftPanels(false, 8, 8, 8)).toBeNull(); // too small for the kernels
    setSparseGemm('always');
    expect(gemmLeftPanels(true, 4096, 16, 256)).toBeNull();
    setSparseGemm('never');
    const panels = gemmLeftPanels(true, 64, 16, 256)!;
    gemm(true, false, 1, sparseMat(256, 64, 0, new Rng('x')), sparseMat(256, 16, 0, new Rng('y')));
    expect(() => gemmPackedLeft(panels, false, 1, sparseMat(256, 16, 0, new Rng('y')), 0, mat(64, 16))).toThrow(/no longer/);
    const fresh = gemmLeftPanels(true, 64, 16, 256)!;
    expect(() => gemmPackedLeft(fresh, false, 1, mat(255, 16), 0, mat(64, 16))).toThrow(/panels are for/);
  });
});
