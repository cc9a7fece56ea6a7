/**
 * Experiment kind `proportional-powerlaw` (experiments/proportional-powerlaw*.json): finite deep
 * linear networks trained by population gradient descent on power-law data (input variances
 * λ_k = k^−a, teacher β*_k = ±k^−c/2), centered (f − f_0), in a lazy (γ̄ small) and a rich (γ̄ large)
 * setting with the same seeds. Each seed's test-loss curve gives a fitted time exponent
 * (theory/proportional.md#power-law-fit); statistics: the seed means of the lazy and rich exponents
 * and of their paired difference, with bootstrap intervals over seeds.
 */
import { writeJsonAtomic } from '../../core/atomic.js';
import { InputError, requirePositive, requirePositiveInt, show } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import { trainProportionalNetwork } from '../../finite/deepLinearProportional.js';
import type { ResolvedExperiment } from '../../harness/experiments.js';
import { meanInterval } from '../../harness/judge.js';
import { type ExperimentKind, type ExperimentOutput, registerExperimentKind } from '../../harness/kinds.js';
import type { CurveRecord, LongRecord } from '../../harness/types.js';
import type { BootStatistic } from './convergence.js';

interface Regime { gammaBar: number; eta: number; window: [number, number] }

export interface PowerLawParams {
  /** The config's widths are input dimensions D; the statistics are taken at the largest. */
  dims: number[];
  dim: number;
  nu: number;
  depth: number;
  a: number;
  c: number;
  steps: number;
  lazy: Regime;
  rich: Regime;
  seeds: number;
}

const FIELDS = ['nu', 'depth', 'a', 'c', 'steps', 'lazy', 'rich'];

function parseRegime(w: string, v: unknown, steps: number): Regime {
  const r = (v ?? {}) as Record<string, unknown>;
  if (typeof v !== 'object' || v === null) throw new InputError(w, `must be an object {gammaBar, eta, window}, got ${show(v)}`);
  const win = r.window;
  if (!Array.isArray(win) || win.length !== 2) throw new InputError(`${w}.window`, `must be [lo, hi] in steps after the half-loss time, got ${show(win)}`);
  const lo = requirePositiveInt(`${w}.window[0]`, win[0]);
  const hi = requirePositiveInt(`${w}.window[1]`, win[1]);
  if (hi <= lo || hi >= steps) throw new InputError(`${w}.window`, `needs lo < hi < steps (${steps}), got ${show(win)}`);
  return { gammaBar: requirePositive(`${w}.gammaBar`, r.gammaBar), eta: requirePositive(`${w}.eta`, r.eta), window: [lo, hi] };
}

export function parsePowerLaw(c: ResolvedExperiment): PowerLawParams {
  const w = `${c.name}.params`;
  const p = (c.params ?? {}) as Record<string, unknown>;
  for (const k of Object.keys(p)) if (!FIELDS.includes(k)) throw new InputError(`${w}.${k}`, `unknown field (allowed: ${FIELDS.join(', ')})`);
  const dims = c.widths.map((d, i) => requirePositiveInt(`${c.name}.widths[${i}]`, d)).sort((x, y) => x - y);
  const dim = dims[dims.length - 1];
  const nu = requirePositive(`${w}.nu`, p.nu ?? 1);
  for (const d of dims) if (!Number.isInteger(nu * d)) throw new InputError(`${w}.nu`, `ν·D must be an integer, got ν = ${nu}, D = ${d}`);
  const steps = requirePositiveInt(`${w}.steps`, p.steps);
  const a = requirePositive(`${w}.a`, p.a);
  const cc = requirePositive(`${w}.c`, p.c);
  if (a + cc <= 1) throw new InputError(`${w}.c`, `needs a + c > 1 (a finite loss exponent), got a = ${a}, c = ${cc}`);
  return {
    dims, dim, nu, a, c: cc, steps, seeds: c.seeds,
    depth: requirePositiveInt(`${w}.depth`, p.depth ?? 1),
    lazy: parseRegime(`${w}.lazy`, p.lazy, steps),
    rich: parseRegime(`${w}.rich`, p.rich, steps),
  };
}

/** Lazy and rich exponents of theory/proportional.md#power-law: χ = (a+c−1)/a, χ(L+1)/(1+Lχ). */
export function powerLawExponents(a: number, c: number, depth: number): { lazy: number; rich: number } {
  const chi = (a + c - 1) / a;
  return { lazy: chi, rich: chi < 1 ? (chi * (depth + 1)) / (1 + depth * chi) : chi };
}

/** The half-loss time t½ (first t with L(t) ≤ L(0)/2), or −1 if never reached. */
export function halfLossTime(loss: Float64Array): number {
  for (let t = 0; t < loss.length; t++) if (loss[t] <= loss[0] / 2) return t;
  return -1;
}

/**
 * The fitted time exponent: minus the least-squares slope of log L(t½ + s) against log s at 25
 * log-spaced s in the window (theory/proportional.md#power-law-fit); NaN if t½ + hi is past the end.
 */
export function timeExponent(loss: Float64Array, window: [number, number]): number {
  const th = halfLossTime(loss);
  const [lo, hi] = window;
  if (th < 0 || th + hi >= loss.length) return NaN;
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < 25; i++) {
    const s = Math.round(lo * (hi / lo) ** (i / 24));
    xs.push(Math.log(s));
    ys.push(Math.log(loss[th + s]));
  }
  const mx = xs.reduce((u, v) => u + v, 0) / xs.length;
  const my = ys.reduce((u, v) => u + v, 0) / ys.length;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < xs.length; i++) {
    sxy += (xs[i] - mx) * (ys[i] - my);
    sxx += (xs[i] - mx) ** 2;
  }
  return -sxy / sxx;
}

