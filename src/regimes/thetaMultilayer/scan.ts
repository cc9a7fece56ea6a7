/**
 * The multi-layer θ diagram (Li, Luo, Zhou 2024, arXiv 2404.04859; theory/theta.md#multilayer): the θ
 * network with L = 2…8 hidden layers at points (γ, γ', ph) × widths × seeds, trained by gradient flow
 * (../theta/cell.ts, the same run as the two-layer diagram with depth L), with the frozen-kernel loss
 * rate in the θ-lazy area and the input layer's condensation measured directly
 * (theory/theta.md#condensation).
 */
import { join } from 'node:path';
import { writeJsonAtomic } from '../../core/atomic.js';
import { fitRecords } from '../../harness/fits.js';
import type { ExperimentContext, ExperimentOutput } from '../../harness/kinds.js';
import { fmt } from '../../harness/report/labels.js';
import type { MetricLabel } from '../../harness/report/labels.js';
import type { LongRecord } from '../../harness/types.js';
import { readNumber } from '../../harness/types.js';
import { runSweep, siblingWorker } from '../geiger/sweep.js';
import type { ThetaCell, ThetaCellTask } from '../theta/cell.js';
import { runThetaCell } from '../theta/cell.js';
import { theoreticalRegime } from '../theta/exponents.js';
import { cellRules, crashedCell } from '../theta/scan.js';
import type { ThetaMultilayerParams } from './params.js';
import { type MultilayerPoint, kappaExponentOf, multilayerExponents, multilayerKey } from './points.js';

export function multilayerTasks(p: ThetaMultilayerParams): ThetaCellTask[] {
  const tasks: ThetaCellTask[] = [];
  for (const mp of p.points) {
    const exponents = multilayerExponents(mp, p.convention);
    for (const m of p.widths) {
      for (let seed = 0; seed < p.seeds; seed++) {
        tasks.push({
          spec: p.spec, baseDir: p.baseDir, width: m, point: mp.point, exponents, seed, ...cellRules(p),
          depth: mp.depth, orientations: true, ...(p.slowKernel ? { slowKernel: true } : {}), ...(p.feed ? { feed: true } : {}),
        });
      }
    }
  }
  return tasks;
}

const pointOf = (t: ThetaCellTask): MultilayerPoint => ({ depth: t.depth ?? 1, point: t.point, ph: t.exponents.ph ?? 0.5 });

const PER_RUN: [string, (c: ThetaCell) => number][] = [
  ['rdInput', (c) => c.rdInput], ['rdOutput', (c) => c.rdOutput], ['kernelMotion', (c) => c.kernelMotion],
  ['stopTime', (c) => c.stopTime], ['rateRatio', (c) => c.rateRatio], ['maxLogDeviation', (c) => c.maxLogDeviation],
  ['directionsInit', (c) => readNumber(c.directionsInit)], ['directionsFinal', (c) => readNumber(c.directionsFinal)],
  ['directionsRatio', (c) => readNumber(c.directionsFinal) / readNumber(c.directionsInit)],
  ['hiddenDirectionsInit', (c) => readNumber(c.hiddenDirectionsInit)], ['hiddenDirectionsFinal', (c) => readNumber(c.hiddenDirectionsFinal)],
  ['hiddenDirectionsRatio', (c) => readNumber(c.hiddenDirectionsFinal) / readNumber(c.hiddenDirectionsInit)],
];

const FITTED = ['rdInput@', 'rateError@', 'slowMotion@', 'errorPerSlowMotion@'];

/** With `slowKernel` (../theta/slowKernel.ts, theory/theta.md#slow-subspace): per run, the theorem's bound ratio and the slow-subspace motion. */
function slowRecords(c: ThetaCell, key: string, ok: boolean, lazy: boolean): LongRecord[] {
  const v = (x: number | undefined) => (ok ? readNumber(x) : NaN);
  const rec = (name: string, value: number): LongRecord => ({ width: c.width, seed: c.seed, metric: `${name}@${key}`, value });
  const out = [rec('boundRatio', v(c.boundRatio)), rec('boundRatioFrozen', v(c.boundRatioFrozen)), rec('slowModes', v(c.slowModes)),
    rec('slowMotion', v(c.slowMotion)), rec('lambdaMinRatio', v(c.lambdaMinRatio))];
  if (lazy) out.push(rec('errorPerSlowMotion', v(Math.abs(readNumber(c.rateRatio) - 1) / readNumber(c.slowMotion))));
  return out;
}

