/**
 * Experiment kind `proportional-depth` (experiments/proportional-depth*.json): residual networks
 * with branches β0/√L at L = blocks, in the proportional DMFT (block recursion, residual.ts) and as
 * finite networks at one D, against the L = ∞ depth ODE (theory/proportional.md#depth-ode).
 * Statistics for claims: the DMFT's sup-over-time gap to L = ∞ against L (fitted and tail
 * exponents, theory/proportional.md#depth-rate) and the finite networks' last-step losses against
 * the DMFT at their L (bootstrap over seeds, independently at each L).
 */
import { writeJsonAtomic } from '../../core/atomic.js';
import { InputError, requireNonNegative, requireNonNegativeInt, requirePositive, requirePositiveInt, show } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { trainProportionalNetwork } from '../../finite/deepLinearProportional.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { type ExperimentKind, type ExperimentOutput, registerExperimentKind } from '../../harness/kinds.js';
import type { CurveRecord, LongRecord } from '../../harness/types.js';
import { solveInfiniteDepth } from '../../limits/proportional/depthOde.js';
import { ISOTROPIC, type ProportionalProblem } from '../../limits/proportional/problem.js';
import { solveResidualProportional } from '../../limits/proportional/residual.js';
import { type BootStatistic, bootstrap, type LossTable, logSlope } from './convergence.js';

export interface DepthParams {
  nu: number;
  gammaBar: number;
  eta: number;
  sigma: number;
  alpha: number;
  steps: number;
  beta0: number;
  /** Block counts L (the config's `widths`). */
  blocks: number[];
  /** Depth-grid steps K of the L = ∞ solver (Richardson over K and 2K). */
  depthSteps: number;
  /** Seeds are firstSeed … firstSeed + seeds − 1 (default 0; new seeds for a revision run). */
  firstSeed: number;
  /** Input dimension D of the finite networks (N = νD, P = αD). */
  dim: number;
  seeds: number;
}

const FIELDS = ['nu', 'gammaBar', 'eta', 'sigma', 'alpha', 'steps', 'beta0', 'dim', 'depthSteps', 'firstSeed'];

export function parseDepthParams(c: ResolvedExperiment): DepthParams {
  const w = `${c.name}.params`;
  const p = c.params ?? {};
  for (const k of Object.keys(p)) if (!FIELDS.includes(k)) throw new InputError(`${w}.${k}`, `unknown field (allowed: ${FIELDS.join(', ')})`);
  // The config's `widths` are the block counts L (the axis); the input dimension is params.dim.
  const blocks = c.widths.map((L, i) => requirePositiveInt(`${c.name}.widths[${i}]`, L));
  for (let i = 1; i < blocks.length; i++) if (blocks[i] <= blocks[i - 1]) throw new InputError(`${c.name}.widths`, `block counts must be increasing, got ${show(blocks)}`);
  const nu = requirePositive(`${w}.nu`, p.nu ?? 1);
  const dim = requirePositiveInt(`${w}.dim`, p.dim ?? 256);
  if (!Number.isInteger(nu * dim)) throw new InputError(`${w}.nu`, `ν·D must be an integer width, got ν = ${nu}, D = ${dim}`);
  return {
    nu, dim, blocks, seeds: c.seeds,
    gammaBar: requirePositive(`${w}.gammaBar`, p.gammaBar ?? 1),
    eta: requirePositive(`${w}.eta`, p.eta ?? 0.05),
    sigma: requireNonNegative(`${w}.sigma`, p.sigma ?? 0.3),
    alpha: requirePositive(`${w}.alpha`, p.alpha ?? 2),
    steps: requirePositiveInt(`${w}.steps`, p.steps ?? 20),
    beta0: requirePositive(`${w}.beta0`, p.beta0 ?? 1),
    depthSteps: requirePositiveInt(`${w}.depthSteps`, p.depthSteps ?? 64),
    firstSeed: requireNonNegativeInt(`${w}.firstSeed`, p.firstSeed ?? 0),
  };
}

