/**
 * The report as text: one content model ({@link ReportContent}) written out as Markdown
 * (figures linked from figures/*.svg) and as a self-contained HTML page (figures inlined as SVG,
 * CSS inline, no scripts, no network).
 */
import type { FitRecord } from '../types.js';
import { CITATIONS } from './references.js';
import type { ReportData } from './data.js';
import { expText, fmt, metricLabel } from './labels.js';
import { claimsHtml, claimsMarkdown, claimsSummary } from './claimsSection.js';
import { prefactorHtml, prefactorMarkdown } from './prefactorSection.js';

/** Said next to the verdict of a --quick run. */
const QUICK_NOTE = ' Quick run (small sizes, a smoke test): the verdicts are indicative; those of the full run are the claim\'s.';
import { formatDuration } from '../progress.js';

export interface Figure {
  /** File stem: figures/<id>.svg. */
  id: string;
  title: string;
  svg: string;
  /** Wide figures span the whole page. */
  wide?: boolean;
}

export interface ReportContent {
  data: ReportData;
  figures: Figure[];
  versions: Record<string, string>;
  spec: unknown;
}

const METHOD_NOTES = [
  'Each distance is measured per (width, seed) cell between the finite network and its limit. For the NTK limit the limit is started from the finite network’s own initial outputs f₀ on train and test inputs (path-wise comparison), so the distance measures the finite-width dynamics only (Lee et al. 2019).',
  'Fits: least squares of log(mean over seeds) on log(width); the confidence interval of the exponent is a percentile bootstrap over seeds (seeds resampled with replacement, the fit repeated). A verdict is decided on the interval: pass iff the whole CI lies in the expected band, fail iff wholly outside, inconclusive otherwise or with fewer than 8 seeds.',
  'In the width plots the shaded band is the slope interval drawn through the centroid of the fit, and the dashed red line the expected slope through the same point.',
  'Flow time τ = η · steps (theory/conventions.md#time).',
];

function verdictCounts(fits: FitRecord[]): { pass: number; fail: number; judged: number } {
  const judged = fits.filter((f) => f.verdict !== 'none');
  return { pass: judged.filter((f) => f.verdict === 'pass').length, fail: judged.filter((f) => f.verdict === 'fail').length, judged: judged.length };
}

function ciText(f: FitRecord): string {
  return Number.isFinite(f.ci[0]) ? `[${fmt(f.ci[0])}, ${fmt(f.ci[1])}]` : '–';
}

function refsOf(c: ReportContent): string[] {
  return c.data.results.references.filter((k) => k in CITATIONS);
}

// ---------------------------------------------------------------- Markdown

function mdEscape(s: string): string {
  return s.replace(/\|/g, '\\|');
}

export function toMarkdown(c: ReportContent): string {
  const d = c.data;
  const v = verdictCounts(d.fits);
  const out: string[] = [];
  out.push(`# ${d.title}`, '', `**Claim.** ${d.claim}`, '');
  const cs = claimsSummary(d.results);
  if (cs) out.push(`**Verdict.** ${cs}${d.results.quick ? QUICK_NOTE : ''}`, '');
  else if (v.judged > 0) out.push(`**Verdict:** ${v.pass} of ${v.judged} expected exponents pass${v.fail ? `, ${v.fail} fail` : ''}.${d.results.quick ? QUICK_NOTE : ''}`, '');
  out.push('| | |', '|---|---|', ...d.facts.map(([k, val]) => `| ${mdEscape(k)} | ${mdEscape(val)} |`), '');
  out.push(...claimsMarkdown(d.results));
  out.push('## Fitted exponents', '', `Power law \`metric ∝ ${d.axis.name}^p\`; ${d.fits[0] ? Math.round(d.fits[0].level * 100) : 95}% bootstrap interval over seeds.`, '');
  out.push('| metric | quantity | p | CI | expected | verdict | R² | widths × seeds | note |', '|---|---|---|---|---|---|---|---|---|');
  for (const f of d.fits) {
    const l = metricLabel(f.metric, d.labels);
    const verdict = f.verdict === 'pass' ? '**pass**' : f.verdict === 'fail' ? '**FAIL**' : f.verdict === 'inconclusive' ? 'inconclusive' : '–';
    out.push(`| ${f.metric} | ${mdEscape(l.formula)} | ${fmt(f.exponent)} | ${ciText(f)} | ${expText(f)} | ${verdict} | ${fmt(f.r2)} | ${f.widths.length} × ${f.nSeeds} | ${mdEscape(f.message)} |`);
  }
  out.push(...(prefactorMarkdown(d.fits).length ? ['', ...prefactorMarkdown(d.fits)] : []));
  out.push('', '## Figures', '');
  for (const f of c.figures) out.push(`![${f.title}](figures/${f.id}.svg)`, '');
  if (d.failedCells.length > 0) {
    out.push('## Failed cells', '', '| width | seed | status | message |', '|---|---|---|---|');
    for (const x of d.failedCells) out.push(`| ${x.width} | ${x.seed} | ${x.status} | ${mdEscape(x.message)} |`);
    out.push('');
  }
  out.push('## Method', '', ...METHOD_NOTES.map((n) => `- ${n}`), ...d.notes.map((n) => `- ${n}`), '');
  out.push('## Data files', '', '- `results.json`: cells, per-width metrics and fits', `- \`data.csv\`: every measured value, long format (\`${d.axis.name},seed,metric,value\`)`, '- `curves.csv`: every plotted curve, long format (`width,seed,kind,time,quantity,value`)', '- `figures/*.svg`, `figures/*.vl.json`: the figures and their Vega-Lite specs with data', '');
  out.push('## Spec', '', '```json', JSON.stringify(c.spec, null, 2), '```', '');
  out.push('## References', '');
  refsOf(c).forEach((k, i) => {
    const r = CITATIONS[k];
    out.push(`${i + 1}. ${r.authors} (${r.year}). *${r.title}*. ${r.where}. <${r.url}> — ${r.used}`);
  });
  out.push('', `---`, footer(c), '');
  return out.join('\n');
}

