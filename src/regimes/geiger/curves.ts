/**
 * Small helpers on recorded curves (times increasing, values at those times): log-spaced record
 * times, the first time a decreasing curve falls to a level, and spreads of log-values.
 */

/**
 * Record times t_k = tLo · 10^{k/perDecade} below tMax, then tMax itself (all > 0, increasing).
 */
export function logTimes(tLo: number, tMax: number, perDecade: number): number[] {
  if (!(tLo > 0) || !(tMax > tLo) || !(perDecade > 0)) throw new RangeError(`logTimes: need 0 < tLo < tMax and perDecade > 0, got ${tLo}, ${tMax}, ${perDecade}`);
  const out: number[] = [];
  for (let k = 0; ; k++) {
    const t = tLo * Math.pow(10, k / perDecade);
    if (t >= tMax * (1 - 1e-12)) break;
    out.push(t);
  }
  out.push(tMax);
  return out;
}

/**
 * First time at which `values` (recorded at `times`) is ≤ `level`: the first record i with
 * values[i] ≤ level, refined by linear interpolation of log(value) against log(time) between
 * records i−1 and i (linear in time when times[i−1] = 0). NaN when the level is never reached;
 * times[0] when values[0] ≤ level already.
 */
export function firstTimeBelow(times: readonly number[], values: readonly number[], level: number): number {
  for (let i = 0; i < values.length; i++) {
    if (!(values[i] <= level)) continue;
    if (i === 0) return times[0];
    const t0 = times[i - 1], t1 = times[i], v0 = values[i - 1], v1 = values[i];
    if (!(v0 > 0 && v1 > 0 && level > 0) || v0 === v1) return t1;
    const w = (Math.log(v0) - Math.log(level)) / (Math.log(v0) - Math.log(v1));
    if (t0 > 0) return Math.exp(Math.log(t0) + w * (Math.log(t1) - Math.log(t0)));
    return t0 + w * (t1 - t0);
  }
  return NaN;
}

/** Unbiased sample standard deviation of the natural logs of the finite positive entries (NaN if < 2). */
export function logStd(values: readonly number[]): number {
  const l = values.filter((v) => Number.isFinite(v) && v > 0).map(Math.log);
  if (l.length < 2) return NaN;
  const m = l.reduce((a, b) => a + b, 0) / l.length;
  return Math.sqrt(l.reduce((a, b) => a + (b - m) * (b - m), 0) / (l.length - 1));
}
