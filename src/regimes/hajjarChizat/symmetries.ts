/**
 * Symmetries preserved by the mean-field dynamics (Hajjar & Chizat 2023, arXiv 2211.08771, §3–4;
 * theory/meanfield.md#symmetries): ReLU particles, κ = 1, exact population risk (x ~ N(0, I/d)),
 * i.i.d. sphere initialization WITHOUT the symmetric pairing (w uniform on the unit sphere,
 * a = ±1), for several targets:
 *
 *   odd      f* = C Σ z_k x_k³ (z on all d coordinates)       symmetry (a, w) → (−a, −w)
 *   even     f* = C Σ z_k (x_k² − v)                             symmetry (a, w) → (a, −w)
 *   odd-sub  the cubic with z on the first d_H coordinates      + rotations of the complement
 *   even-sub the quadratic with z on the first d_H coordinates  + rotations of the complement
 *
 * Per target, m and seed: the sup over t of the distance to the symmetry class (symmetry.ts),
 * predicted O(m^{−1/2}) (exactly 0 at m = ∞, where the initial law is symmetric and the flow
 * keeps it); for odd targets the convergence rate of the linear coefficient c_t = (1/2m)Σ a_j w_j,
 * against the rate μ = (v/4)√(V² + 16‖w*‖²) of the reduced ODE; for subspace targets the
 * alignment of neurons with H (angles.ts) along time.
 */
import type { Status } from '../../core/errors.js';
import { fitLine } from '../../core/fit.js';
import { Rng } from '../../core/rng.js';
import { parseActivation } from '../../finite/activation.js';
import type { CurveRecord, LongRecord } from '../../harness/types.js';
import { subspaceCosines } from '../../limits/meanfield/angles.js';
import type { Risk } from '../../limits/meanfield/field.js';
import { runParticleFlow } from '../../limits/meanfield/flow.js';
import { initialV, solveOddReduced } from '../../limits/meanfield/oddTarget.js';
import { type ParticleInit, type ParticleShape, linearCoefficient, sampleParticles } from '../../limits/meanfield/particles.js';
import { type PopulationTarget, cubicOddTarget, quadraticEvenTarget } from '../../limits/meanfield/targets.js';
import { evenPartNorm, oddPartNorm, perpendicularAsymmetry, weightedAlignment } from './symmetry.js';

export type SymmetryTarget = 'odd' | 'even' | 'odd-sub' | 'even-sub';

export interface SymmetriesConfig {
  dim: number;
  subspaceDim: number;
  targets: SymmetryTarget[];
  widths: number[];
  seeds: number;
  tMax: number;
  records: number;
  rtol: number;
  seed: number;
  /** Window of the odd-target rate fit: ODE relative error ‖w_t − w*‖/‖w*‖ from rateWindow[0] down to rateWindow[1]. */
  rateWindow: [number, number];
}

export interface SymmetriesResult {
  records: LongRecord[];
  curves: CurveRecord[];
  /** Predicted rate μ of the odd target (reduced ODE) and ‖w*‖. */
  oddRate: number;
  /** The ODE's fitted decay rate on the rate window (the prediction the particles are compared with). */
  odeWindowRate: number;
  wStar: number;
  status: Status;
  message: string;
}

function targetOf(t: SymmetryTarget, c: SymmetriesConfig, v: number): PopulationTarget {
  const z = new Rng(c.seed).child(`target/${t}`).fillNormal(new Float64Array(c.dim));
  if (t.endsWith('-sub')) z.fill(0, c.subspaceDim);
  return t.startsWith('odd') ? cubicOddTarget(c.dim, v, z) : quadraticEvenTarget(v, z);
}

