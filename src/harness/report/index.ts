/**
 * `writeReport(dir)`: regenerate the report of a result folder from its saved data —
 * DIR/report.md, DIR/report.html (self-contained), DIR/figures/*.svg (+ *.vl.json, the
 * Vega-Lite spec with its data), DIR/data.csv and DIR/curves.csv. Idempotent; every file is
 * written atomically.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../core/atomic.js';
import { curveChart, metricChart, overviewChart } from './charts.js';
import { curvesCsv, recordsCsv } from './csv.js';
import { type ReportData, loadReportData } from './data.js';
import { type Figure, toHtml, toMarkdown } from './document.js';
import { metricLabel, quantityLabel } from './labels.js';
import { chartVersions, renderSvg } from './render.js';
import type { TopLevelSpec } from 'vega-lite';

export interface ReportFiles {
  markdown: string;
  html: string;
  figures: string[];
  dataCsv: string;
  curvesCsv: string;
}

/** The figures of a report, as Vega-Lite specs with their file stems. */
export function reportCharts(d: ReportData): { id: string; title: string; spec: TopLevelSpec; wide?: boolean }[] {
  const charts: { id: string; title: string; spec: TopLevelSpec; wide?: boolean }[] = [];
  const withData = d.fits.filter((f) => d.records.some((r) => (r.metric === f.metric || r.metric === f.metric + 'Term') && Number.isFinite(r.value) && r.value > 0));
  if (withData.filter((f) => Number.isFinite(f.exponent)).length >= 2) {
    charts.push({ id: 'overview', title: 'All metrics against width', spec: overviewChart(withData, d.axis.label, d.labels) });
  }
  for (const f of withData) {
    charts.push({ id: `metric-${f.metric}`, title: metricLabel(f.metric, d.labels).title, spec: metricChart(d.records, f.metric, f, d.axis.label, d.labels) });
  }
  for (const c of d.curveFigures) {
    if (!d.curves.some((x) => x.quantity === c.quantity)) continue;
    charts.push({ id: c.id, title: quantityLabel(c.quantity, d.curveLabels).title, spec: curveChart(d.curves, c.quantity, c.subtitle, d.curveLabels) });
  }
  return charts;
}

export async function writeReport(dir: string): Promise<ReportFiles> {
  const d = loadReportData(dir);
  const figures: Figure[] = [];
  const figurePaths: string[] = [];
  // the kind's own figures first, as it drew them (missing files are skipped)
  for (const k of d.kindFigures ?? []) {
    const p = join(dir, 'figures', `${k.id}.svg`);
    if (!existsSync(p)) continue;
    figures.push({ id: k.id, title: k.title, svg: readFileSync(p, 'utf8') });
    figurePaths.push(p);
  }
  for (const c of reportCharts(d)) {
    const svg = await renderSvg(c.spec, c.id);
    const p = join(dir, 'figures', `${c.id}.svg`);
    writeFileAtomic(p, svg);
    writeFileAtomic(join(dir, 'figures', `${c.id}.vl.json`), JSON.stringify(c.spec, null, 1) + '\n');
    figures.push({ id: c.id, title: c.title, svg, wide: c.wide });
    figurePaths.push(p);
  }
  const content = { data: d, figures, versions: { ...d.results.versions, ...(await chartVersions()) }, spec: d.results.spec ?? null };
  const files: ReportFiles = {
    markdown: join(dir, 'report.md'),
    html: join(dir, 'report.html'),
    figures: figurePaths,
    dataCsv: join(dir, 'data.csv'),
    curvesCsv: join(dir, 'curves.csv'),
  };
  writeFileAtomic(files.dataCsv, recordsCsv(d.records, d.axis.name));
  writeFileAtomic(files.curvesCsv, curvesCsv(d.curves));
  writeFileAtomic(files.markdown, toMarkdown(content));
  writeFileAtomic(files.html, toHtml(content));
  return files;
}
