/**
 * Experiment kind `proportional-depth-width` (experiments/proportional-depth-width.json): finite
 * residual networks (branches β0/√L) at explicit cells (D, L) against the proportional DMFT at their
 * L and the L = ∞ depth ODE. It decides how the finite-width deviation Δ(L, D) = mean_s L_s(T) − L_L(T)
 * scales (theory/proportional.md#depth-width): its rate in D at fixed L, its growth in L at fixed D,
 * the D → ∞ extrapolation (Richardson in 1/D) of the finite networks against L = ∞, and the
 * difference of Δ between cells with the same L/D.
 */
import { writeJsonAtomic } from '../../core/atomic.js';
import { InputError, requirePositiveInt, show } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { trainProportionalNetwork } from '../../finite/deepLinearProportional.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { type ExperimentKind, type ExperimentOutput, registerExperimentKind } from '../../harness/kinds.js';
import type { LongRecord } from '../../harness/types.js';
import { solveInfiniteDepth } from '../../limits/proportional/depthOde.js';
import { solveResidualProportional } from '../../limits/proportional/residual.js';
import { type BootStatistic, bootstrap, type LossTable, logSlope } from './convergence.js';
import { type DepthParams, parseDepthParams, residualProblem } from './depth.js';

export interface DepthWidthParams extends Omit<DepthParams, 'blocks' | 'dim'> {
  /** Cells [D, L]: input dimension (N = νD, P = αD) and block count. */
  cells: [number, number][];
}

export function parseDepthWidthParams(c: ResolvedExperiment): DepthWidthParams {
  const raw = (c.params ?? {}) as Record<string, unknown>;
  const { cells: rawCells, ...rest } = raw;
  const base = parseDepthParams({ ...c, widths: [1], params: rest });
  if (!Array.isArray(rawCells) || rawCells.length === 0) throw new InputError(`${c.name}.params.cells`, `must list cells [D, L], got ${show(rawCells)}`);
  const cells = rawCells.map((x, i): [number, number] => {
    if (!Array.isArray(x) || x.length !== 2) throw new InputError(`${c.name}.params.cells[${i}]`, `must be [D, L], got ${show(x)}`);
    const D = requirePositiveInt(`${c.name}.params.cells[${i}][0]`, x[0]);
    if (!Number.isInteger(base.nu * D)) throw new InputError(`${c.name}.params.cells[${i}]`, `ν·D must be an integer width, got D = ${D}`);
    return [D, requirePositiveInt(`${c.name}.params.cells[${i}][1]`, x[1])];
  });
  const { blocks: _b, dim: _d, ...p } = base;
  return { ...p, cells, seeds: c.seeds };
}

const key = (D: number, L: number) => D * 100000 + L;
const fmt = (x: number, d = 3) => (Number.isFinite(x) ? Number(x.toPrecision(d)).toString() : '–');
const lastMean = (curves: Float64Array[], T: number) => curves.reduce((a, c) => a + c[T], 0) / curves.length;
const exact = (x: number, seeds: number, note: string): BootStatistic => ({ estimate: x, ci: [x, x], seeds, note });

/** Statistics: Δ per cell, its D-rate per L, its L-ratio per D, the 1/D-extrapolated gap to L = ∞ per L. */
export function depthWidthStatistics(p: DepthWidthParams, theory: Map<number, Float64Array>, inf: Float64Array, finite: LossTable, name: string): Record<string, BootStatistic> {
  const T = p.steps;
  const dev = (t: LossTable, D: number, L: number) => lastMean(t.get(key(D, L))!, T) - theory.get(L)![T];
  const Ls = [...new Set(p.cells.map((c) => c[1]))].sort((a, b) => a - b);
  const Ds = [...new Set(p.cells.map((c) => c[0]))].sort((a, b) => a - b);
  const has = (D: number, L: number) => finite.has(key(D, L));
  const out: Record<string, BootStatistic> = {};
  for (const [D, L] of p.cells) out[`deviation@D${D}L${L}`] = bootstrap(finite, (t) => dev(t, D, L), `${name}/dev/${D}/${L}`);
  for (const L of Ls) {
    out[`gapTheory@L${L}`] = exact(theory.get(L)![T] - inf[T], p.seeds, `DMFT: L_T at L = ${L} minus L = ∞`);
    const dims = Ds.filter((D) => has(D, L));
    if (dims.length < 2) continue;
    const sign = Math.sign(dev(finite, dims[dims.length - 1], L));
    out[`deviationExponent@L${L}`] = bootstrap(finite, (t) => {
      const ys = dims.map((D) => sign * dev(t, D, L));
      return ys.every((y) => y > 0) ? logSlope(dims, ys) : NaN;
    }, `${name}/rate/${L}`);
    const [D1, D2] = [dims[0], dims[dims.length - 1]];
    out[`extrapolatedGap@L${L}`] = bootstrap(finite, (t) => (D2 * lastMean(t.get(key(D2, L))!, T) - D1 * lastMean(t.get(key(D1, L))!, T)) / (D2 - D1) - inf[T], `${name}/richardson/${L}`);
  }
  // cells with the same L/D: the difference of their deviations (zero if Δ depends on L/N only)
  for (const [D1, L1] of p.cells) {
    for (const [D2, L2] of p.cells) {
      if (D1 < D2 && L1 * D2 === L2 * D1) out[`collapse@D${D1}L${L1}-D${D2}L${L2}`] = bootstrap(finite, (t) => dev(t, D1, L1) - dev(t, D2, L2), `${name}/collapse/${D1}/${L1}/${D2}/${L2}`);
    }
  }
  for (const D of Ds) {
    const ls = Ls.filter((L) => has(D, L));
    if (ls.length < 2) continue;
    const [L1, L2] = [ls[0], ls[ls.length - 1]];
    out[`depthRatio@D${D}`] = bootstrap(finite, (t) => dev(t, D, L2) / dev(t, D, L1), `${name}/ratio/${D}`);
  }
  return out;
}

