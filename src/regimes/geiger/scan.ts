/**
 * The α-scan of Geiger, Spigler, Jacot, Wyart 2020 (arXiv 1906.08034): widths × α × seeds of the
 * `geiger` network, and what the paper claims about them (theory/geiger.md#model; theory/geiger.md):
 * the crossover α* ∝ h^{−1/2}, lazy-side kernel motion ∝ (√hα)^{−1}, seed variance of the
 * learned function ∝ 1/h in both regimes, t_1 ∝ √hα and the collapse of the loss curves against
 * t/(√hα) in the feature regime. Returns long-format records, fits, notes; writes its own figures
 * (charts.ts) and the loss curves (DIR/loss-curves.csv) beside the harness's output.
 */
import { join } from 'node:path';
import { writeFileAtomic, writeJsonAtomic } from '../../core/atomic.js';
import { Rng } from '../../core/rng.js';
import { fitRecords } from '../../harness/fits.js';
import type { ExperimentContext, ExperimentOutput } from '../../harness/kinds.js';
import type { MetricLabel } from '../../harness/report/labels.js';
import { fmt } from '../../harness/report/labels.js';
import { renderSvg } from '../../harness/report/render.js';
import type { Expectation, FitRecord, LongRecord } from '../../harness/types.js';
import { readNumber } from '../../harness/types.js';
import type { TopLevelSpec } from 'vega-lite';
import { collapseMeasure } from './analysis.js';
import { type GeigerCell, type GeigerCellTask, runGeigerCell } from './cell.js';
import { kernelMotionChart, lossCollapseChart, meanLossCurves, t1Chart } from './charts.js';
import { type GeigerScanParams, alphaOf } from './params.js';
import { crossoverRecords, curveOf, runRecords, varianceRecords } from './records.js';
import { meanCrossover, sideFit } from './sideFits.js';
import { runSweep, siblingWorker } from './sweep.js';

export interface GeigerScanOutput extends ExperimentOutput {
  cells: GeigerCell[];
  /** Figures (id → Vega-Lite spec) that the harness does not draw. */
  charts: { id: string; title: string; spec: TopLevelSpec }[];
  /** Mean over (width, seed) of √h α*. */
  crossover: number;
}

/** The tasks of a scan: every width × grid value × seed. */
export function scanTasks(p: GeigerScanParams): GeigerCellTask[] {
  const tasks: GeigerCellTask[] = [];
  for (const h of p.widths) {
    for (const v of p.grid) {
      for (let seed = 0; seed < p.seeds; seed++) {
        tasks.push({
          spec: p.spec, baseDir: p.baseDir, width: h, alpha: alphaOf(p, v, h), seed,
          tolerance: p.tolerance, maxTime: p.maxTime, savesPerDecade: p.savesPerDecade, stop: p.stop, t1Fraction: p.t1Fraction,
        });
      }
    }
  }
  return tasks;
}

/** Saved cells come back from JSON with null for NaN. */
function revive(c: GeigerCell): GeigerCell {
  const n = readNumber;
  return {
    ...c, kernelMotion: n(c.kernelMotion), weightMotion: n(c.weightMotion), stopTime: n(c.stopTime), t1: n(c.t1),
    loss0: n(c.loss0), trainError: n(c.trainError), testError: n(c.testError),
    lossRatio: c.lossRatio.map(n), testLossRatio: c.testLossRatio.map(n), fTestFinal: c.fTestFinal.map(n),
  };
}

function crashed(t: GeigerCellTask, e: unknown): GeigerCell {
  return {
    width: t.width, alpha: t.alpha, sqrtHAlpha: Math.sqrt(t.width) * t.alpha, seed: t.seed, initSeed: t.spec.seed + t.seed,
    status: 'failed', message: `run crashed: ${e instanceof Error ? e.message : String(e)}`,
    kernelMotion: NaN, weightMotion: NaN, stopTime: NaN, t1: NaN, loss0: NaN, times: [], lossRatio: [], testLossRatio: [],
    fTestFinal: [], trainError: NaN, testError: NaN, evaluations: 0, seconds: 0,
  };
}

