/**
 * The θ phase diagram (Luo, Xu, Ma, Zhang 2021, JMLR 22:71; Li, Luo, Zhou 2024, arXiv
 * 2404.04859; theory/theta.md#regimes): grid points (γ, γ') × widths m × seeds of the two-layer θ network,
 * classified linear / critical / condensed from the fitted width-exponent of RD(θ_w), drawn beside
 * the theoretical boundaries, with the frozen-kernel loss-rate check in the θ-lazy area
 * (theory/theta.md).
 */
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../../core/atomic.js';
import { fitRecords } from '../../harness/fits.js';
import type { ExperimentContext, ExperimentOutput } from '../../harness/kinds.js';
import { fmt } from '../../harness/report/labels.js';
import type { MetricLabel } from '../../harness/report/labels.js';
import { renderSvg } from '../../harness/report/render.js';
import type { LongRecord } from '../../harness/types.js';
import { readNumber } from '../../harness/types.js';
import type { TopLevelSpec } from 'vega-lite';
import { runSweep, siblingWorker } from '../geiger/sweep.js';
import { type ThetaCell, type ThetaCellTask, runThetaCell } from './cell.js';
import { lossRateChart, phaseDiagramChart } from './charts.js';
import { kappaExponent, pointKey, pointLabel, thetaExponents } from './exponents.js';
import type { ThetaRules, ThetaScanParams } from './params.js';
import { type PhasePoint, phasePoints, rateMetric, rdMetric } from './phases.js';

export interface ThetaScanOutput extends ExperimentOutput {
  cells: ThetaCell[];
  phases: PhasePoint[];
  charts: { id: string; title: string; spec: TopLevelSpec }[];
}

export function thetaTasks(p: ThetaScanParams): ThetaCellTask[] {
  const tasks: ThetaCellTask[] = [];
  for (const point of p.points) {
    const exponents = thetaExponents(point, p.convention);
    for (const m of p.widths) {
      for (let seed = 0; seed < p.seeds; seed++) {
        tasks.push({
          spec: p.spec, baseDir: p.baseDir, width: m, point, exponents, seed, ...cellRules(p),
        });
      }
    }
  }
  return tasks;
}

function revive(c: ThetaCell): ThetaCell {
  const n = readNumber;
  return {
    ...c, rdInput: n(c.rdInput), rdOutput: n(c.rdOutput), rdAll: n(c.rdAll), kernelMotion: n(c.kernelMotion), stopTime: n(c.stopTime),
    lambdaMin: n(c.lambdaMin), lambdaMax: n(c.lambdaMax), tMeasured: n(c.tMeasured), tFrozen: n(c.tFrozen), rateRatio: n(c.rateRatio),
    maxLogDeviation: n(c.maxLogDeviation), lossRatio: c.lossRatio.map(n), frozenRatio: c.frozenRatio.map(n),
  };
}

/** A task's training and loss-rate rules (theory/theta.md#rules), shared with the multi-layer diagram. */
export function cellRules(p: ThetaRules): Pick<ThetaCellTask, 'tolerance' | 'stopLossRatio' | 'horizon' | 'savesPerDecade' | 'rateLevel'> {
  return { tolerance: p.tolerance, stopLossRatio: p.stopLossRatio, horizon: p.horizon, savesPerDecade: p.savesPerDecade, rateLevel: p.rateLevel };
}

/** The cell of a run that threw: status 'failed', every measurement NaN (shared with the multi-layer diagram). */
export function crashedCell(t: ThetaCellTask, e: unknown): ThetaCell {
  return {
    width: t.width, point: t.point, seed: t.seed, initSeed: t.spec.seed + t.seed, status: 'failed',
    message: `run crashed: ${e instanceof Error ? e.message : String(e)}`, rdInput: NaN, rdOutput: NaN, rdAll: NaN, kernelMotion: NaN,
    stopTime: NaN, lambdaMin: NaN, lambdaMax: NaN, tMeasured: NaN, tFrozen: NaN, rateRatio: NaN, maxLogDeviation: NaN,
    times: [], lossRatio: [], frozenRatio: [], evaluations: 0, seconds: 0,
  };
}