function footer(c: ReportContent): string {
  const vs = Object.entries(c.versions).map(([k, val]) => `${k} ${val}`).join(', ');
  const t = c.data.timing;
  const time = t && Number.isFinite(t.seconds) ? `; last run ${formatDuration(t.seconds)} wall time on ${t.workers} worker(s)` : '';
  return `Generated by \`widelimit report\` from the saved data of this folder (${vs}${time}).`;
}

// ---------------------------------------------------------------- HTML

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const CSS = `
:root { --fg: #1d232a; --muted: #5b6570; --line: #d9dee3; --pass: #1a7f37; --fail: #c62828; --none: #6e7781; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; color: var(--fg); background: #f6f7f9; }
main { max-width: 1180px; margin: 0 auto; padding: 28px 32px 48px; background: white; min-height: 100vh; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 19px; margin: 34px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--line); }
p.claim { font-size: 16px; margin: 4px 0 14px; }
.summary { display: inline-block; padding: 6px 12px; border-radius: 6px; font-weight: 600; margin-bottom: 14px; }
.summary.ok { background: #e6f4ea; color: var(--pass); } .summary.bad { background: #fdecea; color: var(--fail); }
table { border-collapse: collapse; font-size: 13.5px; margin: 6px 0 10px; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
th { background: #f0f2f4; font-weight: 600; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
table.facts th { background: none; color: var(--muted); font-weight: 500; white-space: nowrap; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 700; color: white; }
.badge.pass { background: var(--pass); } .badge.fail { background: var(--fail); } .badge.none { background: var(--none); }
.figs { display: grid; grid-template-columns: repeat(auto-fit, minmax(500px, 1fr)); gap: 18px; }
figure { margin: 0; padding: 8px; border: 1px solid var(--line); border-radius: 6px; background: white; overflow-x: auto; }
figure.wide { grid-column: 1 / -1; }
figure svg { display: block; max-width: 100%; height: auto; margin: 0 auto; }
figcaption { font-size: 12px; color: var(--muted); margin-top: 4px; }
pre { background: #f6f8fa; padding: 12px; border-radius: 6px; overflow-x: auto; font-size: 12.5px; }
details summary { cursor: pointer; color: var(--muted); }
ol.refs li { margin-bottom: 6px; } .muted { color: var(--muted); font-size: 13px; }
code { font-size: 13px; background: #f0f2f4; padding: 1px 4px; border-radius: 3px; }
`;

