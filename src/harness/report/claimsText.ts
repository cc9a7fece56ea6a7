/**
 * Claims in words, for the terminal and the reports: the prediction with its band, the estimate
 * with its interval, and the counts by status (theory/harness.md#claims).
 */
import type { ClaimResult, ClaimStatus } from '../claims.js';
import type { AnyResults } from '../types.js';
import { fmt } from './labels.js';

/** `= −0.5 ± 0.1`, `≤ 0 (+0.1)`, `≥ 1 (−0.1)`, `class linear`. */
export function predictionText(c: Pick<ClaimResult, 'rule' | 'prediction' | 'tolerance'>): string {
  if (c.rule === 'class') return `class ${String(c.prediction)}`;
  const p = c.prediction as number;
  if (c.rule === 'atMost') return `≤ ${fmt(p)} (+${fmt(c.tolerance)})`;
  if (c.rule === 'atLeast') return `≥ ${fmt(p)} (−${fmt(c.tolerance)})`;
  return `${fmt(p)} ± ${fmt(c.tolerance)}`;
}

/** `−0.404 [−0.416, −0.389]` or `–`. */
export function estimateText(c: Pick<ClaimResult, 'estimate' | 'ci'>): string {
  if (c.estimate === null) return '–';
  return c.ci ? `${fmt(c.estimate)} [${fmt(c.ci[0])}, ${fmt(c.ci[1])}]` : fmt(c.estimate);
}

/** What is measured: `exponent of fTrainSup`, `mean of rateRatio@… at 4096`, or a statistic's name. */
export function quantityText(c: Pick<ClaimResult, 'quantity' | 'at'>, isFit = true): string {
  if (c.at !== undefined) return `mean of ${c.quantity} at ${c.at}`;
  return isFit ? `exponent of ${c.quantity}` : c.quantity;
}

export function claimCounts(claims: readonly ClaimResult[]): Record<ClaimStatus, number> {
  const n: Record<ClaimStatus, number> = { pass: 0, fail: 0, inconclusive: 0 };
  for (const c of claims) n[c.status]++;
  return n;
}

/** `3 pass, 1 fail, 2 inconclusive`. */
export function countsText(claims: readonly ClaimResult[]): string {
  const n = claimCounts(claims);
  return `${n.pass} pass, ${n.fail} fail, ${n.inconclusive} inconclusive`;
}

/** Terminal lines: the counts, then every failed or inconclusive claim with its reason. */
export function claimsText(r: AnyResults): string {
  const claims = r.claims ?? [];
  if (claims.length === 0) return 'claims: none\n';
  const lines = [`claims: ${countsText(claims)}`];
  for (const c of claims) {
    if (c.status === 'pass') continue;
    const label = c.status === 'fail' ? 'FAIL' : 'INCONCLUSIVE';
    lines.push(`  ${label} ${c.id}: ${c.quantity}${c.at !== undefined ? ` at ${c.at}` : ''} = ${estimateText(c)}, predicted ${predictionText(c)} — ${c.reason}`);
  }
  if (r.quick) lines.push('  (quick run: too few seeds and widths to decide; the full run decides)');
  return lines.join('\n') + '\n';
}

/** True when any claim failed (for `--strict`). */
export function anyFailed(r: AnyResults): boolean {
  return (r.claims ?? []).some((c) => c.status === 'fail');
}
