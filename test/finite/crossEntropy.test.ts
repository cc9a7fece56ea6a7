import { describe, expect, it } from 'vitest';
import { type Mat, mat } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { lossAndGradient, makeLoss, pointLoss, pointLossDerivative } from '../../src/finite/loss.js';
import { lossGradient } from '../../src/finite/network.js';
import { initParams, packParams } from '../../src/finite/params.js';
import { frozenGeneral } from '../../src/limits/ntk/frozenLoss.js';
import { parseSpec } from '../../src/spec/validate.js';
import { gaussian, naiveForward, rows, smallArch, toNaive } from './helpers.js';

const CE = makeLoss('cross-entropy');

/** −Σ_i log softmax(f_i)[c_i] / (α² n), written from the definition (no shift: small logits only). */
function naiveCe(f: number[][], cls: number[], alpha = 1): number {
  let s = 0;
  f.forEach((row, i) => {
    const z = row.reduce((a, v) => a + Math.exp(v), 0);
    s -= Math.log(Math.exp(row[cls[i]]) / z);
  });
  return s / (alpha * alpha * f.length);
}

function oneHot(cls: number[], k: number): Mat {
  const y = mat(cls.length, k);
  cls.forEach((c, i) => { y.data[i * k + c] = 1; });
  return y;
}