/** Run (or resume) the scan in `ctx.out` and analyse it. */
export async function runGeigerScan(p: GeigerScanParams, expected: readonly Expectation[], ctx: ExperimentContext, label = 'geiger-alpha-scan'): Promise<GeigerScanOutput> {
  const started = performance.now();
  const tasks = scanTasks(p);
  const raw = await runSweep(tasks, {
    out: ctx.out, label, workers: ctx.workers, progress: ctx.progress, worker: siblingWorker(import.meta.url),
    key: (t) => `h${t.width}-a${Number(t.alpha.toPrecision(9))}-s${t.seed}`,
    run: runGeigerCell, onError: crashed,
    width: (t) => t.width,
    cost: (t) => t.width * (p.spec.model.depth <= 1 ? 1 : t.width / 16),
  });
  const cells = raw.map(revive);
  const out = analyseScan(p, cells, expected);
  await writeExtras(ctx.out, out, cells);
  // wall time of this invocation (a resumed run reuses saved cells) and the summed time of all runs
  writeJsonAtomic(join(ctx.out, 'timing.json'), { seconds: (performance.now() - started) / 1000, workers: ctx.workers ?? 1, runs: cells.length, runSeconds: cells.reduce((a, c) => a + c.seconds, 0) });
  return out;
}

/** Records, fits, figures and notes of a finished scan (pure in the runs). */
export function analyseScan(p: GeigerScanParams, cells: GeigerCell[], expected: readonly Expectation[]): GeigerScanOutput {
  const exp = (m: string) => expected.find((e) => e.metric === m);
  const rng = new Rng(p.spec.seed).child('geiger-fits');
  // A one-point grid measures one seed variance and nothing else (no crossing, no sides).
  const cross = p.grid.length > 1 ? crossoverRecords(p, cells) : [];
  const sBar = meanCrossover(cross.filter((r) => r.metric === 'sqrtHAlphaStar').map((r) => r.value));
  const lazyFrom = p.lazyFactor * sBar, featureTo = p.featureFactor * sBar;
  const lazy = (c: GeigerCell) => c.sqrtHAlpha >= lazyFrom * (1 - 1e-9);
  const feature = (c: GeigerCell) => c.sqrtHAlpha <= featureTo * (1 + 1e-9);
  const derived: LongRecord[] = [
    ...cross,
    ...varianceRecords(p, cells, p.varianceLazy, 'seedVarianceLazy'),
    ...varianceRecords(p, cells, p.varianceFeature, 'seedVarianceFeature'),
    ...(p.grid.length > 1 ? amplitudeRecords(p, cells, lazy) : []),
  ];
  const collapse = p.widths.map((h) => ({ h, c: collapseMeasure(meanLossCurves(cells.filter((c) => c.width === h && feature(c))).map((m) => ({ sqrtHAlpha: m.s, times: m.times, lossRatio: m.loss }))) }));
  for (const { h, c } of collapse) derived.push({ width: h, seed: null, metric: 'lossCollapseRatio', value: c.ratio });
  const pooled = collapseMeasure(meanLossCurves(cells.filter(feature)).map((m) => ({ sqrtHAlpha: m.s, times: m.times, lossRatio: m.loss })));

  const fitted = ['alphaStar', 'seedVarianceLazy', 'seedVarianceFeature', 'lazyAmplitude'];
  const fits: FitRecord[] = [
    ...fitRecords(derived.filter((r) => fitted.some((m) => r.metric === m || r.metric === m + 'Term')), expected, { seed: `${p.spec.seed}/geiger` }),
    sideFit(cells, lazy, (c) => c.kernelMotion, 'kernelMotionLazy', exp('kernelMotionLazy'), rng.child('lazy'), `lazy side √hα ≥ ${fmt(lazyFrom)} = ${p.lazyFactor} × mean √hα*`),
    sideFit(cells, feature, (c) => c.t1, 't1Feature', exp('t1Feature'), rng.child('t1'), `feature side √hα ≤ ${fmt(featureTo)} = ${p.featureFactor} × mean √hα*`),
  ];
  const fitOf = (m: string) => fits.find((f) => f.metric === m);
  const bad = cells.filter((c) => c.status !== 'ok');
  const collapseText = Number.isFinite(pooled.ratio)
    ? `feature side (√hα ≤ ${fmt(featureTo)}): spread of ln t_ρ ${fmt(pooled.rawSpread)} against t, ${fmt(pooled.scaledSpread)} against t/(√hα) (ratio ${fmt(pooled.ratio)})`
    : 'feature side: fewer than two curves, no collapse measure';
  return {
    records: [...runRecords(p, cells), ...derived],
    fits,
    status: bad.length ? bad[0].status : 'ok',
    message: bad.length ? `${bad.length} of ${cells.length} runs did not finish cleanly (first: h = ${bad[0].width}, α = ${bad[0].alpha}: ${bad[0].message})` : '',
    axis: { name: 'width', label: 'width h' },
    references: ['geiger2020', 'jacot2018', 'efron1993'],
    labels: LABELS,
    notes: scanNotes(p, sBar, lazyFrom, featureTo, pooled, collapse, fitOf('kernelMotionLazy')),
    spec: { spec: p.spec, scan: { ...p, spec: undefined, baseDir: undefined } },
    cells,
    crossover: sBar,
    charts: [
      { id: 'geiger-kernel-motion', title: 'Kernel motion against √h·α', spec: kernelMotionChart(cells, fitOf('kernelMotionLazy'), p.crossingLevel, sBar) },
      { id: 'geiger-loss-collapse', title: 'Loss curves against t/(√h·α)', spec: lossCollapseChart(cells, collapseText) },
      { id: 'geiger-t1', title: 't₁ against √h·α', spec: t1Chart(cells, fitOf('t1Feature'), p.t1Fraction) },
    ],
  };
}