/**
 * With `feed` (../theta/feedCell.ts, theory/theta.md#feed): per run, the first-order prediction e_first of
 * t_frozen/t_meas − 1 and its parts, the measured e from the grid-free t_meas, and their ratios.
 */
function feedRecords(c: ThetaCell, key: string, ok: boolean): LongRecord[] {
  const v = (x: number | undefined) => (ok ? readNumber(x) : NaN);
  const e = v(c.rateRatioRefined) - 1, first = v(c.feedFirst);
  const rows: [string, number][] = [
    ['feedRecords', v(c.feedRecords)], ['feedFirst', first], ['feedSlowSlow', v(c.feedSlowSlow)], ['feedFastSlow', v(c.feedFastSlow)],
    ['feedRest', v(c.feedRest)], ['feedFirstHalf', v(c.feedFirstHalf)], ['feedPath', v(c.feedPath)], ['rateRatioRefined', v(c.rateRatioRefined)],
    ['rateErrorSigned', e], ['feedExplained', first / e], ['feedPathExplained', v(c.feedPath) / e],
    ['feedSlowSlowShare', v(c.feedSlowSlow) / first], ['feedFastSlowShare', v(c.feedFastSlow) / first], ['feedRestShare', v(c.feedRest) / first],
    ['feedHalfDrift', v(c.feedFirstHalf) / first - 1], ['feedSlowSlowPerMotion', Math.abs(v(c.feedSlowSlow)) / v(c.slowMotion)],
  ];
  return rows.map(([name, value]) => ({ width: c.width, seed: c.seed, metric: `${name}@${key}`, value }));
}

export async function runThetaMultilayer(p: ThetaMultilayerParams, ctx: ExperimentContext, label: string): Promise<ExperimentOutput> {
  const started = performance.now();
  const tasks = multilayerTasks(p);
  const raw = await runSweep(tasks, {
    out: ctx.out, label, workers: ctx.workers, progress: ctx.progress, worker: siblingWorker(import.meta.url),
    key: (t) => `L${t.depth}-g${t.point.gamma}-gp${t.point.gammaPrime}-ph${t.exponents.ph}-m${t.width}-s${t.seed}`,
    run: runThetaCell, onError: crashedCell, width: (t) => t.width,
    cost: (t) => t.width * t.width * (t.depth ?? 1) * (t.point.gamma > 1 ? 20 : 1),
  });
  const cells = raw.map((c, i) => ({ task: tasks[i], cell: c }));
  writeJsonAtomic(join(ctx.out, 'timing.json'), { seconds: (performance.now() - started) / 1000, workers: ctx.workers ?? 1, runs: raw.length, runSeconds: raw.reduce((a, c) => a + c.seconds, 0) });
  return analyseMultilayer(p, cells);
}