export function runSymmetries(c: SymmetriesConfig): SymmetriesResult {
  const d = c.dim;
  const v = 1 / d;
  const init: ParticleInit = { kind: 'sphere', radius: 1, aScale: 1, symmetric: false };
  const model = { activation: parseActivation('relu'), wRate: 1 };
  const times = Array.from({ length: c.records + 1 }, (_x, k) => (c.tMax * k) / c.records);
  const records: LongRecord[] = [];
  const curves: CurveRecord[] = [];
  const bad: string[] = [];
  let oddRate = NaN, wStar = NaN, odeWindowRate = NaN;
  for (const tk of c.targets) {
    const target = targetOf(tk, c, v);
    const risk: Risk = { kind: 'population', variance: v, target };
    const odd = tk.startsWith('odd');
    const sub = tk.endsWith('-sub');
    let window: [number, number] = [NaN, NaN];
    let ode: ReturnType<typeof solveOddReduced> | null = null;
    if (target.kind === 'odd') {
      const xn = Math.hypot(...target.xbar);
      const V = initialV(init, d);
      ode = solveOddReduced({ xbarNorm: xn, variance: v, V }, times);
      const ws = xn / v;
      const rate = (v / 4) * Math.sqrt(V * V + 16 * ws * ws);
      if (tk === 'odd') { oddRate = rate; wStar = ws; }
      const rel = ode.wNorm.map((w) => Math.abs(w - ws) / ws);
      window = [times[rel.findIndex((r) => r <= c.rateWindow[0])], times[rel.findIndex((r) => r <= c.rateWindow[1])]];
    }
    for (const m of c.widths) {
      const shape: ParticleShape = { m, d };
      for (let s = 0; s < c.seeds; s++) {
        const y0 = sampleParticles(init, shape, new Rng(c.seed).child(`particles/${tk}/m${m}/s${s}`));
        const asym: number[] = [];
        const perp: { moment: number; anisotropy: number }[] = [];
        const align: number[] = [];
        const coef: Float64Array[] = [];
        const cos = new Float64Array(m);
        const r = runParticleFlow(model, risk, shape, y0, {
          times, scheme: { kind: 'dopri5', rtol: c.rtol, atol: 1e-2 * c.rtol }, recordRisk: false,
          observe: (_k, _t, y) => {
            asym.push(odd ? evenPartNorm(y, shape, v) : oddPartNorm(y, shape, v));
            if (sub) {
              perp.push(perpendicularAsymmetry(y, shape, c.subspaceDim));
              align.push(weightedAlignment(y, shape, subspaceCosines(y, shape, { kind: 'coordinates', dim: c.subspaceDim }, cos)));
            }
            if (target.kind === 'odd') coef.push(linearCoefficient(y, shape));
          },
        });
        const ok = r.status === 'ok';
        if (!ok) bad.push(`${tk} m = ${m} seed ${s}: ${r.status} ${r.message}`);
        const rec = (metric: string, value: number) => records.push({ width: m, seed: s, metric: `${metric}.${tk}`, value: ok ? value : NaN });
        rec(odd ? 'evenPartSup' : 'oddPartSup', Math.max(...asym));
        rec(odd ? 'evenPartStart' : 'oddPartStart', asym[0]);
        if (sub) {
          rec('perpMomentSup', Math.max(...perp.map((x) => x.moment)));
          rec('perpAnisotropySup', Math.max(...perp.map((x) => x.anisotropy)));
          rec('alignmentEnd', align[align.length - 1]);
        }
        if (target.kind === 'odd' && ode) {
          const xhat = target.xbar.map((x) => x / Math.hypot(...target.xbar));
          const ws = Math.hypot(...target.xbar) / v;
          const dist = coef.map((w) => Math.hypot(...w.map((x, i) => x - ws * xhat[i])));
          const idx = times.map((t, i) => (t >= window[0] && t <= window[1] ? i : -1)).filter((i) => i >= 0);
          const fit = fitLine(idx.map((i) => times[i]), idx.map((i) => Math.log(dist[i])));
          // prediction: the reduced ODE's own decay rate on the same window (→ μ as the window shrinks)
          const odeFit = fitLine(idx.map((i) => times[i]), idx.map((i) => Math.log(Math.abs(ode!.wNorm[i] - ws))));
          rec('rateRatio', fit.slope / odeFit.slope);
          if (tk === 'odd' && m === c.widths[0] && s === 0) odeWindowRate = -odeFit.slope;
          rec('odeDistanceSup', Math.max(...coef.map((w, k) => Math.hypot(...w.map((x, i) => x - ode!.wNorm[k] * xhat[i])))));
        }
        if (s === 0) {
          times.forEach((t, k) => {
            curves.push({ width: m, seed: s, kind: tk, time: t, quantity: odd ? 'evenPartNorm' : 'oddPartNorm', value: asym[k] });
            if (sub) curves.push({ width: m, seed: s, kind: tk, time: t, quantity: 'alignment', value: align[k] });
          });
        }
      }
    }
  }
  return { records, curves, oddRate, odeWindowRate, wStar, status: bad.length ? 'failed' : 'ok', message: bad.join('; ') };
}