export async function runThetaScan(p: ThetaScanParams, ctx: ExperimentContext, label = 'theta-phase-diagram'): Promise<ThetaScanOutput> {
  const started = performance.now();
  const raw = await runSweep(thetaTasks(p), {
    out: ctx.out, label, workers: ctx.workers, progress: ctx.progress, worker: siblingWorker(import.meta.url),
    key: (t) => `g${t.point.gamma}-gp${t.point.gammaPrime}-m${t.width}-s${t.seed}`,
    run: runThetaCell, onError: crashedCell, width: (t) => t.width,
    // condensed points integrate longest (theory/theta.md#rules)
    cost: (t) => t.width * (t.point.gamma > 1 ? 20 : 1),
  });
  const out = analyseTheta(p, raw.map(revive));
  for (const c of out.charts) {
    writeFileAtomic(join(ctx.out, 'figures', `${c.id}.svg`), await renderSvg(c.spec, c.id));
    writeFileAtomic(join(ctx.out, 'figures', `${c.id}.vl.json`), JSON.stringify(c.spec, null, 1) + '\n');
  }
  writeFileAtomic(join(ctx.out, 'phase-diagram.csv'), phaseCsv(out.phases));
  // wall time of this invocation (a resumed run reuses saved cells) and the summed time of all runs
  writeJsonAtomic(join(ctx.out, 'timing.json'), { seconds: (performance.now() - started) / 1000, workers: ctx.workers ?? 1, runs: raw.length, runSeconds: raw.reduce((a, c) => a + c.seconds, 0) });
  return out;
}

const PER_RUN: [string, (c: ThetaCell) => number][] = [
  ['rdInput', (c) => c.rdInput], ['rdOutput', (c) => c.rdOutput], ['rdAll', (c) => c.rdAll], ['kernelMotion', (c) => c.kernelMotion],
  ['stopTime', (c) => c.stopTime], ['rateRatio', (c) => c.rateRatio], ['maxLogDeviation', (c) => c.maxLogDeviation],
];

/** Records, fits with class expectations, phases, figures and notes (pure in the runs). */
export function analyseTheta(p: ThetaScanParams, cells: ThetaCell[]): ThetaScanOutput {
  const records: LongRecord[] = [];
  for (const c of cells) {
    for (const [name, get] of PER_RUN) records.push({ width: c.width, seed: c.seed, metric: `${name}@${pointKey(c.point)}`, value: c.status === 'ok' ? get(c) : NaN });
  }
  // θ-lazy points: the loss-rate error |t_frozen/t_meas − 1| must not grow with the width.
  const lazyPoints = p.points.filter((pt) => kappaExponent(pt) > 0);
  for (const c of cells) {
    if (kappaExponent(c.point) > 0) records.push({ width: c.width, seed: c.seed, metric: rateMetric(c.point), value: c.status === 'ok' ? Math.abs(c.rateRatio - 1) : NaN });
  }
  // fits without expectations: the classes and the loss rate are judged by the config's claims
  // (class claims on the RD exponents, the rate ratio at the largest width; theory/theta.md#rules)
  const fitted = new Set([...p.points.map(rdMetric), ...lazyPoints.map(rateMetric)]);
  const fits = fitRecords(records.filter((r) => fitted.has(r.metric)), [], { seed: `${p.spec.seed}/theta` });
  const phases = phasePoints(p.points, cells, fits, p.criticalBand, p.rateTolerance);
  const bad = cells.filter((c) => c.status !== 'ok');
  const lazyLabels = new Set(phases.filter((x) => x.kappaExponent > 0).map((x) => x.label));
  const labels: Record<string, MetricLabel> = {};
  for (const ph of phases) {
    labels[rdMetric(ph.point)] = { title: `RD(θ_w) at ${ph.label} (theory: ${ph.theory})`, formula: `‖w_T − w_0‖/‖w_0‖ at ${ph.label}`, axis: 'RD(θ_w)' };
    labels[rateMetric(ph.point)] = { title: `Loss-rate error at ${ph.label}`, formula: `|t_frozen/t_meas − 1| (times to reach L(0)/100) at ${ph.label}`, axis: '|t_frozen/t_meas − 1|' };
  }
  return {
    records, fits, phases,
    status: bad.length ? bad[0].status : 'ok',
    message: bad.length ? `${bad.length} of ${cells.length} runs did not finish cleanly (first: m = ${bad[0].width} at ${pointLabel(bad[0].point)}: ${bad[0].message})` : '',
    axis: { name: 'width', label: 'width m' },
    references: ['luo2021', 'li2024', 'jacot2018', 'efron1993'],
    labels,
    notes: thetaNotes(p, phases),
    spec: { spec: p.spec, diagram: { ...p, spec: undefined, baseDir: undefined } },
    cells,
    charts: [
      { id: 'theta-phase-diagram', title: 'Phase diagram', spec: phaseDiagramChart(phases, p.widths, p.criticalBand) },
      { id: 'theta-loss-rate', title: 'Loss decay against the frozen kernel', spec: lossRateChart(cells, lazyLabels, (c) => pointLabel(c.point)) },
    ],
  };
}

