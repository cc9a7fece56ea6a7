/**
 * The native passes through a layer with few outputs (native/narrow.h, gemmNative.ts): the bits of
 * the JavaScript loops they replace (written out here in their order: each sum left to right from
 * 0; ∂S/∂W over samples by groups of four, a group's terms summed left to right and added, groups
 * whose four m·Δ are all ±0 skipped), on 1, 2 and 3 threads.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { nativeAvailable } from '../../src/core/engine.js';
import { type NarrowSlope, nativeNarrowBackward, nativeRowDots, setNativeThreads } from '../../src/core/gemmNative.js';
import { Rng } from '../../src/core/rng.js';

const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

function rowDotsLoop(A: Float64Array, W: Float64Array, m: number, n: number, h: number, k: number): Float64Array {
  const out = new Float64Array(n * k);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < h; j++) s += A[i * h + j] * W[c * h + j];
    out[i * k + c] = 0 + m * s;
  }
  return out;
}

function phi(s: NarrowSlope, o: number): number {
  return s.kind === 'act' ? s.a + s.ba * +(s.act[o] > 0) : s.kind === 'mask' ? s.a + s.ba * s.positive[o] : s.dphi[o];
}

function backwardLoop(dd: Float64Array, n: number, k: number, W: Float64Array, h: number, m: number, A: Float64Array, s: NarrowSlope) {
  const gw = new Float64Array(k * h), below = new Float64Array(n * h);
  const n4 = n - (n % 4);
  for (let p = 0; p < n; p += p < n4 ? 4 : 1) {
    const rows = p < n4 ? 4 : 1;
    for (let c = 0; c < k; c++) {
      const a = Array.from({ length: rows }, (_, r) => m * dd[(p + r) * k + c]);
      if (a.every((v) => v === 0)) continue;
      for (let j = 0; j < h; j++) {
        let t = a[0] * A[p * h + j];
        for (let r = 1; r < rows; r++) t += a[r] * A[(p + r) * h + j];
        gw[c * h + j] += t;
      }
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < h; j++) {
    if (k === 1) below[i * h + j] = m * dd[i] * W[j] * phi(s, i * h + j);
    else {
      let t = 0;
      for (let q = 0; q < k; q++) t += dd[i * k + q] * W[q * h + j];
      below[i * h + j] = m * t * phi(s, i * h + j);
    }
  }
  return { gw, below };
}

describe.skipIf(!nativeAvailable())('narrow layers on the native engine', () => {
  afterEach(() => { setNativeThreads(undefined); });
  const rng = new Rng('narrow-native');
  const normal = (len: number) => { const a = new Float64Array(len); rng.fillNormal(a); return a; };

  it('rowDots: the sums of the JavaScript loop, rows not a multiple of four, k = 1..3, on 1–3 threads', () => {
    for (const [n, h, k] of [[257, 300, 1], [66, 1030, 2], [5, 700, 3]]) {
      const A = normal(n * h), W = normal(k * h);
      const want = rowDotsLoop(A, W, 0.37, n, h, k);
      for (const t of [1, 2, 3]) {
        setNativeThreads(t);
        const out = new Float64Array(n * k);
        expect(nativeRowDots(A, W, 0.37, out, n, h, k)).toBe(true);
        expect(bits(out).equals(bits(want)), `${n}×${h} k=${k} threads=${t}`).toBe(true);
      }
    }
  });

  it('narrowBackward: ∂S/∂W and (m Δ W) ∘ φ′ with the bits of the JavaScript loops, every slope, skipped zero groups, NaN kept', () => {
    for (const [n, h, k] of [[130, 301, 1], [67, 520, 2], [9, 260, 3]]) {
      const dd = normal(n * k), W = normal(k * h), A = normal(n * h), act = normal(n * h);
      for (let q = 0; q < 4 * k; q++) dd[q] = q % 2 ? -0 : 0; // the first group of four is all zero
      dd[n * k - 1] = NaN;
      const positive = Uint8Array.from(act, (v) => +(v > 0));
      const slopes: NarrowSlope[] = [{ kind: 'act', a: 0.1, ba: 0.9, act }, { kind: 'mask', a: -0.3, ba: 1.1, positive }, { kind: 'table', dphi: normal(n * h) }];
      for (const s of slopes) {
        const want = backwardLoop(dd, n, k, W, h, 0.7, A, s);
        for (const t of [1, 2, 3]) {
          setNativeThreads(t);
          const gw = new Float64Array(k * h).fill(5), below = new Float64Array(n * h);
          expect(nativeNarrowBackward(dd, n, k, W, h, 0.7, { a: A, gw }, s, below)).toBe(true);
          expect(bits(gw).equals(bits(want.gw)), `gw ${n}×${h} k=${k} ${s.kind} threads=${t}`).toBe(true);
          expect(bits(below).equals(bits(want.below)), `below ${n}×${h} k=${k} ${s.kind} threads=${t}`).toBe(true);
        }
      }
    }
  });

  it('rejects operands shorter than their shapes (a RangeError, nothing written)', () => {
    const out = new Float64Array(3);
    expect(() => nativeRowDots(new Float64Array(10), new Float64Array(5), 1, out, 2, 5, 1)).not.toThrow();
    expect(() => nativeRowDots(new Float64Array(9), new Float64Array(5), 1, out, 2, 5, 1)).toThrow(RangeError);
    expect(() => nativeNarrowBackward(new Float64Array(2), 2, 1, new Float64Array(5), 5, 1, null, { kind: 'table', dphi: new Float64Array(9) }, new Float64Array(10))).toThrow(RangeError);
  });
});
