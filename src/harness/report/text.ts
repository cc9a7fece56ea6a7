/** Plain-text summary of a results file for the terminal (compare / experiment run). */
import type { AnyResults } from '../types.js';
import { expText, fmt } from './labels.js';

export function fitsText(r: AnyResults): string {
  const lines: string[] = [];
  const width = Math.max(6, ...r.fits.map((f) => f.metric.length));
  for (const f of r.fits) {
    const ci = Number.isFinite(f.ci[0]) ? `${Math.round(f.level * 100)}% CI [${fmt(f.ci[0])}, ${fmt(f.ci[1])}]` : 'no CI';
    const exp = f.expected === null ? '' : `  expected ${expText(f)}: ${f.verdict.toUpperCase()}`;
    lines.push(`  ${f.metric.padEnd(width)}  p = ${fmt(f.exponent).padStart(7)}  ${ci.padEnd(26)}${exp}`);
  }
  const judged = r.fits.filter((f) => f.verdict !== 'none');
  const pass = judged.filter((f) => f.verdict === 'pass').length;
  const head = `${r.name ?? 'compare'}: ${r.status}${r.message ? ` (${r.message})` : ''}; ${pass}/${judged.length} expected exponents pass (decided on the interval)`;
  const quick = r.quick ? ['  (quick run: small sizes, a smoke test; verdicts are indicative, the full run\'s are the claim\'s)'] : [];
  return [head, ...lines, ...quick].join('\n') + '\n';
}
