import { describe, expect, it } from 'vitest';
import { averagedAngles, averagedByQuadrature, H_CLOSED, reducedNeuron } from '../../../../src/limits/meanfield/subspace/averagedKernel.js';

/** ½∫ g(s) ds by composite Simpson on a fine grid of s (θ = arccos of the affine c(s)). */
function bySimpson(u1: number, r1: number, u2: number, r2: number, n = 200000): number[] {
  const n1 = Math.hypot(u1, r1), n2 = Math.hypot(u2, r2);
  const acc = [0, 0, 0];
  for (let k = 0; k <= n; k++) {
    const s = -1 + (2 * k) / n;
    const w = (k === 0 || k === n ? 1 : k % 2 ? 4 : 2) / (3 * n);
    const c = Math.max(-1, Math.min(1, (u1 * u2 + r1 * r2 * s) / (n1 * n2)));
    const t = Math.acos(c);
    acc[0] += w * Math.sin(t);
    acc[1] += w * (Math.PI - t);
    acc[2] += w * (Math.PI - t) * s;
  }
  return acc;
}

describe('averaged arc-cosine angles (theory/subspace-reduction.md#averaged-kernel)', () => {
  const pairs: [number, number, number, number][] = [
    [0.3, 0.9, -0.5, 0.4], [1.2, 0.2, 0.7, 1.1], [-0.8, 0.6, -0.8, 0.6], [0.05, 1, 2, 0.3], [0.9, 0.9, 0.9, 0.9],
  ];
  it('closed form equals a fine Simpson average over s uniform on [−1, 1] (1e-7: Simpson at the √ endpoint kink)', () => {
    for (const [u1, r1, u2, r2] of pairs) {
      const got = averagedAngles(reducedNeuron(u1, r1), reducedNeuron(u2, r2), new Float64Array(3));
      const ref = bySimpson(u1, r1, u2, r2);
      for (let k = 0; k < 3; k++) expect(Math.abs(got[k] - ref[k])).toBeLessThan(1e-7);
    }
  });
  it('closed form and θ-quadrature agree where both apply (1e-11), and the quadrature branch matches Simpson for tiny h', () => {
    for (const [u1, r1, u2, r2] of [...pairs, [1, 0.02, 0.5, 0.6] as [number, number, number, number]]) {
      const p = reducedNeuron(u1, r1), q = reducedNeuron(u2, r2);
      const closed = averagedAngles(p, q, new Float64Array(3));
      const tm = Math.abs(p.alpha - q.alpha), sum = p.alpha + q.alpha;
      const quad = averagedByQuadrature(p, q, tm, sum <= Math.PI ? sum : 2 * Math.PI - sum, p.sa * q.sa, new Float64Array(3));
      if (p.sa * q.sa >= H_CLOSED && p.sa * q.sa > 0.1) for (let k = 0; k < 3; k++) expect(Math.abs(closed[k] - quad[k])).toBeLessThan(1e-6);
    }
    // a nearly aligned neuron (h < H_CLOSED: quadrature branch)
    const got = averagedAngles(reducedNeuron(1, 0.004), reducedNeuron(0.3, 0.8), new Float64Array(3));
    expect(0.004 * 0.8 / Math.hypot(0.3, 0.8)).toBeLessThan(H_CLOSED);
    const ref = bySimpson(1, 0.004, 0.3, 0.8);
    for (let k = 0; k < 3; k++) expect(Math.abs(got[k] - ref[k])).toBeLessThan(1e-9);
  });
  it('is continuous across the branch threshold h = H_CLOSED (1e-9)', () => {
    const q = reducedNeuron(0.2, 1);
    const sq = q.sa;
    const rOf = (h: number) => { const sa = h / sq; return sa / Math.sqrt(1 - sa * sa); };
    const a = averagedAngles(reducedNeuron(1, rOf(H_CLOSED * (1 + 1e-9))), q, new Float64Array(3));
    const b = averagedAngles(reducedNeuron(1, rOf(H_CLOSED * (1 - 1e-9))), q, new Float64Array(3));
    for (let k = 0; k < 3; k++) expect(Math.abs(a[k] - b[k])).toBeLessThan(1e-9);
  });
  it('degenerates to the plain arc-cosine angles when one neuron lies on H (h = 0)', () => {
    const got = averagedAngles(reducedNeuron(-0.7, 0), reducedNeuron(0.3, 0.5), new Float64Array(3));
    const t = Math.acos(-0.3 / Math.hypot(0.3, 0.5));
    expect(got[0]).toBeCloseTo(Math.sin(t), 14);
    expect(got[1]).toBeCloseTo(Math.PI - t, 14);
    expect(got[2]).toBe(0);
  });
});