/** Lazy-side amplitude √hα · kernel motion, mean over the lazy points of each (width, seed). */
function amplitudeRecords(p: GeigerScanParams, cells: readonly GeigerCell[], lazy: (c: GeigerCell) => boolean): LongRecord[] {
  const out: LongRecord[] = [];
  for (const h of p.widths) {
    for (let s = 0; s < p.seeds; s++) {
      const v = curveOf(cells, h, s).filter((c) => c.status === 'ok' && lazy(c)).map((c) => c.kernelMotion * c.sqrtHAlpha);
      out.push({ width: h, seed: s, metric: 'lazyAmplitude', value: v.length ? v.reduce((a, b) => a + b, 0) / v.length : NaN });
    }
  }
  return out;
}

const LABELS: Record<string, MetricLabel> = {
  alphaStar: { title: 'Crossover scale α*', formula: 'α* where the kernel motion crosses the level (per seed)', axis: 'α*' },
  sqrtHAlphaStar: { title: 'Crossover √h·α*', formula: '√h α*', axis: '√h α*' },
  seedVarianceLazy: { title: 'Seed variance, lazy side', formula: 'Var over seeds of f̃_T(x*), mean over test x*, at the largest √hα', axis: 'Var_seeds f̃_T' },
  seedVarianceFeature: { title: 'Seed variance, feature side', formula: 'Var over seeds of f̃_T(x*), mean over test x*, at the smallest √hα', axis: 'Var_seeds f̃_T' },
  lazyAmplitude: { title: 'Lazy amplitude √hα·‖ΔΘ‖/‖Θ‖', formula: 'mean over lazy points of √hα × kernel motion', axis: '√hα × kernel motion' },
  kernelMotionLazy: { title: 'Lazy-side kernel motion against √h·α', formula: '‖Θ̂_T − Θ̂_0‖_F/‖Θ̂_0‖_F ∝ (√hα)^q (x = √hα)', axis: 'kernel motion' },
  t1Feature: { title: 'Feature-side t₁ against √h·α', formula: 't₁ ∝ (√hα)^b (x = √hα)', axis: 't₁' },
  lossCollapseRatio: { title: 'Loss-curve collapse ratio', formula: 'spread of ln t_ρ against t/(√hα) ÷ against t', axis: 'collapse ratio' },
};