function thetaNotes(p: ThetaScanParams, phases: readonly PhasePoint[]): string[] {
  const conv = `${p.convention.fix} = ${p.convention.value}`;
  const lines = phases.map((ph) => {
    const e = thetaExponents(ph.point, p.convention);
    const rate = ph.ratePass === null ? '' : `; loss rate at the largest m: t_frozen/t_meas = ${fmt(ph.rateRatio)} (${ph.ratePass ? 'pass' : 'FAIL'}, tolerance ±${p.rateTolerance})`;
    return `(γ, γ') = (${ph.point.gamma}, ${ph.point.gammaPrime}) → (p1, p2, q) = (${fmt(e.p1)}, ${fmt(e.p2)}, ${fmt(e.q)}); log κ/log m = ${fmt(kappaExponent(ph.point))}; theory ${ph.theory}; RD(θ_w) ∝ m^${fmt(ph.exponent)} [${fmt(ph.ci[0])}, ${fmt(ph.ci[1])}] (heuristic ${fmt(ph.predicted)}) → ${ph.measured} ${ph.agrees ? '(agrees)' : '(DISAGREES)'}${rate}.`;
  });
  const agree = phases.filter((x) => x.agrees).length;
  const lazy = phases.filter((x) => x.ratePass !== null);
  return [
    `Network: f(x) = (1/α) Σ_k a_k φ(w_k·x), a_k ~ N(0, β_1²), w_k ~ N(0, β_2² I), β_1 = m^{−p1}, β_2 = m^{−p2}, α = m^q; γ = p1 + p2 + q, γ' = p1 − p2, κ = m^{1−γ}; convention ${conv} (theory/theta.md#exponents). Activation ${p.spec.model.activation}, MSE, ${p.spec.data.source} data (n = ${p.spec.data.n}).`,
    `Training: gradient flow (dopri5 on θ/σ, tolerance ${p.tolerance} × the expected relative motion, clamped to [10⁻³, 1]), until the loss is ≤ ${p.stopLossRatio} × L(0) or t = ${p.horizon} · n/λ_min(Θ̂_0); RD(θ_w) = ‖w_T − w_0‖/‖w_0‖ of the input weights at the stop (Luo et al.'s order parameter).`,
    `Classification: e = fitted exponent of RD(θ_w) ∝ m^e over widths {${p.widths.join(', ')}} (bootstrap over ${p.seeds} seeds); linear if e < −${p.criticalBand}, critical if |e| ≤ ${p.criticalBand}, condensed if e > ${p.criticalBand}; by the point estimate ${agree} of ${phases.length} points fall in the class theory puts there. The claims (class claims, one per point) decide on the whole interval instead.`,
    `Loss rate (θ-lazy points, log κ/log m > 0): the frozen-kernel loss (1/2n)Σ c_k² e^{−2λ_k t/n} from the network's own Θ̂_0 and f_0 − y (full spectrum) against the measured loss; rateRatio = t_frozen/t_meas, the times to reach ${p.rateLevel} × L(0). The fits rateError@… (|rateRatio − 1| against m) show the trend (not judged: a sign is not an exponent); the claims judge the mean rate ratio at the largest width against 1 ± ${p.rateTolerance} on its interval. By the point estimate ${lazy.filter((x) => x.ratePass).length} of ${lazy.length} θ-lazy points are within ±${p.rateTolerance} there (the approach is slow where RD(θ_w) falls slowly, e.g. log κ/log m = 1/4).`,
    ...lines,
    'The first two figures are this kind\'s own: the phase diagram beside the theoretical boundaries (figures/theta-phase-diagram.svg) and the loss rates (figures/theta-loss-rate.svg); one row per point in phase-diagram.csv.',
  ];
}

function phaseCsv(phases: readonly PhasePoint[]): string {
  const lines = ['gamma,gammaPrime,logKappaOverLogM,theory,measured,exponent,ciLow,ciHigh,heuristicExponent,agrees,rateRatio,ratePass'];
  const num = (v: number) => (Number.isFinite(v) ? String(v) : '');
  for (const ph of phases) {
    lines.push([num(ph.point.gamma), num(ph.point.gammaPrime), num(ph.kappaExponent), ph.theory, ph.measured, num(ph.exponent), num(ph.ci[0]), num(ph.ci[1]), num(ph.predicted), String(ph.agrees), num(ph.rateRatio), ph.ratePass === null ? '' : String(ph.ratePass)].join(','));
  }
  return lines.join('\n') + '\n';
}
