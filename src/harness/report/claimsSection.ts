/**
 * The claims section of a report (Markdown and HTML): one row per claim with its prediction,
 * band, estimate, interval, seeds, status and the reason, then the identities the code
 * satisfies by construction (theory/harness.md#claims).
 */
import type { ClaimResult, Identity } from '../claims.js';
import type { AnyResults } from '../types.js';
import { countsText, estimateText, predictionText, quantityText } from './claimsText.js';

const RULE_NOTE = 'Decided on the interval: pass iff the whole confidence interval lies inside the predicted band, fail iff it lies wholly outside, inconclusive otherwise or with fewer than 8 seeds (theory/harness.md#decision-rule).';

function md(s: string): string {
  return s.replace(/\|/g, '\\|');
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function isFit(r: AnyResults, c: ClaimResult): boolean {
  return c.at === undefined && !(r.statistics && c.quantity in r.statistics);
}

function statusMd(c: ClaimResult): string {
  return c.status === 'pass' ? '**pass**' : c.status === 'fail' ? '**FAIL**' : 'inconclusive';
}

/** One line for the top of the report: the counts by status. */
export function claimsSummary(r: AnyResults): string | null {
  return r.claims && r.claims.length > 0 ? `Claims: ${countsText(r.claims)}.` : null;
}

export function claimsMarkdown(r: AnyResults): string[] {
  const claims = r.claims ?? [];
  const out: string[] = [];
  if (claims.length > 0) {
    out.push('## Claims', '', RULE_NOTE, '');
    out.push('| claim | paper | statement | quantity | prediction | estimate [CI] | seeds | status | why |', '|---|---|---|---|---|---|---|---|---|');
    for (const c of claims) {
      const rev = c.revises ? ` (revises ${c.revises})` : '';
      out.push(`| ${md(c.id)}${rev} | ${md(c.paper)} | ${md(c.statement)} ([derivation](${c.derivation.replace(/^theory\//, '../../../theory/')})) | ${md(quantityText(c, isFit(r, c)))} | ${md(predictionText(c))}; ${md(c.toleranceReason)} | ${md(estimateText(c))} | ${c.seeds} | ${statusMd(c)} | ${md(c.reason)} |`);
    }
    out.push('');
  }
  out.push(...identitiesMarkdown(r.identities ?? []));
  return out;
}

function identitiesMarkdown(ids: readonly Identity[]): string[] {
  if (ids.length === 0) return [];
  return ['## Identities (true by construction, not claims)', '', ...ids.map((i) => `- **${md(i.id)}**: ${i.statement} — ${i.why}${i.quantity ? ` (quantity \`${i.quantity}\`)` : ''}`), ''];
}

export function claimsHtml(r: AnyResults): string[] {
  const claims = r.claims ?? [];
  const h: string[] = [];
  if (claims.length > 0) {
    h.push('<h2>Claims</h2>', `<p class="muted">${esc(RULE_NOTE)}</p>`);
    h.push('<table><tr><th>claim</th><th>paper</th><th>statement</th><th>quantity</th><th>prediction</th><th>estimate [CI]</th><th>seeds</th><th>status</th><th>why</th></tr>');
    for (const c of claims) {
      const badge = c.status === 'inconclusive' ? 'none' : c.status;
      h.push(`<tr><td><code>${esc(c.id)}</code>${c.revises ? `<br><span class="muted">revises ${esc(c.revises)}</span>` : ''}</td><td>${esc(c.paper)}</td><td>${esc(c.statement)}<br><span class="muted">${esc(c.derivation)}</span></td><td>${esc(quantityText(c, isFit(r, c)))}</td><td class="num">${esc(predictionText(c))}<br><span class="muted">${esc(c.toleranceReason)}</span></td><td class="num">${esc(estimateText(c))}</td><td class="num">${c.seeds}</td><td><span class="badge ${badge}">${c.status}</span></td><td class="muted">${esc(c.reason)}</td></tr>`);
    }
    h.push('</table>');
  }
  const ids = r.identities ?? [];
  if (ids.length > 0) {
    h.push('<h2>Identities (true by construction, not claims)</h2><ul>');
    for (const i of ids) h.push(`<li><b>${esc(i.id)}</b>: ${esc(i.statement)} — <span class="muted">${esc(i.why)}</span></li>`);
    h.push('</ul>');
  }
  return h;
}