describe('softmax cross-entropy', () => {
  const rng = new Rng('ce/values');
  const n = 5, k = 4;
  const f = gaussian(rng.child('f'), n, k, 2);
  const cls = [0, 3, 1, 1, 2];
  const y = oneHot(cls, k);

  it('equals −log softmax of the labelled class, averaged over rows and divided by α² (1e-14)', () => {
    for (const alpha of [1, 0.3, 4]) {
      expect(lossAndGradient(CE, f, y, alpha)).toBeCloseTo(naiveCe(rows(f), cls, alpha), 13);
    }
  });

  it('has the gradient of central differences of the definition (1e-9) and rows summing to 0', () => {
    const g = mat(n, k);
    lossAndGradient(CE, f, y, 1.7, g);
    const eps = 1e-5;
    for (let q = 0; q < n * k; q++) {
      const at = (d: number) => { const fr = rows(f); fr[Math.floor(q / k)][q % k] += d; return naiveCe(fr, cls, 1.7); };
      // truncation ε²ℓ'''/6 ~ 1e-11, rounding 1e-16/ε ~ 1e-11
      expect(Math.abs((at(eps) - at(-eps)) / (2 * eps) - g.data[q])).toBeLessThan(1e-9);
    }
    for (let i = 0; i < n; i++) expect(Math.abs(g.data.subarray(i * k, i * k + k).reduce((a, b) => a + b, 0))).toBeLessThan(1e-15);
  });

  it('with k = 2 is the logistic loss of the logit difference (value and gradient to 1e-15)', () => {
    const logistic = makeLoss('logistic');
    for (const [f1, f2] of [[0.3, -1.2], [5, 5.5], [-30, 40], [2e3, -1e3]]) {
      for (const c of [0, 1]) {
        const g = mat(1, 2);
        const v = lossAndGradient(CE, mat(1, 2, Float64Array.from([f1, f2])), oneHot([c], 2), 1, g);
        const u = f1 - f2, s = c === 0 ? 1 : -1;
        if (logistic.kind === 'cross-entropy') throw new Error('unreachable');
        expect(v).toBeCloseTo(pointLoss(logistic, u, s), 12);
        expect(g.data[0]).toBeCloseTo(pointLossDerivative(logistic, u, s), 14);
        expect(g.data[1]).toBeCloseTo(-pointLossDerivative(logistic, u, s), 14);
      }
    }
  });

  it('does not overflow at huge logits', () => {
    const v = lossAndGradient(CE, mat(1, 3, Float64Array.from([1e4, -1e4, 0])), oneHot([1], 3), 1);
    expect(v).toBeCloseTo(2e4, 8);
    expect(lossAndGradient(CE, mat(1, 3, Float64Array.from([1e4, -1e4, 0])), oneHot([0], 3), 1)).toBe(0);
  });

  it('backprops through a k = 3 network: matches central differences of the naive loss (1e-7)', () => {
    for (const param of ['ntk', 'ip', 'meanfield'] as const) {
      const arch = smallArch('tanh', param, { outputDim: 3, biasStd: 0.5, alpha: 1.3 });
      const r = new Rng(`ce/net/${param}`);
      const theta = initParams(arch, r.child('init'));
      const x = gaussian(r.child('x'), 4, 3);
      const labels = [2, 0, 1, 2];
      const { grads } = lossGradient(arch, CE, theta, x, oneHot(labels, 3));
      const g = packParams(arch, grads).flat;
      const { params: probe, flat } = packParams(arch, theta);
      const value = () => naiveCe(rows(x).map((xi) => naiveForward(arch, toNaive(probe), xi).F.map((v) => arch.alpha * v)), labels, arch.alpha);
      const eps = 1e-5;
      let num = 0, den = 0;
      for (let p = 0; p < flat.length; p++) {
        const v0 = flat[p];
        const at = (d: number) => { flat[p] = v0 + d; const out = value(); flat[p] = v0; return out; };
        const fd = (8 * (at(eps) - at(-eps)) - (at(2 * eps) - at(-2 * eps))) / (12 * eps);
        num += (fd - g[p]) ** 2; den += g[p] ** 2;
      }
      expect(den).toBeGreaterThan(0);
      expect(Math.sqrt(num / den)).toBeLessThan(1e-7);
    }
  });

  it('frozen-kernel dynamics, k = 2: the logit difference follows the logistic dynamics with kernel 2Θ (1e-12)', () => {
    const r = new Rng('ce/frozen');
    const nTr = 6, nTe = 3;
    const A = gaussian(r.child('a'), nTr + nTe, 4);
    const full = mat(nTr + nTe, nTr + nTe);
    for (let i = 0; i < nTr + nTe; i++) for (let j = 0; j < nTr + nTe; j++) {
      let s = 0; for (let q = 0; q < 4; q++) s += A.data[i * 4 + q] * A.data[j * 4 + q]; full.data[i * (nTr + nTe) + j] = s;
    }
    const block = (r0: number, nr: number, scale: number) => {
      const m = mat(nr, nTr);
      for (let i = 0; i < nr; i++) for (let j = 0; j < nTr; j++) m.data[i * nTr + j] = scale * full.data[(r0 + i) * (nTr + nTe) + j];
      return m;
    };
    const cls = [0, 1, 1, 0, 1, 0];
    const f0 = gaussian(r.child('f0'), nTr, 2, 0.5), f0t = gaussian(r.child('f0t'), nTe, 2, 0.5);
    const diff = (m: Mat) => mat(m.rows, 1, Float64Array.from({ length: m.rows }, (_, i) => m.data[2 * i] - m.data[2 * i + 1]));
    const times = [0, 0.5, 2];
    const ce = frozenGeneral({ kernel: block(0, nTr, 1), kernelTest: block(nTr, nTe, 1), y: oneHot(cls, 2), f0, f0Test: f0t }, CE, { kind: 'gd', lr: 0.05 }, times);
    const yl = mat(nTr, 1, Float64Array.from(cls.map((c) => (c === 0 ? 1 : -1))));
    const lg = frozenGeneral({ kernel: block(0, nTr, 2), kernelTest: block(nTr, nTe, 2), y: yl, f0: diff(f0), f0Test: diff(f0t) }, makeLoss('logistic'), { kind: 'gd', lr: 0.05 }, times);
    expect(ce.status).toBe('ok');
    times.forEach((_, t) => {
      diff(ce.fTrain[t]).data.forEach((v, i) => expect(Math.abs(v - lg.fTrain[t].data[i])).toBeLessThan(1e-12));
      diff(ce.fTest[t]).data.forEach((v, i) => expect(Math.abs(v - lg.fTest[t].data[i])).toBeLessThan(1e-12));
    });
    // and it learns: the training cross-entropy falls
    expect(lossAndGradient(CE, ce.fTrain[2], oneHot(cls, 2), 1)).toBeLessThan(lossAndGradient(CE, f0, oneHot(cls, 2), 1));
  });

  it('is refused on one output (spec validation names training.loss)', () => {
    expect(() => parseSpec({ data: { source: 'mnist', labels: 'parity' }, training: { loss: 'cross-entropy' } })).toThrow(/training\.loss.*k ≥ 2/);
    expect(parseSpec({ data: { source: 'mnist', labels: 'digit' }, training: { loss: 'ce' } }).training.loss).toBe('cross-entropy');
  });
});
