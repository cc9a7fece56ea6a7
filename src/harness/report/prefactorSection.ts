/**
 * The report's "Predicted prefactors" table (theory/finite-width.md#prefactor-fit): for every fit
 * whose expectation predicted the constant of `metric ≈ c·width^p`, the fitted constant with its
 * bootstrap interval beside the predicted one and their ratio. Nothing at all when no fit has a
 * prediction, so the reports of such runs keep their bytes.
 */
import type { FitRecord } from '../types.js';
import { fmt } from './labels.js';

type Predicted = FitRecord & Required<Pick<FitRecord, 'prefactor' | 'predicted'>>;

function withPrediction(fits: readonly FitRecord[]): Predicted[] {
  return fits.filter((f): f is Predicted => f.prefactor !== undefined && f.predicted !== undefined);
}

function row(f: Predicted): string[] {
  const c = f.predicted.prefactor;
  const se = f.predicted.prefactorSe !== undefined ? ` ± ${fmt(f.predicted.prefactorSe)}` : '';
  const ci = Number.isFinite(f.prefactor.ci[0]) ? `[${fmt(f.prefactor.ci[0])}, ${fmt(f.prefactor.ci[1])}]` : '–';
  const ratio = c > 0 ? `${fmt(f.prefactor.estimate / c)} [${fmt(f.prefactor.ci[0] / c)}, ${fmt(f.prefactor.ci[1] / c)}]` : '–';
  return [f.metric, fmt(f.predicted.exponent), `${fmt(c)}${se}`, fmt(f.prefactor.estimate), ci, ratio, `${f.widths.length} × ${f.nSeeds}`];
}

const HEAD = ['metric', 'predicted exponent', 'predicted prefactor (± MC error)', 'fitted prefactor', 'CI', 'fitted / predicted [CI]', 'widths × seed rows'];
const INTRO = 'Where the theory predicts the constant as well as the exponent: the constant fitted with the exponent fixed at the predicted one (geometric mean over widths of width^−p × mean over seeds), percentile bootstrap over seed rows; the ratio\'s interval leaves out the prediction\'s own Monte Carlo error.';

export function prefactorMarkdown(fits: readonly FitRecord[]): string[] {
  const p = withPrediction(fits);
  if (p.length === 0) return [];
  return ['## Predicted prefactors', '', INTRO, '', `| ${HEAD.join(' | ')} |`, `|${HEAD.map(() => '---').join('|')}|`, ...p.map((f) => `| ${row(f).join(' | ')} |`), ''];
}

export function prefactorHtml(fits: readonly FitRecord[], esc: (s: string) => string): string[] {
  const p = withPrediction(fits);
  if (p.length === 0) return [];
  return [
    '<h2>Predicted prefactors</h2>', `<p class="muted">${esc(INTRO)}</p>`,
    `<table><tr>${HEAD.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`,
    ...p.map((f) => `<tr>${row(f).map((v, i) => (i === 0 ? `<td><code>${esc(v)}</code></td>` : `<td class="num">${esc(v)}</td>`)).join('')}</tr>`),
    '</table>',
  ];
}
