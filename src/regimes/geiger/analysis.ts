/**
 * The α-scan's derived quantities, as pure functions of the runs (theory/geiger.md#rules):
 * the crossover α*, the seed variance of the learned function, and the collapse of loss curves
 * against t/(√h α) (Geiger, Spigler, Jacot, Wyart 2020, arXiv 1906.08034, §3–§5).
 */
import { firstTimeBelow, logStd } from './curves.js';

/**
 * α* of one kernel-motion curve: where `motion(α)` crosses `level`, approached from the lazy
 * side. `alphas` ascending with `motion` at each; scanning down from the largest α, the first
 * adjacent pair with motion(α_{i}) ≤ level < motion(α_{i−1}) is interpolated linearly in
 * (log α, log motion). NaN when the largest α is already above the level or no pair crosses.
 * Non-finite motions break the curve (no crossing across them).
 */
export function crossingAlpha(alphas: readonly number[], motion: readonly number[], level: number): number {
  const n = alphas.length;
  if (n < 2 || !(motion[n - 1] <= level)) return NaN;
  for (let i = n - 1; i >= 1; i--) {
    const hi = motion[i], lo = motion[i - 1];
    if (!(hi > 0) || !(lo > 0) || !Number.isFinite(lo)) return NaN;
    if (hi <= level && lo > level) {
      const w = (Math.log(lo) - Math.log(level)) / (Math.log(lo) - Math.log(hi));
      return Math.exp(Math.log(alphas[i - 1]) + w * (Math.log(alphas[i]) - Math.log(alphas[i - 1])));
    }
  }
  return NaN;
}

/**
 * Variance over seeds of the learned function at fixed test inputs (theory/harness.md#metrics, Geiger et al.
 * §5): `f[s][x]` is seed s's f̃_T(x); returns the mean over x of the unbiased variance over s,
 * and per-seed terms whose mean over seeds equals it (term_s = S/(S−1) · mean_x (f_s(x) − f̄(x))²),
 * so that the harness can bootstrap over seeds. NaN with fewer than 2 seeds.
 */
export function seedVariance(f: readonly (readonly number[])[]): { variance: number; terms: number[] } {
  const S = f.length;
  if (S < 2) return { variance: NaN, terms: [] };
  const nx = f[0].length;
  const mean = new Float64Array(nx);
  for (const row of f) {
    if (row.length !== nx) throw new RangeError(`seedVariance: seeds have ${nx} and ${row.length} test outputs`);
    for (let x = 0; x < nx; x++) mean[x] += row[x] / S;
  }
  const terms = f.map((row) => {
    let q = 0;
    for (let x = 0; x < nx; x++) q += (row[x] - mean[x]) ** 2;
    return (q / nx) * (S / (S - 1));
  });
  return { variance: terms.reduce((a, b) => a + b, 0) / S, terms };
}

/** One loss curve L(t)/L(0) of the collapse test, with its √hα. */
export interface CollapseCurve {
  sqrtHAlpha: number;
  times: readonly number[];
  lossRatio: readonly number[];
}

export interface Collapse {
  /** Mean over levels of the std over curves of ln t_ρ (raw flow time). */
  rawSpread: number;
  /** The same for ln(t_ρ/√hα). */
  scaledSpread: number;
  /** scaledSpread / rawSpread: 0 = perfect collapse, 1 = rescaling does not help. */
  ratio: number;
  /** Levels used (those every curve reached). */
  levels: number[];
}

/**
 * Collapse of loss curves against t/(√h α) (Geiger et al. §4): for each level ρ, t_ρ is the first
 * time L(t)/L(0) ≤ ρ (curves.ts); curves that collapse have t_ρ ∝ √hα, so the spread over curves of
 * ln(t_ρ/√hα) is small next to the spread of ln t_ρ. Levels not reached by every curve are skipped.
 */
export function collapseMeasure(curves: readonly CollapseCurve[], levels: readonly number[] = [0.9, 0.5, 0.1, 0.01]): Collapse {
  const raw: number[] = [];
  const scaled: number[] = [];
  const used: number[] = [];
  for (const rho of levels) {
    const t = curves.map((c) => firstTimeBelow(c.times, c.lossRatio, rho));
    if (t.some((v) => !(v > 0))) continue;
    raw.push(logStd(t));
    scaled.push(logStd(t.map((v, i) => v / curves[i].sqrtHAlpha)));
    used.push(rho);
  }
  const mean = (a: number[]) => (a.length ? a.reduce((x, y) => x + y, 0) / a.length : NaN);
  const rawSpread = mean(raw), scaledSpread = mean(scaled);
  return { rawSpread, scaledSpread, ratio: scaledSpread / rawSpread, levels: used };
}