/** One seed in one regime: the centered network's test loss at t = 0..steps. */
function trainSeed(p: PowerLawParams, D: number, r: Regime, seed: number): Float64Array {
  const lambda = new Float64Array(D);
  const teacherVar = new Float64Array(D);
  for (let k = 0; k < D; k++) {
    lambda[k] = (k + 1) ** -p.a;
    teacherVar[k] = (k + 1) ** -p.c;
  }
  return trainProportionalNetwork({
    dim: D, width: Math.round(p.nu * D), depth: p.depth, gammaBar: r.gammaBar, eta: r.eta, sigma: 0, steps: p.steps,
    data: { kind: 'population' }, lambda, teacherVar, centered: true, teacherSigns: true,
  }, new Rng(`powerlaw/${D}/${seed}`)).testLoss;
}

/** Seed-mean curve at about 60 log-spaced times (for the report). */
function meanCurve(kind: string, curves: Float64Array[]): CurveRecord[] {
  const T = curves[0].length - 1;
  const times = [...new Set(Array.from({ length: 61 }, (_, i) => Math.round(T ** (i / 60))))];
  return [0, ...times].map((t) => ({ width: null, seed: null, kind, time: t, quantity: 'testLoss', value: curves.reduce((s, c) => s + c[t], 0) / curves.length }));
}

export const proportionalPowerLawKind: ExperimentKind<PowerLawParams> = {
  kind: 'proportional-powerlaw',
  description: 'time exponents of the test loss of centered deep linear networks on power-law data, lazy (small γ̄) against rich (large γ̄), population gradient descent',
  parse: parsePowerLaw,
  async run(p: PowerLawParams, c: ResolvedExperiment, ctx): Promise<ExperimentOutput> {
    const t0 = Date.now();
    const records: LongRecord[] = [];
    let curves: Record<'lazy' | 'rich', Float64Array[]> = { lazy: [], rich: [] };
    let ex: Record<'lazy' | 'rich', number[]> = { lazy: [], rich: [] };
    for (const D of p.dims) {
      curves = { lazy: [], rich: [] };
      ex = { lazy: [], rich: [] };
      for (let s = 0; s < p.seeds; s++) {
        for (const reg of ['lazy', 'rich'] as const) {
          const loss = trainSeed(p, D, p[reg], s);
          curves[reg].push(loss);
          const e = timeExponent(loss, p[reg].window);
          ex[reg].push(e);
          records.push({ width: D, seed: s, metric: `${reg}Exponent`, value: e }, { width: D, seed: s, metric: `${reg}HalfTime`, value: halfLossTime(loss) });
        }
        records.push({ width: D, seed: s, metric: 'acceleration', value: ex.rich[s] - ex.lazy[s] });
      }
    }
    const th = powerLawExponents(p.a, p.c, p.depth);
    const statistics: Record<string, BootStatistic> = {
      lazyExponent: meanInterval(ex.lazy, `${c.name}/lazy`),
      richExponent: meanInterval(ex.rich, `${c.name}/rich`),
      acceleration: meanInterval(ex.rich.map((r, s) => r - ex.lazy[s]), `${c.name}/acceleration`),
    };
    for (const k of Object.keys(statistics)) statistics[k].note = '95 % percentile bootstrap of the seed mean';
    writeJsonAtomic(`${ctx.out}/statistics.json`, statistics);
    const f = (k: string) => `${statistics[k].estimate.toPrecision(3)} [${statistics[k].ci[0].toPrecision(3)}, ${statistics[k].ci[1].toPrecision(3)}]`;
    const out: ExperimentOutput & { statistics: Record<string, BootStatistic> } = {
      records, curves: [...meanCurve('lazy', curves.lazy), ...meanCurve('rich', curves.rich)], fits: [],
      axis: { name: 'D', label: 'input dimension D' }, status: 'ok', message: `${((Date.now() - t0) / 1000).toFixed(1)} s`, spec: p,
      references: ['bordelon2025'], statistics,
      notes: [
        `Setting (theory/proportional.md#power-law): N = ${p.nu}·D, depth ${p.depth}, λ_k = k^−${p.a}, β*_k = ±k^−${p.c}/2, population gradient descent, centered networks, ${p.steps} steps, ${p.seeds} seeds per D (D = ${p.dims.join(', ')}; statistics and curves at the largest); lazy γ̄ = ${p.lazy.gammaBar}, η = ${p.lazy.eta}; rich γ̄ = ${p.rich.gammaBar}, η = ${p.rich.eta}.`,
        `Fitted exponents (windows t − t½ ∈ [${p.lazy.window.join(', ')}] lazy, [${p.rich.window.join(', ')}] rich): lazy ${f('lazyExponent')} (theory ${th.lazy.toPrecision(3)}), rich ${f('richExponent')} (theory ${th.rich.toPrecision(3)}), rich − lazy ${f('acceleration')} (theory ${(th.rich - th.lazy).toPrecision(3)}).`,
      ],
    };
    return out;
  },
};

export function registerPowerLawKind(): void {
  registerExperimentKind(proportionalPowerLawKind);
}