export function toHtml(c: ReportContent): string {
  const d = c.data;
  const v = verdictCounts(d.fits);
  const h: string[] = [];
  h.push('<!DOCTYPE html>', '<html lang="en"><head><meta charset="utf-8">', '<meta name="viewport" content="width=device-width, initial-scale=1">', `<title>${esc(d.title)} — widelimit report</title>`, `<style>${CSS}</style></head><body><main>`);
  h.push(`<h1>${esc(d.title)}</h1>`, `<p class="claim"><b>Claim.</b> ${esc(d.claim)}</p>`);
  const cs = claimsSummary(d.results);
  const failed = (d.results.claims ?? []).some((x) => x.status === 'fail');
  if (cs) h.push(`<div class="summary ${failed ? 'bad' : 'ok'}">${esc(cs)}${d.results.quick ? esc(QUICK_NOTE) : ''}</div>`);
  else if (v.judged > 0) h.push(`<div class="summary ${v.fail === 0 ? 'ok' : 'bad'}">${v.pass} of ${v.judged} expected exponents pass${v.fail ? `, ${v.fail} fail` : ''}${d.results.quick ? esc(QUICK_NOTE) : ''}</div>`);
  h.push('<table class="facts">', ...d.facts.map(([k, val]) => `<tr><th>${esc(k)}</th><td>${esc(val)}</td></tr>`), '</table>');
  h.push(...claimsHtml(d.results));
  h.push('<h2>Fitted exponents</h2>', `<p class="muted">Power law <code>metric ∝ ${esc(d.axis.name)}<sup>p</sup></code>, least squares on log–log axes; interval: bootstrap over seeds.</p>`);
  h.push('<table><tr><th>metric</th><th>quantity</th><th>p</th><th>CI</th><th>expected</th><th>verdict</th><th>R²</th><th>widths × seeds</th><th>note</th></tr>');
  for (const f of d.fits) {
    const l = metricLabel(f.metric, d.labels);
    h.push(`<tr><td><code>${esc(f.metric)}</code></td><td>${esc(l.formula)}</td><td class="num">${fmt(f.exponent)}</td><td class="num">${ciText(f)}</td><td class="num">${expText(f)}</td><td><span class="badge ${f.verdict === 'inconclusive' ? 'none' : f.verdict}">${f.verdict === 'none' ? 'n/a' : f.verdict}</span></td><td class="num">${fmt(f.r2)}</td><td class="num">${f.widths.length} × ${f.nSeeds}</td><td class="muted">${esc(f.message)}</td></tr>`);
  }
  h.push('</table>', ...prefactorHtml(d.fits, esc), '<h2>Figures</h2>', '<div class="figs">');
  for (const f of c.figures) h.push(`<figure id="fig-${esc(f.id)}"${f.wide ? ' class="wide"' : ''}>${f.svg}<figcaption>figures/${esc(f.id)}.svg</figcaption></figure>`);
  h.push('</div>');
  if (d.failedCells.length > 0) {
    h.push('<h2>Failed cells</h2><table><tr><th>width</th><th>seed</th><th>status</th><th>message</th></tr>');
    for (const x of d.failedCells) h.push(`<tr><td class="num">${x.width}</td><td class="num">${x.seed}</td><td>${esc(x.status)}</td><td>${esc(x.message)}</td></tr>`);
    h.push('</table>');
  }
  h.push('<h2>Method</h2><ul>', ...[...METHOD_NOTES, ...d.notes].map((n) => `<li>${esc(n)}</li>`), '</ul>');
  h.push('<h2>Data</h2><ul>', '<li><code>results.json</code>: cells, per-width metrics and fits</li>', `<li><code>data.csv</code>: every measured value (<code>${esc(d.axis.name)},seed,metric,value</code>)</li>`, '<li><code>curves.csv</code>: every plotted curve (<code>width,seed,kind,time,quantity,value</code>)</li>', '<li><code>figures/*.svg</code>, <code>figures/*.vl.json</code>: figures and their Vega-Lite specs with data</li></ul>');
  h.push('<h2>Spec</h2><details><summary>show the spec of this run</summary>', `<pre>${esc(JSON.stringify(c.spec, null, 2))}</pre></details>`);
  h.push('<h2>References</h2><ol class="refs">');
  for (const k of refsOf(c)) {
    const r = CITATIONS[k];
    h.push(`<li>${esc(r.authors)} (${r.year}). <i>${esc(r.title)}</i>. ${esc(r.where)}. <a href="${esc(r.url)}">${esc(r.url)}</a><br><span class="muted">${esc(r.used)}</span></li>`);
  }
  h.push('</ol>', `<p class="muted">${esc(footer(c)).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`, '</main></body></html>');
  return h.join('\n') + '\n';
}
