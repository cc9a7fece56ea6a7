/**
 * The adaptive Euler rule with which Geiger, Spigler, Jacot, Wyart 2020 (arXiv 1906.08034; code
 * `gradientflow/flow.py` of github.com/mariogeiger/feature_lazy) integrate gradient flow
 * (theory/geiger.md#model):
 *
 *   θ' = θ − dt · r ⊙ ∇Loss(θ);  dout = max_i |F_θ'(x_i) − F_θ(x_i)| / (0.1/α),
 *   dgrad = ‖v' − v‖² / (‖v‖ ‖v'‖) / 1e-4  (v = r ⊙ ∇Loss, the velocity);
 *   accept when both < 1 (then dt ← 1.1 dt if both < 1/2), else reject and dt ← dt/10.
 *
 * The first trial step is lr; steps are shortened to land on save times without changing the
 * proposed dt. First order in dt: a reference, not an accurate integrator
 * (theory/finite.md#gradient-flow).
 */
import type { Outcome } from '../core/errors.js';
import { allocParams } from './params.js';
import type { FlowHooks } from './trainFlow.js';
import { type TrainState, evalLoss, scaleByRates } from './trainState.js';

export const GEIGER_MAX_DOUT = 0.1;
export const GEIGER_MAX_DGRAD = 1e-4;

export function geigerFlow(
  s: TrainState, t0: number, saveTimes: readonly number[], hooks: FlowHooks, maxSteps = 1e7,
): { outcome: Outcome; stats: Record<string, number> } {
  const P = s.thetaFlat.length;
  const cand = allocParams(s.arch);
  const v = new Float64Array(P), vNew = new Float64Array(P);
  const F = new Float64Array(s.train.f.data.length);
  const outBuf = s.train.ws.out.data;
  const stats = { accepted: 0, rejected: 0, evaluations: 1 };
  const maxDout = GEIGER_MAX_DOUT / s.arch.alpha;
  let dt = s.opts.lr, t = t0;
  evalLoss(s, s.theta, s.train, s.grad);
  scaleByRates(s, v, s.gradFlat, 1, false, false);
  F.set(outBuf);
  const done = (outcome: Outcome) => ({ outcome, stats });
  for (let si = 0; si < saveTimes.length; si++) {
    const ts = saveTimes[si];
    while (t < ts) {
      if (stats.accepted + stats.rejected >= maxSteps) {
        return done({ status: 'not-converged', message: `gradient flow (geiger): ${maxSteps} steps reached at time ${t}` });
      }
      const last = t + dt >= ts - 1e-12 * Math.abs(ts);
      const h = last ? ts - t : dt;
      const c = cand.flat, th = s.thetaFlat;
      for (let i = 0; i < P; i++) c[i] = th[i] - h * v[i];
      const loss = evalLoss(s, cand.params, s.train, s.grad);
      stats.evaluations++;
      scaleByRates(s, vNew, s.gradFlat, 1, false, false);
      let dout = 0;
      for (let i = 0; i < F.length; i++) dout = Math.max(dout, Math.abs(outBuf[i] - F[i]));
      let dd = 0, n1 = 0, n2 = 0;
      for (let i = 0; i < P; i++) {
        const e = vNew[i] - v[i];
        dd += e * e; n1 += v[i] * v[i]; n2 += vNew[i] * vNew[i];
      }
      const dgrad = n1 === 0 || n2 === 0 ? 0 : dd / Math.sqrt(n1 * n2);
      const q1 = dout / maxDout, q2 = dgrad / GEIGER_MAX_DGRAD;
      if (!(q1 < 1 && q2 < 1)) {
        stats.rejected++;
        dt /= 10;
        if (!(dt > 1e-13 * ts)) {
          const status = Number.isNaN(loss) ? 'nan' : 'not-converged';
          return done({ status, message: `gradient flow (geiger): step size underflow at time ${t.toPrecision(6)} (loss ${loss})` });
        }
        continue;
      }
      stats.accepted++;
      th.set(c);
      v.set(vNew);
      F.set(outBuf);
      t = last ? ts : t + h;
      if (q1 < 0.5 && q2 < 0.5) dt *= 1.1;
      const stop = hooks.onAccept(t, loss);
      if (stop) return done(stop);
    }
    const stop = hooks.onSave(si, t);
    if (stop) return done(stop);
  }
  return done({ status: 'ok', message: '' });
}
