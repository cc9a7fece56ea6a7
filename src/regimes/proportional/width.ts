/**
 * Experiment kind `proportional-width` (experiments/proportional-width.json): "wider is better"
 * and learning-rate transfer in the proportional limit (theory/proportional.md#units). For each
 * parameterization (μP: γ̄ fixed; NTK: γ̄ = 1/√ν), width ratio ν and rate η of a grid: the DMFT test
 * loss after T steps and the seed mean of finite networks at D (the largest of the config's widths).
 * Statistics for claims: the finite loss drop L(ν_min) − L(ν_max) at the reference rate, and the
 * slope of log η* against log ν (η* from a parabola through the grid minimum of log loss in log η),
 * both with bootstrap intervals over seeds, beside the DMFT values.
 */
import { writeJsonAtomic } from '../../core/atomic.js';
import { InputError, requirePositive, show } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { trainProportionalNetwork } from '../../finite/deepLinearProportional.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { type ExperimentKind, type ExperimentOutput, registerExperimentKind } from '../../harness/kinds.js';
import type { LongRecord } from '../../harness/types.js';
import { solveProportional } from '../../limits/proportional/solve.js';
import { type BootStatistic, logSlope } from './convergence.js';
import { finiteData, type Parameterization, parseProportionalParams, problemOf, type ProportionalParams } from './params.js';

interface WidthParams { base: ProportionalParams; nus: number[]; etas: number[]; etaRef: number }

function parseWidth(c: ResolvedExperiment): WidthParams {
  const { nus, etas, etaRef, ...rest } = (c.params ?? {}) as Record<string, unknown>;
  const base = parseProportionalParams({ ...c, params: rest });
  const list = (w: string, v: unknown) => {
    if (!Array.isArray(v) || v.length < 3) throw new InputError(`${c.name}.params.${w}`, `must list at least three positive numbers, got ${show(v)}`);
    return v.map((x, i) => requirePositive(`${c.name}.params.${w}[${i}]`, x)).sort((a, b) => a - b);
  };
  const e = list('etas', etas);
  const ref = requirePositive(`${c.name}.params.etaRef`, etaRef ?? e[0]);
  if (!e.includes(ref)) throw new InputError(`${c.name}.params.etaRef`, `must be one of params.etas, got ${show(etaRef)}`);
  return { base, nus: list('nus', nus), etas: e, etaRef: ref };
}

/** Final-step test loss [ν][η][seed] of finite networks and [ν][η] of the DMFT. */
interface Grid { finite: number[][][]; theory: number[][] }

/** The finite networks run at the largest D of the config's widths. */
const finiteDim = (w: WidthParams) => Math.max(...w.base.dims);

function runGrid(w: WidthParams, par: Parameterization): Grid {
  const D = finiteDim(w);
  const finite: number[][][] = [];
  const theory: number[][] = [];
  for (const nu of w.nus) {
    const gammaBar = par === 'ntk' ? 1 / Math.sqrt(nu) : w.base.gammaBar;
    const rowF: number[][] = [];
    const rowT: number[] = [];
    for (const eta of w.etas) {
      const p: ProportionalParams = { ...w.base, nu, eta, gammaBar, parameterization: par };
      const s = solveProportional(problemOf(p), { residual: false });
      rowT.push(s.status === 'ok' ? s.testLoss[p.steps] : Infinity);
      const seeds: number[] = [];
      for (let k = 0; k < p.seeds; k++) {
        const r = trainProportionalNetwork({ dim: D, width: Math.round(nu * D), depth: p.depth, gammaBar, eta, sigma: p.sigma, steps: p.steps, data: finiteData(p, D) }, new Rng(`width/${D}/${k + p.firstSeed}`));
        const v = r.testLoss[p.steps];
        seeds.push(Number.isFinite(v) ? v : Infinity);
      }
      rowF.push(seeds);
    }
    finite.push(rowF);
    theory.push(rowT);
  }
  return { finite, theory };
}