/** Records (per run), fits of RD(θ_w) and of the lazy points' rate error against m, labels, notes. */
export function analyseMultilayer(p: ThetaMultilayerParams, cells: { task: ThetaCellTask; cell: ThetaCell }[]): ExperimentOutput {
  const records: LongRecord[] = [];
  const n = (v: number) => readNumber(v);
  for (const { task, cell: c } of cells) {
    const key = multilayerKey(pointOf(task));
    const ok = c.status === 'ok';
    for (const [name, get] of PER_RUN) records.push({ width: c.width, seed: c.seed, metric: `${name}@${key}`, value: ok ? n(get(c)) : NaN });
    const lazy = kappaExponentOf(task.depth ?? 1, task.exponents) > 0;
    if (lazy) records.push({ width: c.width, seed: c.seed, metric: `rateError@${key}`, value: ok ? Math.abs(n(c.rateRatio) - 1) : NaN });
    if (p.slowKernel) records.push(...slowRecords(c, key, ok, lazy));
    if (p.feed) records.push(...feedRecords(c, key, ok));
  }
  const fitted = new Set(records.filter((r) => FITTED.some((f) => r.metric.startsWith(f))).map((r) => r.metric));
  const fits = fitRecords(records.filter((r) => fitted.has(r.metric)), [], { seed: `${p.spec.seed}/theta-multilayer` });
  const labels: Record<string, MetricLabel> = {};
  const notes: string[] = [];
  const mMax = Math.max(...p.widths);
  for (const mp of p.points) {
    const key = multilayerKey(mp);
    const e = multilayerExponents(mp, p.convention);
    labels[`rdInput@${key}`] = { title: `RD(θ_w) of the input layer at ${key}`, formula: '‖W¹_T − W¹_0‖/‖W¹_0‖', axis: 'RD(θ_w)' };
    labels[`directionsRatio@${key}`] = { title: `N_eff(stop)/N_eff(init) at ${key}`, formula: 'effective number of input-layer directions, stop over init', axis: 'N_eff ratio' };
    const mean = (metric: string) => {
      const v = records.filter((r) => r.metric === `${metric}@${key}` && r.width === mMax && Number.isFinite(r.value)).map((r) => r.value);
      return v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN;
    };
    const fit = fits.find((f) => f.metric === `rdInput@${key}`);
    notes.push(`${key}: (p1, p2, ph, q) = (${fmt(e.p1)}, ${fmt(e.p2)}, ${fmt(e.ph ?? 0.5)}, ${fmt(e.q)}), log κ/log m = ${fmt(kappaExponentOf(mp.depth, e))}, two-layer class ${theoreticalRegime(mp.point)}; RD(θ_w) ∝ m^${fmt(fit ? fit.exponent : NaN)}; at m = ${mMax}: t_frozen/t_meas = ${fmt(mean('rateRatio'))}, N_eff (input layer) ${fmt(mean('directionsInit'))} → ${fmt(mean('directionsFinal'))}, (last hidden layer) ${fmt(mean('hiddenDirectionsInit'))} → ${fmt(mean('hiddenDirectionsFinal'))}.`);
  }
  const bad = cells.filter((c) => c.cell.status !== 'ok');
  return {
    records, fits,
    status: bad.length ? bad[0].cell.status : 'ok',
    message: bad.length ? `${bad.length} of ${cells.length} runs did not finish cleanly (first: m = ${bad[0].cell.width} at ${multilayerKey(pointOf(bad[0].task))}: ${bad[0].cell.message})` : '',
    axis: { name: 'width', label: 'width m' },
    references: ['luo2021', 'li2024', 'jacot2018', 'efron1993'],
    labels,
    notes: [
      `Network (theory/theta.md#multilayer): L hidden ${p.spec.model.activation} layers of width m, input layer N(0, m^-2p2), hidden-to-hidden N(0, m^-2ph), readout N(0, m^-2p1), output divided by m^q; κ = m^{(L+1)/2} β_1 β_2 β_h^{L−1}/α = m^{1−γ}. Convention ${p.convention.fix} = ${p.convention.value}. MSE on ${p.spec.data.source} data (n = ${p.spec.data.n}).`,
      `Training as in the two-layer diagram: gradient flow (dopri5 on θ/σ, tolerance ${p.tolerance} × the heuristic motion), until the loss is ≤ ${p.stopLossRatio} × L(0) or t = ${p.horizon} · n/λ_min(Θ̂_0). rateRatio = t_frozen/t_meas, the times to reach ${p.rateLevel} × L(0) under the network's own Θ̂_0 (all layers) and measured. N_eff = 1/tr(M²), M = mean of ŵ_kŵ_kᵀ over the input layer's rows (theory/theta.md#condensation).`,
      ...notes,
    ],
    spec: { spec: p.spec, diagram: { ...p, spec: undefined, baseDir: undefined } },
  };
}