export const proportionalDepthWidthKind: ExperimentKind<DepthWidthParams> = {
  kind: 'proportional-depth-width',
  description: 'finite residual deep linear networks at cells (D, L) against the proportional DMFT at their L and the L = ∞ depth ODE: the finite-width deviation in D and L',
  parse: parseDepthWidthParams,
  async run(p: DepthWidthParams, c: ResolvedExperiment, ctx): Promise<ExperimentOutput> {
    const t0 = Date.now();
    const problem = residualProblem(p);
    const infSol = solveInfiniteDepth(problem, p.beta0, p.depthSteps);
    const Ls = [...new Set(p.cells.map((x) => x[1]))].sort((a, b) => a - b);
    const sols = Ls.map((L) => solveResidualProportional(problem, L, p.beta0));
    const bad = [infSol, ...sols].find((s) => s.status !== 'ok');
    const theory = new Map(Ls.map((L, i) => [L, sols[i].testLoss]));
    const finite: LossTable = new Map();
    for (const [D, L] of p.cells) {
      finite.set(key(D, L), Array.from({ length: p.seeds }, (_, s) => trainProportionalNetwork({
        dim: D, width: Math.round(p.nu * D), depth: L, gammaBar: p.gammaBar, eta: p.eta, sigma: p.sigma, steps: p.steps,
        data: { kind: 'repeated', samples: Math.round(p.alpha * D) }, residual: { beta0: p.beta0 },
      }, new Rng(`proportional-depth-width/${D}/${L}/${s + p.firstSeed}`)).testLoss));
    }
    const statistics = depthWidthStatistics(p, theory, infSol.testLoss, finite, c.name);
    writeJsonAtomic(`${ctx.out}/statistics.json`, statistics);
    const T = p.steps;
    const records: LongRecord[] = [];
    for (const [D, L] of p.cells) {
      finite.get(key(D, L))!.forEach((cv, seed) => records.push({ width: D, seed, metric: `lossLast-L${L}`, value: cv[T] }));
      records.push({ width: D, seed: null, metric: `lossTheoryLast-L${L}`, value: theory.get(L)![T] });
    }
    const s = (k: string) => `${k} = ${fmt(statistics[k].estimate)} [${fmt(statistics[k].ci[0])}, ${fmt(statistics[k].ci[1])}]`;
    return {
      records,
      fits: [],
      axis: { name: 'D', label: 'input dimension D' },
      status: bad ? bad.status : 'ok',
      message: bad ? bad.message : `L = ∞ solver residual ${fmt(infSol.residual)} (K = ${p.depthSteps}, ${2 * p.depthSteps}); ${fmt((Date.now() - t0) / 1000)} s`,
      spec: p,
      references: ['bordelon2025'],
      notes: [
        `Setting (theory/proportional.md#residual-network): β0 = ${p.beta0}, ν = ${p.nu}, μP γ̄ = ${p.gammaBar}, η = ${p.eta}, σ = ${p.sigma}, α = ${p.alpha}, ${T} steps, ${p.seeds} seeds per cell (D, L) = ${p.cells.map((x) => `(${x[0]}, ${x[1]})`).join(', ')}.`,
        `Last-step test loss: L = ∞ ${fmt(infSol.testLoss[T], 4)}; DMFT ${Ls.map((L) => `L = ${L}: ${fmt(theory.get(L)![T], 4)}`).join(', ')}; finite ${p.cells.map(([D, L]) => `(${D}, ${L}): ${fmt(lastMean(finite.get(key(D, L))!, T), 4)}`).join(', ')}.`,
        `Statistics (95 % bootstrap over seeds, independently per cell): ${Object.keys(statistics).map(s).join('; ')}.`,
      ],
      statistics,
    } as ExperimentOutput & { statistics: Record<string, BootStatistic> };
  },
};

export function registerDepthWidthKind(): void {
  registerExperimentKind(proportionalDepthWidthKind);
}
