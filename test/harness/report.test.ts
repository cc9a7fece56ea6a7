import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { compareRecords } from '../../src/harness/assemble.js';
import { runCompare } from '../../src/harness/compare.js';
import type { ResolvedExperiment } from '../../src/harness/experiments.js';
import { writeGenericResults } from '../../src/harness/kinds.js';
import { fitLines, logTicks, wrap } from '../../src/harness/report/charts.js';
import { parseCsv } from '../../src/harness/report/csv.js';
import { writeReport } from '../../src/harness/report/index.js';
import { prefixIds } from '../../src/harness/report/render.js';
import type { CompareResults, CurveRecord, FitRecord, LongRecord } from '../../src/harness/types.js';
import { tempDir, tinySpec } from './fixtures.js';

describe('report of a compare folder', () => {
  let out = '';
  let results: CompareResults;
  beforeAll(async () => {
    out = tempDir('report');
    results = await runCompare(tinySpec(), { widths: [16, 32, 64], seeds: 3, out, workers: 1, progress: false });
    await writeReport(out);
  });

  it('the HTML is self-contained: inline SVG figures and CSS, no scripts, no remote resources', () => {
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<link /i);
    expect(html).not.toMatch(/src="https?:/i);
    const figures = html.match(/<figure /g) ?? [];
    const svgs = html.match(/<svg /g) ?? [];
    // overview + 8 metrics + 4 curve figures
    expect(figures.length).toBe(13);
    expect(svgs.length).toBe(figures.length);
    expect(html).toContain('Jacot'); // the references of the NTK limit
  });

  it('every figure is an SVG file with marks, beside its Vega-Lite spec with the data', () => {
    const md = readFileSync(join(out, 'report.md'), 'utf8');
    const linked = [...md.matchAll(/\]\((figures\/[^)]+\.svg)\)/g)].map((m) => m[1]);
    expect(linked.length).toBe(13);
    for (const f of linked) {
      const svg = readFileSync(join(out, f), 'utf8');
      expect(svg.startsWith('<svg')).toBe(true);
      expect((svg.match(/<path/g) ?? []).length).toBeGreaterThan(5);
      expect(existsSync(join(out, f.replace(/\.svg$/, '.vl.json')))).toBe(true);
    }
  });

  it('data.csv holds every measured value in long format, in full precision', () => {
    const rows = parseCsv(readFileSync(join(out, 'data.csv'), 'utf8'));
    const records = compareRecords(results);
    expect(Object.keys(rows[0])).toEqual(['width', 'seed', 'metric', 'value']);
    expect(rows.length).toBe(records.length);
    const c = results.cells[4];
    const row = rows.find((r) => r.width === String(c.width) && r.seed === String(c.seed) && r.metric === 'fTrainSup');
    expect(Number(row?.value)).toBe(c.metrics.fTrainSup);
    const sv = rows.find((r) => r.width === '32' && r.seed === '' && r.metric === 'seedVariance');
    expect(Number(sv?.value)).toBe(results.widthMetrics[1].metrics.seedVariance);
  });

  it('curves.csv holds every plotted curve: finite runs, path-wise limits and the reference', () => {
    const rows = parseCsv(readFileSync(join(out, 'curves.csv'), 'utf8'));
    expect(Object.keys(rows[0])).toEqual(['width', 'seed', 'kind', 'time', 'quantity', 'value']);
    const kinds = new Set(rows.map((r) => r.kind));
    expect([...kinds].sort()).toEqual(['finite', 'limit', 'limit-pathwise']);
    // 5 records (τ = 0, 5, 10, 15, 20 steps) × 9 cells × (2 losses + 2 path-wise losses + 2 distances + 2 motions) + 2 × 5 reference
    expect(rows.length).toBe(5 * 9 * 8 + 10);
  });

  it('regenerating the report from the saved data gives the same files', async () => {
    const before = readFileSync(join(out, 'report.md'), 'utf8');
    const svg = readFileSync(join(out, 'figures', 'metric-fTrainSup.svg'), 'utf8');
    await writeReport(out);
    expect(readFileSync(join(out, 'report.md'), 'utf8')).toBe(before);
    expect(readFileSync(join(out, 'figures', 'metric-fTrainSup.svg'), 'utf8')).toBe(svg);
  });
});