const supGap = (a: Float64Array, b: Float64Array) => a.reduce((m, x, t) => Math.max(m, Math.abs(x - b[t])), 0);
const fmt = (x: number, d = 3) => (Number.isFinite(x) ? Number(x.toPrecision(d)).toString() : '–');
const exact = (x: number, seeds: number, note: string): BootStatistic => ({ estimate: x, ci: [x, x], seeds, note });
const lastMean = (curves: Float64Array[], T: number) => curves.reduce((a, c) => a + c[T], 0) / curves.length;

/** Statistics named by the claims (theory: exact values; finite: bootstrap over seeds). */
function depthStatistics(p: DepthParams, theory: Float64Array[], inf: Float64Array, finite: LossTable, name: string): Record<string, BootStatistic> {
  const Ls = p.blocks;
  const T = p.steps;
  const k = Ls.length - 1;
  const gaps = theory.map((c) => supGap(c, inf));
  const tail = Math.log(gaps[k] / gaps[k - 1]) / Math.log(Ls[k] / Ls[k - 1]);
  const effect = (t: LossTable) => lastMean(t.get(Ls[k])!, T) - lastMean(t.get(Ls[0])!, T);
  const offset = (t: LossTable) => Ls.reduce((a, L, i) => a + (lastMean(t.get(L)!, T) - theory[i][T]) / Ls.length, 0);
  const gapLargest = (t: LossTable) => lastMean(t.get(Ls[k])!, T) - inf[T];
  return {
    gapExponent: exact(logSlope(Ls, gaps), p.seeds, `DMFT: slope of log sup_t|L_L − L_∞| on log L over L = ${Ls.join(', ')}`),
    gapExponentTail: exact(tail, p.seeds, `DMFT: the same between L = ${Ls[k - 1]} and ${Ls[k]}`),
    depthEffectTheory: exact(theory[k][T] - theory[0][T], p.seeds, `DMFT: L_T at L = ${Ls[k]} minus at L = ${Ls[0]}`),
    depthEffectFinite: bootstrap(finite, effect, `${name}/effect`),
    offsetFinite: bootstrap(finite, offset, `${name}/offset`),
    gapLargestTheory: exact(theory[k][T] - inf[T], p.seeds, `DMFT: L_T at L = ${Ls[k]} minus L = ∞`),
    gapLargestFinite: bootstrap(finite, gapLargest, `${name}/gapLargest`),
  };
}

function records(p: DepthParams, theory: Float64Array[], inf: Float64Array, finite: LossTable): { records: LongRecord[]; curves: CurveRecord[] } {
  const T = p.steps;
  const out: LongRecord[] = [];
  const curves: CurveRecord[] = [];
  const push = (width: number | null, kind: string, c: ArrayLike<number>) => {
    for (let t = 0; t < c.length; t++) curves.push({ width, seed: null, kind, time: t, quantity: 'testLoss', value: c[t] });
  };
  push(null, 'limit-infinite-depth', inf);
  p.blocks.forEach((L, i) => {
    out.push({ width: L, seed: null, metric: 'gapTheory', value: supGap(theory[i], inf) });
    out.push({ width: L, seed: null, metric: 'lossTheoryLast', value: theory[i][T] });
    finite.get(L)!.forEach((c, seed) => out.push({ width: L, seed, metric: 'lossLast', value: c[T] }));
    push(L, 'limit', theory[i]);
    const m = new Float64Array(T + 1);
    for (const c of finite.get(L)!) for (let t = 0; t <= T; t++) m[t] += c[t] / finite.get(L)!.length;
    push(L, 'finite', m);
  });
  return { records: out, curves };
}

/** The one-block problem a residual run's DMFT solvers start from: repeated data at α, isotropic inputs. */
export function residualProblem(p: Omit<DepthParams, 'blocks' | 'dim'>): ProportionalProblem {
  return { depth: 1, nu: p.nu, gammaBar: p.gammaBar, eta: p.eta, sigma: p.sigma, steps: p.steps, data: { kind: 'repeated', alpha: p.alpha }, spectrum: ISOTROPIC };
}

