import { existsSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type EngineKind, nativeAvailable, setEngine } from '../../src/core/engine.js';
import { gemm, gemmRows } from '../../src/core/gemm.js';
import { nativeAxpy, nativeSyrkUpper, nativeUnavailableReason, setNativeThreads } from '../../src/core/gemmNative.js';
import { type Mat, mat } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';

const EPS = 2 ** -52;
const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const built = existsSync(new URL('../../build/Release/widelimit_native.node', import.meta.url));

/** alpha·op(A)op(B) + beta·C0 by the definition, and the rounding bound (k + 2)·ε·(|alpha|Σ|a||b| + |beta||c|) of each entry. */
function reference(tA: boolean, tB: boolean, alpha: number, A: Mat, B: Mat, beta: number, C0: Mat): { c: Float64Array; bound: Float64Array } {
  const m = tA ? A.cols : A.rows, k = tA ? A.rows : A.cols, n = tB ? B.rows : B.cols;
  const c = new Float64Array(m * n), bound = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
    let s = 0, sa = 0;
    for (let p = 0; p < k; p++) {
      const x = (tA ? A.data[p * m + i] : A.data[i * k + p]) * (tB ? B.data[j * k + p] : B.data[p * n + j]);
      s += x; sa += Math.abs(x);
    }
    const c0 = beta === 0 ? 0 : beta * C0.data[i * n + j];
    c[i * n + j] = alpha * s + c0;
    bound[i * n + j] = 2 * (k + 2) * EPS * (Math.abs(alpha) * sa + Math.abs(c0));
  }
  return { c, bound };
}

function operands(rng: Rng, tA: boolean, tB: boolean, m: number, n: number, k: number): { A: Mat; B: Mat; C0: Mat } {
  const A = tA ? mat(k, m) : mat(m, k), B = tB ? mat(n, k) : mat(k, n), C0 = mat(m, n);
  rng.fillNormal(A.data); rng.fillNormal(B.data); rng.fillNormal(C0.data);
  return { A, B, C0 };
}

describe('the native engine', () => {
  it('loads wherever it was built (npm ci builds it where a C++ compiler exists)', () => {
    if (built) expect(nativeUnavailableReason()).toBe('');
    else expect(nativeAvailable()).toBe(false);
  });
});