function scanNotes(
  p: GeigerScanParams, sBar: number, lazyFrom: number, featureTo: number, pooled: ReturnType<typeof collapseMeasure>,
  perWidth: { h: number; c: ReturnType<typeof collapseMeasure> }[], lazyFit: FitRecord | undefined,
): string[] {
  const m = p.spec.model;
  const stop = p.stop.kind === 'margin' ? 'every training margin f̃(x_i)·y_i ≥ 1' : p.stop.kind === 'loss-ratio' ? `train loss ≤ ${p.stop.ratio} × initial` : 'never';
  return [
    `Network: geiger parameterization (multipliers σ_w/√n_in, σ_w = ${fmt(m.weightStd)}, no bias), depth L = ${m.depth}, activation ${m.activation}, centred output f̃ = α(F − F_0), loss Σℓ(f̃ y)/(α² n) with ${p.spec.training.loss}${p.spec.training.loss === 'soft-hinge' ? ` (β = ${p.spec.training.softHingeBeta})` : ''}. Scan: ${p.gridKind === 'sqrtHAlpha' ? '√h·α' : 'α'} ∈ {${p.grid.join(', ')}} × widths {${p.widths.join(', ')}} × ${p.seeds} seeds (init seed spec.seed + k, the same θ_0 at every α of a width).`,
    `Training: gradient flow (dopri5 on θ/σ, tolerance ${p.tolerance} × min(1, 1/√hα)), stopped when ${stop}, at most t = ${p.maxTime}; records at ${p.savesPerDecade} log-spaced times per decade from 10⁻³·min(1, √hα) (theory/geiger.md#integration).`,
    `Crossover: α*(h, seed) is where that seed's kernel motion ‖Θ̂_T − Θ̂_0‖_F/‖Θ̂_0‖_F crosses ${p.crossingLevel}, interpolated linearly in (log α, log motion) between the grid points around the crossing, approached from the lazy side; mean √h·α* = ${fmt(sBar)}.`,
    `Sides: lazy = √hα ≥ ${p.lazyFactor} × mean √hα* = ${fmt(lazyFrom)}; feature = √hα ≤ ${p.featureFactor} × mean √hα* = ${fmt(featureTo)}. The fits kernelMotionLazy and t1Feature are against √hα (their "widths" column holds √hα values); the lazy amplitude √hα × kernel motion against h shows what remains width-dependent on the lazy side${lazyFit && Number.isFinite(lazyFit.exponent) ? ` (the slope in √hα is ${fmt(lazyFit.exponent)})` : ''}.`,
    `Seed variance: Var over seeds of f̃_T(x*), unbiased, mean over the ${p.spec.data.nTest} test inputs, at √hα = ${varianceAt(p)}, fitted on per-seed terms (bootstrap over seeds).`,
    `t₁ = first time the train loss is ≤ ${p.t1Fraction} × its initial value (log–log interpolation between records). Loss-curve collapse: t_ρ = first time L/L_0 ≤ ρ for ρ ∈ {${pooled.levels.join(', ')}} on the seed-mean curves of the feature side; spread = std over curves of ln t_ρ, averaged over ρ. Pooled over widths: ${fmt(pooled.rawSpread)} against t, ${fmt(pooled.scaledSpread)} against t/(√hα) (ratio ${fmt(pooled.ratio)}); per width: ${perWidth.map(({ h, c }) => `h = ${h}: ${fmt(c.ratio)}`).join(', ')}.`,
    'The first three figures are this kind\'s own (their x axis is √h·α or t/(√h·α), not the width): figures/geiger-kernel-motion.svg, figures/geiger-loss-collapse.svg, figures/geiger-t1.svg; loss curves of every run in loss-curves.csv (width, alpha, sqrtHAlpha, seed, time, scaledTime, lossRatio, testLossRatio).',
  ];
}

/** Where the seed variances are measured (a one-point grid measures one side only). */
function varianceAt(p: GeigerScanParams): string {
  const both = `${fmt(p.varianceLazy)} (lazy) and ${fmt(p.varianceFeature)} (feature)`;
  if (p.grid.length > 1) return both;
  return Number.isNaN(p.varianceFeature) ? `${fmt(p.varianceLazy)} (lazy) only: one-point grid, the feature side is not run` : `${fmt(p.varianceFeature)} (feature) only: one-point grid, the lazy side is not run`;
}

/** Figures (SVG + Vega-Lite spec) and loss-curves.csv. */
async function writeExtras(dir: string, out: GeigerScanOutput, cells: readonly GeigerCell[]): Promise<void> {
  for (const c of out.charts) {
    writeFileAtomic(join(dir, 'figures', `${c.id}.svg`), await renderSvg(c.spec, c.id));
    writeFileAtomic(join(dir, 'figures', `${c.id}.vl.json`), JSON.stringify(c.spec, null, 1) + '\n');
  }
  const lines = ['width,alpha,sqrtHAlpha,seed,time,scaledTime,lossRatio,testLossRatio'];
  const num = (v: number) => (Number.isFinite(v) ? String(v) : '');
  for (const c of cells) {
    c.times.forEach((t, i) => lines.push([c.width, c.alpha, c.sqrtHAlpha, c.seed, t, t / c.sqrtHAlpha, c.lossRatio[i], c.testLossRatio[i]].map(num).join(',')));
  }
  writeFileAtomic(join(dir, 'loss-curves.csv'), lines.join('\n') + '\n');
}
