/**
 * The decision rule of a claim, on its confidence interval (equivalence testing;
 * theory/harness.md#decision-rule):
 * - `equal`: pass iff the whole CI lies inside prediction ± tolerance; fail iff it lies wholly
 *   outside; inconclusive otherwise;
 * - `atMost` / `atLeast`: the same against the one bound prediction + tolerance (resp. − tolerance);
 * - `class`: the band is the predicted class's interval [min, max];
 * - fewer than {@link MIN_SEEDS} seeds, or no interval: inconclusive, whatever the interval says.
 * The point estimate never decides.
 */
import { type Claim, type ClaimClass, type ClaimStatus, MIN_SEEDS } from './claims.js';

export interface Decision {
  status: ClaimStatus;
  reason: string;
  measuredClass?: string | null;
}

/** What a rule needs: a claim without its words. */
export type ClaimRuleOf = Pick<Claim, 'rule' | 'prediction' | 'tolerance' | 'classes'>;

function g(x: number): string {
  const t = Number.isFinite(x) ? Number(x.toPrecision(3)).toString() : x > 0 ? '∞' : '−∞';
  return t.replace(/-/g, '−');
}

/** The band a claim's interval must lie in: [lo, hi] (infinite on the open side of a bound). */
export function claimBand(c: ClaimRuleOf): [number, number] {
  switch (c.rule) {
    case 'equal': {
      const p = c.prediction as number;
      return [p - c.tolerance, p + c.tolerance];
    }
    case 'atMost':
      return [-Infinity, (c.prediction as number) + c.tolerance];
    case 'atLeast':
      return [(c.prediction as number) - c.tolerance, Infinity];
    case 'class': {
      const k = (c.classes ?? []).find((x) => x.name === c.prediction);
      if (!k) throw new RangeError(`class claim predicts ${String(c.prediction)}, which is not among its classes`);
      return [k.min ?? -Infinity, k.max ?? Infinity];
    }
    default: {
      const never: never = c.rule;
      throw new RangeError(`unknown rule ${String(never)}`);
    }
  }
}

/** The class whose interval holds the whole CI, or null (CI straddles a boundary). */
export function classOf(classes: readonly ClaimClass[], ci: readonly [number, number]): string | null {
  const k = classes.find((x) => ci[0] >= (x.min ?? -Infinity) && ci[1] <= (x.max ?? Infinity));
  return k ? k.name : null;
}

function bandText(c: ClaimRuleOf, band: [number, number]): string {
  if (c.rule === 'class') return `class ${String(c.prediction)} [${g(band[0])}, ${g(band[1])}]`;
  if (c.rule === 'atMost') return `≤ ${g(band[1])}`;
  if (c.rule === 'atLeast') return `≥ ${g(band[0])}`;
  return `[${g(band[0])}, ${g(band[1])}]`;
}

/**
 * Decide a claim from its interval `ci` over `seeds` independent seeds. An exact value (a
 * deterministic quantity) comes with ci = [x, x] and still needs the seeds it was measured on.
 */
export function decideClaim(c: ClaimRuleOf, ci: readonly [number, number] | null, seeds: number): Decision {
  const band = claimBand(c);
  const measured = c.rule === 'class' && ci && Number.isFinite(ci[0]) && Number.isFinite(ci[1]) ? { measuredClass: classOf(c.classes ?? [], ci) } : {};
  if (!ci || !Number.isFinite(ci[0]) || !Number.isFinite(ci[1])) return { status: 'inconclusive', reason: 'no confidence interval (not measured, or the fit failed)' };
  const [lo, hi] = ci;
  const inside = lo >= band[0] && hi <= band[1];
  const outside = hi < band[0] || lo > band[1];
  const where = `CI [${g(lo)}, ${g(hi)}] ${inside ? 'inside' : outside ? 'outside' : 'straddles'} ${bandText(c, band)}`;
  if (seeds < MIN_SEEDS) return { status: 'inconclusive', reason: `${seeds} seed${seeds === 1 ? '' : 's'} (fewer than ${MIN_SEEDS}); ${where}`, ...measured };
  if (inside) return { status: 'pass', reason: where, ...measured };
  if (outside) return { status: 'fail', reason: where, ...measured };
  return { status: 'inconclusive', reason: `${where}: more seeds or widths needed to decide`, ...measured };
}

/**
 * Why an interval cannot be used with its estimate (theory/harness.md#interval-defects), or null:
 * - no finite point estimate: the statistic is undefined on the full sample, so an interval made of
 *   the resamples where it happens to be defined describes a different quantity;
 * - the estimate outside its own interval: the resampling distribution is shifted away from the
 *   statistic (e.g. the bootstrap of a maximum of absolute deviations, biased upward), so it is not
 *   a confidence interval for it.
 */
export function intervalDefect(estimate: number, ci: readonly [number, number] | null): string | null {
  if (!ci) return null;
  if (!Number.isFinite(estimate)) return 'no point estimate on the full sample (the statistic is undefined there), so the interval from the resamples where it is defined is not used';
  const slack = 1e-12 * Math.max(Math.abs(ci[0]), Math.abs(ci[1]), 1);
  if (estimate < ci[0] - slack || estimate > ci[1] + slack) return `the estimate ${g(estimate)} lies outside its own interval [${g(ci[0])}, ${g(ci[1])}]: the resampling is biased for this statistic, so the interval is not used`;
  return null;
}