describe('report of a plug-in experiment kind', () => {
  it('fits the records, plots each metric and each curve quantity, and names the swept axis', async () => {
    const out = tempDir('generic');
    const records: LongRecord[] = [];
    const curves: CurveRecord[] = [];
    for (const a of [1, 2, 4, 8]) for (let s = 0; s < 3; s++) {
      records.push({ width: a, seed: s, metric: 'crossover', value: 0.5 * Math.pow(a, -1) * (1 + 0.01 * s) });
      for (const t of [0, 1, 2]) curves.push({ width: a, seed: s, kind: 'finite', time: t, quantity: 'trainLoss', value: Math.exp(-t * a) });
    }
    const config = { name: 'toy', claim: 'crossover ∝ 1/α', kind: 'toy', widths: [1, 2, 4, 8], seeds: 3, expected: [{ metric: 'crossover', exponent: -1 }], quick: false, dir: out } as ResolvedExperiment;
    const r = writeGenericResults(config, { records, curves, status: 'ok', message: '', axis: { name: 'alpha', label: 'output scale α' } }, out, 0);
    // 3 seeds: the interval holds −1, but fewer than 8 seeds cannot decide
    expect(r.fits[0]).toMatchObject({ metric: 'crossover', verdict: 'inconclusive' } satisfies Partial<FitRecord>);
    expect(r.claims?.[0]).toMatchObject({ id: 'crossover', status: 'inconclusive', seeds: 3 });
    expect(r.fits[0].exponent).toBeCloseTo(-1, 2); // seed factors (1 + 0.01 s) are width-independent: slope −1 up to their averaging
    const files = await writeReport(out);
    expect(files.figures.map((f) => f.split('/').pop())).toEqual(['metric-crossover.svg', 'curve-trainLoss.svg']);
    expect(readFileSync(files.dataCsv, 'utf8').split('\n')[0]).toBe('alpha,seed,metric,value');
    expect(statSync(files.html).size).toBeGreaterThan(5000);
    expect(readFileSync(files.markdown, 'utf8')).toMatch(/## Claims[\s\S]*\| crossover \|.*\| 3 \| inconclusive \| 3 seeds \(fewer than 8\)/);
  });
});

describe('chart helpers', () => {
  it('log ticks are 1-2-5 per decade over short ranges and powers of ten over long ones', () => {
    expect(logTicks(0.013, 0.12)).toEqual([0.02, 0.05, 0.1]);
    expect(logTicks(1e-6, 1)).toEqual([1e-6, 1e-5, 1e-4, 0.001, 0.01, 0.1, 1]);
    expect(logTicks(0.031, 0.034)).toEqual([0.031, 0.034]);
  });

  it('the fitted line and the slope band pass through the centroid of the fit', () => {
    const fit = { widths: [64, 256, 1024], intercept: 1.2, exponent: -0.5 } as FitRecord;
    const l = fitLines(fit);
    const centre = Math.exp((Math.log(64) + Math.log(256) + Math.log(1024)) / 3); // = 256
    expect(l.slope(-0.8)(centre)).toBeCloseTo(l.fit(centre), 12);
    expect(l.slope(-0.5)(1000)).toBeCloseTo(l.fit(1000), 12);
  });

  it('subtitles wrap at spaces, ids of inlined SVGs get a per-figure prefix', () => {
    expect(wrap('aaa bbb ccc', 7)).toEqual(['aaa bbb', 'ccc']);
    expect(prefixIds('<clipPath id="c1"/><rect clip-path="url(#c1)"/>', 'fig a')).toBe('<clipPath id="fig_a-c1"/><rect clip-path="url(#fig_a-c1)"/>');
  });
});