export const proportionalDepthKind: ExperimentKind<DepthParams> = {
  kind: 'proportional-depth',
  description: 'residual deep linear networks with branches β0/√L at L = blocks: the proportional DMFT and finite networks at one D against the L = ∞ depth ODE',
  parse: parseDepthParams,
  async run(p: DepthParams, c: ResolvedExperiment, ctx): Promise<ExperimentOutput> {
    const t0 = Date.now();
    const problem = residualProblem(p);
    const infSol = solveInfiniteDepth(problem, p.beta0, p.depthSteps);
    const theorySols = p.blocks.map((L) => solveResidualProportional(problem, L, p.beta0));
    const bad = [infSol, ...theorySols].find((s) => s.status !== 'ok');
    const finite: LossTable = new Map();
    for (const L of p.blocks) {
      finite.set(L, Array.from({ length: p.seeds }, (_, s) => trainProportionalNetwork({
        dim: p.dim, width: Math.round(p.nu * p.dim), depth: L, gammaBar: p.gammaBar, eta: p.eta, sigma: p.sigma, steps: p.steps,
        data: { kind: 'repeated', samples: Math.round(p.alpha * p.dim) }, residual: { beta0: p.beta0 },
      }, new Rng(`proportional-depth/${p.dim}/${L}/${s + p.firstSeed}`)).testLoss));
    }
    const theory = theorySols.map((s) => s.testLoss);
    const statistics = depthStatistics(p, theory, infSol.testLoss, finite, c.name);
    writeJsonAtomic(`${ctx.out}/statistics.json`, statistics);
    const s = (k: string) => `${fmt(statistics[k].estimate)} [${fmt(statistics[k].ci[0])}, ${fmt(statistics[k].ci[1])}]`;
    const T = p.steps;
    const perL = p.blocks.map((L, i) => `L = ${L}: gap ${fmt(supGap(theory[i], infSol.testLoss))}, L_T DMFT ${fmt(theory[i][T], 4)}, finite ${fmt(lastMean(finite.get(L)!, T), 4)}`).join('; ');
    const out: ExperimentOutput & { statistics: Record<string, BootStatistic> } = {
      ...records(p, theory, infSol.testLoss, finite),
      fits: [],
      axis: { name: 'L', label: 'residual blocks L' },
      status: bad ? bad.status : 'ok',
      message: bad ? bad.message : `L = ∞ solver residual ${fmt(infSol.residual)} (K = ${p.depthSteps}, ${2 * p.depthSteps}); ${fmt((Date.now() - t0) / 1000)} s`,
      spec: p,
      references: ['bordelon2025'],
      notes: [
        `Setting (theory/proportional.md#residual-network): β0 = ${p.beta0}, ν = ${p.nu}, μP γ̄ = ${p.gammaBar}, η = ${p.eta}, σ = ${p.sigma}, α = ${p.alpha}, ${T} steps; finite networks at D = ${p.dim}, ${p.seeds} seeds per L.`,
        `L = ∞ (depth ODE): L_T = ${fmt(infSol.testLoss[T], 4)}. Per L (sup-over-time DMFT gap to L = ∞; last-step test loss): ${perL}.`,
        `Statistics: gapExponent = ${s('gapExponent')}, gapExponentTail = ${s('gapExponentTail')}; depthEffect DMFT ${s('depthEffectTheory')}, finite ${s('depthEffectFinite')}; offsetFinite = ${s('offsetFinite')}; gapLargest DMFT ${s('gapLargestTheory')}, finite ${s('gapLargestFinite')} (95 % bootstrap over seeds, independently at each L).`,
      ],
      statistics,
    };
    return out;
  },
};

export function registerDepthKind(): void {
  registerExperimentKind(proportionalDepthKind);
}
