/**
 * The time to the rate level under a prescribed kernel path, solved without expanding in the motion
 * (theory/theta.md#feed): dr/dt = −Θ_t r/n with Θ_t linear between the record times of a
 * {@link KernelPath} (constant after the last), the classical RK4 tableau (core/ode) with steps aligned to the record times
 * and h ≤ 0.1·n/λ_max, and the crossing of |r|²/|r(0)|² = level located by bisection on the length of
 * the last step. The second method against which feed.ts's first-order prediction is tested, and the
 * all-orders effect of a recorded path.
 */
import { eighValues } from '../../core/eigh.js';
import { type OdeRhs, createRkWork, rkAdvance, rkStep } from '../../core/ode/rkStep.js';
import { RK4 } from '../../core/ode/tableau.js';
import type { KernelPath } from './feed.js';

function kernelAt(path: KernelPath, t: number, out: Float64Array): void {
  const { times, kernels } = path;
  const last = times.length - 1;
  if (t >= times[last]) { out.set(kernels[last].data); return; }
  let i = 1;
  while (times[i] < t) i++;
  const w = (t - times[i - 1]) / (times[i] - times[i - 1]);
  const A = kernels[i - 1].data, B = kernels[i].data;
  for (let q = 0; q < out.length; q++) out[q] = (1 - w) * A[q] + w * B[q];
}

/** dr/dt = −Θ_t r/n under the path, for the project's Runge–Kutta step. */
function residualRhs(path: KernelPath, n: number): OdeRhs<void> {
  const K = new Float64Array(n * n);
  return (t, x, dx) => {
    kernelAt(path, t, K);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let j = 0; j < n; j++) s += K[i * n + j] * x[j];
      dx[i] = -s / n;
    }
  };
}

const norm2 = (x: Float64Array) => x.reduce((s, v) => s + v * v, 0);

/** The first time |r_t|²/|r_0|² ≤ level under the path (NaN when not reached within maxSteps steps). */
export function pathTimeTo(path: KernelPath, r0: ArrayLike<number>, level: number, maxSteps = 1e6): number {
  const n = r0.length;
  let lamMax = 0;
  for (const K of path.kernels) lamMax = Math.max(lamMax, eighValues(K)[n - 1]);
  const hMax = (0.1 * n) / Math.max(lamMax, 1e-300);
  const r = Float64Array.from(r0);
  const f = residualRhs(path, n), w = createRkWork(RK4, n);
  const target = level * norm2(r);
  const knots = [...path.times.slice(1), Infinity];
  let t = 0, steps = 0;
  f(t, r, w.k[0]);
  for (const end of knots) {
    while (t < end && steps++ < maxSteps) {
      const h = Math.min(hMax, end - t);
      rkStep(f, t, r, h, w);
      if (norm2(w.y1) <= target) {
        let lo = 0, hi = h;
        for (let it = 0; it < 60; it++) {
          const mid = 0.5 * (lo + hi);
          rkStep(f, t, r, mid, w);
          if (norm2(w.y1) <= target) hi = mid; else lo = mid;
        }
        return t + 0.5 * (lo + hi);
      }
      r.set(w.y1);
      rkAdvance(w);
      t = end - t <= h ? end : t + h;
    }
  }
  return NaN;
}