/** argmin over the η grid of a loss row, refined by a parabola in (log η, log loss). */
export function bestRate(etas: number[], loss: number[]): number {
  let i = 0;
  for (let k = 1; k < loss.length; k++) if (loss[k] < loss[i]) i = k;
  if (i === 0 || i === loss.length - 1 || !Number.isFinite(loss[i - 1]) || !Number.isFinite(loss[i + 1])) return etas[i];
  const x = [i - 1, i, i + 1].map((k) => Math.log(etas[k]));
  const y = [i - 1, i, i + 1].map((k) => Math.log(loss[k]));
  const d1 = (y[1] - y[0]) / (x[1] - x[0]);
  const d2 = (y[2] - y[1]) / (x[2] - x[1]);
  const a = (d2 - d1) / (x[2] - x[0]);
  if (!(a > 0)) return etas[i];
  const xm = (x[0] + x[1]) / 2 - d1 / (2 * a);
  return Math.exp(Math.min(x[2], Math.max(x[0], xm)));
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/** Statistics of one parameterization from per-seed tables (resampled by `pick`). */
function stats(w: WidthParams, g: Grid, pick: number[]): { drop: number; slope: number } {
  const r = w.etas.indexOf(w.etaRef);
  const m = (iv: number, ie: number) => mean(pick.map((k) => g.finite[iv][ie][k]));
  const drop = m(0, r) - m(w.nus.length - 1, r);
  const best = w.nus.map((_, iv) => bestRate(w.etas, w.etas.map((_, ie) => m(iv, ie))));
  return { drop, slope: logSlope(w.nus, best) };
}

function boot(w: WidthParams, g: Grid, key: 'drop' | 'slope', seed: string): BootStatistic {
  const S = w.base.seeds;
  const all = Array.from({ length: S }, (_, k) => k);
  const rng = new Rng(seed);
  const vals: number[] = [];
  for (let b = 0; b < 400; b++) {
    const v = stats(w, g, all.map(() => rng.int(S)))[key];
    if (Number.isFinite(v)) vals.push(v);
  }
  vals.sort((a, b) => a - b);
  const q = (x: number) => vals[Math.min(vals.length - 1, Math.floor(x * vals.length))];
  return { estimate: stats(w, g, all)[key], ci: [q(0.025), q(0.975)], seeds: S, note: '95 % percentile bootstrap over seeds (same seeds at every ν and η)' };
}

export const proportionalWidthKind: ExperimentKind<WidthParams> = {
  kind: 'proportional-width',
  description: 'wider is better and learning-rate transfer in the proportional limit: μP against NTK over ν × η, DMFT and finite networks',
  parse: parseWidth,
  async run(w: WidthParams, c: ResolvedExperiment, ctx): Promise<ExperimentOutput> {
    const records: LongRecord[] = [];
    const statistics: Record<string, BootStatistic> = {};
    const notes: string[] = [];
    for (const par of ['mup', 'ntk'] as const) {
      const g = runGrid(w, par);
      const r = w.etas.indexOf(w.etaRef);
      w.nus.forEach((nu, iv) => w.etas.forEach((eta, ie) => {
        records.push({ width: nu, seed: null, metric: `${par}TheoryLoss@${eta}`, value: g.theory[iv][ie] });
        g.finite[iv][ie].forEach((v, k) => records.push({ width: nu, seed: k, metric: `${par}Loss@${eta}`, value: v }));
      }));
      const tBest = w.nus.map((_, iv) => bestRate(w.etas, g.theory[iv]));
      const tDrop = g.theory[0][r] - g.theory[w.nus.length - 1][r];
      const tSlope = logSlope(w.nus, tBest);
      statistics[`${par}Drop`] = boot(w, g, 'drop', `${c.name}/${par}/drop`);
      statistics[`${par}RateSlope`] = boot(w, g, 'slope', `${c.name}/${par}/slope`);
      statistics[`${par}DropTheory`] = { estimate: tDrop, ci: [tDrop, tDrop], seeds: w.base.seeds, note: 'DMFT value' };
      statistics[`${par}RateSlopeTheory`] = { estimate: tSlope, ci: [tSlope, tSlope], seeds: w.base.seeds, note: 'DMFT value' };
      const f = (k: string) => `${statistics[k].estimate.toPrecision(3)} [${statistics[k].ci[0].toPrecision(3)}, ${statistics[k].ci[1].toPrecision(3)}]`;
      notes.push(`${par}: DMFT loss at η = ${w.etaRef}: ${w.nus.map((nu, iv) => `ν = ${nu}: ${g.theory[iv][r].toPrecision(4)}`).join(', ')}; DMFT best η: ${w.nus.map((nu, iv) => `ν = ${nu}: ${tBest[iv].toPrecision(3)}`).join(', ')}. Finite (D = ${finiteDim(w)}): drop ${f(`${par}Drop`)} (DMFT ${tDrop.toPrecision(3)}), slope of log η* on log ν ${f(`${par}RateSlope`)} (DMFT ${tSlope.toPrecision(3)}).`);
    }
    writeJsonAtomic(`${ctx.out}/statistics.json`, statistics);
    const out: ExperimentOutput & { statistics: Record<string, BootStatistic> } = {
      records, fits: [], axis: { name: 'nu', label: 'width ratio ν = N/D' }, status: 'ok', message: '', spec: w,
      references: ['bordelon2025'], notes, statistics,
    };
    return out;
  },
};

export function registerWidthKind(): void {
  registerExperimentKind(proportionalWidthKind);
}