describe.skipIf(!nativeAvailable())('gemm on the native engine', () => {
  let previous: EngineKind;
  beforeAll(() => { previous = setEngine('native'); });
  afterAll(() => { setEngine(previous); });
  afterEach(() => { setNativeThreads(undefined); });

  it('computes alpha·op(A)op(B) + beta·C within the rounding bound: every transposition, edge tiles, skinny, several K-blocks', () => {
    const rng = new Rng('gemm-native');
    // tile 8×24 (AVX-512) or 4×12 (AVX2), K-block 384: sizes off the tiles, n ≤ 64 rows against wide, k over 3 blocks
    const shapes = [[37, 45, 53], [8, 24, 384], [9, 25, 385], [4, 4, 2048], [130, 7, 301], [32, 300, 900], [64, 97, 130], [5, 513, 70], [200, 4, 41]];
    for (const [m, n, k] of shapes) for (const tA of [false, true]) for (const tB of [false, true]) for (const beta of [0, 1, -1.3]) {
      const { A, B, C0 } = operands(rng, tA, tB, m, n, k);
      const C = mat(m, n, C0.data.slice());
      gemm(tA, tB, 0.7, A, B, beta, C);
      const { c, bound } = reference(tA, tB, 0.7, A, B, beta, C0);
      let worst = 0;
      for (let i = 0; i < c.length; i++) worst = Math.max(worst, Math.abs(C.data[i] - c[i]) / bound[i]);
      expect(worst, `${m}×${n}×${k} tA=${tA} tB=${tB} beta=${beta}`).toBeLessThanOrEqual(1);
    }
  });

  it('ignores NaN in C when beta = 0, as BLAS does', () => {
    const rng = new Rng('gemm-native-nan');
    const { A, B } = operands(rng, false, false, 16, 30, 70);
    const C = mat(16, 30); C.data.fill(NaN);
    gemm(false, false, 1, A, B, 0, C);
    expect(C.data.every(Number.isFinite)).toBe(true);
  });

  it('gives the same bits on 1, 2, 3 and 5 threads (split by columns with op(A) packed by each thread, or by rows), epilogues included', () => {
    const rng = new Rng('gemm-native-threads');
    for (const [m, n, k, tA, tB] of [[32, 1000, 800, false, true], [700, 40, 500, true, false], [257, 255, 129, false, false], [101, 700, 800, true, false], [45, 300, 390, false, true]] as const) {
      const { A, B, C0 } = operands(rng, tA, tB, m, n, k);
      const act = new Float64Array(m * n); rng.fillNormal(act);
      const bias = new Float64Array(n); rng.fillNormal(bias);
      const runs = [1, 2, 3, 5].map((t) => {
        setNativeThreads(t);
        const C = mat(m, n, C0.data.slice());
        gemm(tA, tB, 0.3, A, B, 0.5, C);
        const Z = mat(m, n), mask = new Uint8Array(m * n);
        gemmRows(tA, tB, 0.3, A, B, Z, () => { throw new Error('not fused'); }, { epi: { kind: 'abrelu', a: 0.1, ba: 0.9, bias: { b: bias, s: 0.2 }, mask } });
        const D = mat(m, n);
        gemmRows(tA, tB, 0.3, A, B, D, () => { throw new Error('not fused'); }, { epi: { kind: 'slopeAct', a: 0, ba: 1, act } });
        return [bits(C.data), bits(Z.data), Buffer.from(mask), bits(D.data)];
      });
      for (const r of runs.slice(1)) r.forEach((b, q) => expect(b.equals(runs[0][q])).toBe(true));
    }
  });

  it('packs op(A) again for each product: a product right after another of the same shape reads its own A (1 and 2 threads agree)', () => {
    const rng = new Rng('gemm-native-repack');
    const m = 32, n = 600, k = 400;
    const first = operands(rng, false, true, m, n, k), second = operands(rng, false, true, m, n, k);
    const runs = [1, 2].map((t) => {
      setNativeThreads(t);
      const C1 = gemm(false, true, 1, first.A, first.B), C2 = gemm(false, true, 1, second.A, first.B);
      return [bits(C1.data), bits(C2.data)];
    });
    expect(runs[1][0].equals(runs[0][0])).toBe(true);
    expect(runs[1][1].equals(runs[0][1])).toBe(true);
    expect(runs[1][1].equals(runs[1][0])).toBe(false);
  });

  it('syrkUpper: the upper triangle of alpha·A Aᵀ with the bits of gemm(false, true), tiles below the diagonal untouched, on any thread count', () => {
    const rng = new Rng('gemm-native-syrk');
    for (const [n, k] of [[9, 500], [37, 401], [130, 70], [301, 800]]) {
      const A = mat(n, k); rng.fillNormal(A.data);
      const full = gemm(false, true, 0.6, A, A).data;
      const runs = [1, 2, 3].map((t) => {
        setNativeThreads(t);
        const C = new Float64Array(n * n).fill(NaN);
        expect(nativeSyrkUpper(n, k, 0.6, A.data, C)).toBe(true);
        return C;
      });
      const upper = (C: Float64Array) => Float64Array.from({ length: (n * (n + 1)) / 2 }, (_, q) => {
        let i = 0, r = q;
        while (r >= n - i) { r -= n - i; i++; }
        return C[i * n + i + r];
      });
      const want = bits(upper(full));
      for (const C of runs) {
        expect(bits(upper(C)).equals(want), `${n}×${k}`).toBe(true);
        expect(bits(C).equals(bits(runs[0])), `${n}×${k} threads`).toBe(true);
      }
      // far below the diagonal (more than a tile of 8 or 24 away) nothing was written
      if (n > 48) expect(Number.isNaN(runs[0][(n - 1) * n])).toBe(true);
    }
  });

  it('axpy: t + c·g (or c·g) on a sub-range with the bits of the JavaScript loop, on any thread count, nothing outside the range', () => {
    const rng = new Rng('gemm-native-axpy');
    const len = 300_001, o = 7, n = 9 + len;
    const t0 = new Float64Array(n), g = new Float64Array(n);
    rng.fillNormal(t0); rng.fillNormal(g);
    const c = -0.0123456789;
    for (const acc of [true, false]) {
      const want = t0.slice();
      for (let i = o; i < o + len; i++) want[i] = acc ? want[i] + c * g[i] : c * g[i];
      for (const threads of [1, 2, 3]) {
        setNativeThreads(threads);
        const t = t0.slice();
        expect(nativeAxpy(t, g, c, o, len, acc)).toBe(true);
        expect(bits(t).equals(bits(want)), `acc=${acc} threads=${threads}`).toBe(true);
      }
    }
    expect(() => nativeAxpy(t0, g, c, 10, n, true)).toThrow(RangeError);
  });

  it('applies the fused epilogues with the bits of the same arithmetic done after the product', () => {
    const rng = new Rng('gemm-native-epilogue');
    const [m, n, k] = [33, 50, 400];
    const { A, B } = operands(rng, false, true, m, n, k);
    const plain = gemm(false, true, 0.9, A, B);
    const bias = new Float64Array(n); rng.fillNormal(bias);
    const dphi = new Float64Array(m * n); rng.fillNormal(dphi);
    const pos = Uint8Array.from({ length: m * n }, () => +(rng.uniform() < 0.5));
    const check = (epi: Parameters<typeof gemmRows>[7], f: (c: number, i: number, j: number) => number) => {
      const out = mat(m, n);
      gemmRows(false, true, 0.9, A, B, out, () => { throw new Error('not fused'); }, epi);
      const want = Float64Array.from(plain.data, (c, q) => f(c, Math.floor(q / n), q % n));
      expect(bits(out.data).equals(bits(want))).toBe(true);
    };
    const mask = new Uint8Array(m * n);
    check({ epi: { kind: 'abrelu', a: -0.5, ba: 1.5, bias: { b: bias, s: 0.1 }, mask } }, (c, _i, j) => { const z = c + 0.1 * bias[j]; return (-0.5 + 1.5 * +(z > 0)) * z; });
    for (let q = 0; q < m * n; q++) expect(mask[q]).toBe(+(plain.data[q] + 0.1 * bias[q % n] > 0));
    check({ epi: { kind: 'slopeAct', a: 0.2, ba: 0.8, act: dphi } }, (c, i, j) => c * (0.2 + 0.8 * +(dphi[i * n + j] > 0)));
    check({ epi: { kind: 'slopeMask', a: 0.2, ba: 0.8, positive: pos } }, (c, i, j) => c * (0.2 + 0.8 * pos[i * n + j]));
    check({ epi: { kind: 'slopeTable', dphi } }, (c, i, j) => c * dphi[i * n + j]);
    let rows = 0;
    check({ epi: { kind: 'slopeTable', dphi }, after: (i) => { expect(i).toBe(rows++); } }, (c, i, j) => c * dphi[i * n + j]);
    expect(rows).toBe(m);
  });

  it('agrees with the WebAssembly engine to 1e-12 relative to the largest entry (they round differently: fused multiply-adds)', () => {
    const rng = new Rng('gemm-native-wasm');
    for (const [m, n, k] of [[256, 300, 1024], [32, 2048, 512], [1000, 64, 40]]) for (const tA of [false, true]) for (const tB of [false, true]) {
      const { A, B } = operands(rng, tA, tB, m, n, k);
      const cn = gemm(tA, tB, 1, A, B).data;
      setEngine('wasm');
      const cw = gemm(tA, tB, 1, A, B).data;
      setEngine('native');
      let diff = 0, scale = 0, same = true;
      for (let i = 0; i < cn.length; i++) {
        diff = Math.max(diff, Math.abs(cn[i] - cw[i])); scale = Math.max(scale, Math.abs(cw[i]));
        same &&= cn[i] === cw[i];
      }
      expect(diff / scale).toBeLessThan(1e-12);
      expect(same).toBe(false); // a different engine indeed (FMA rounding): otherwise this test compares nothing
    }
  });
});
