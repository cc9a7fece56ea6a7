/**
 * `widelimit compare` follows the same rule as train, limit and kernel (src/run/status.ts): an ok
 * results.json holds no non-finite number that the run computed. A compare result also has slots
 * that are empty by construction, written as null, which are not numerical failures and are left
 * out of the check:
 * - a fit whose own status is not ok (its message says why: too few widths or valid values), and
 *   the confidence interval of a fit without bootstrap (one seed: `nBoot` 0);
 * - the seed variance of a width with fewer than two seeds (and its per-cell term);
 * - cells whose status is not ok (they are counted in `failed`, which already sets the status);
 * - the claims, which restate the fits.
 * Everything else — the reference curves, the metrics of ok cells, the per-width metrics, the
 * means and exponents of ok fits — turns an ok status into `diverged` / `nan` naming the field.
 */
import { writeJsonAtomic } from '../core/atomic.js';
import { paths } from '../harness/folder.js';
import type { CompareResults } from '../harness/types.js';
import { statusOfValues } from '../run/status.js';

function omit(o: Record<string, number>, keys: string[]): Record<string, number> {
  return Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
}

/** The values of `r` a numerical failure would show in, keyed by their paths in results.json. */
function computedValues(r: CompareResults): Record<string, unknown> {
  const v: Record<string, unknown> = { reference: r.reference };
  const oneSeed = r.seeds.length < 2 ? ['seedVarianceTerm'] : [];
  r.cells.forEach((c, i) => {
    if (c.status === 'ok') v[`cells[${i}]`] = { metrics: omit(c.metrics, oneSeed) };
  });
  r.widthMetrics.forEach((w, i) => {
    v[`widthMetrics[${i}]`] = { metrics: omit(w.metrics, w.nSeeds < 2 ? ['seedVariance'] : []) };
  });
  r.fits.forEach((f, i) => {
    if (f.status !== 'ok') return;
    const { exponent, intercept, r2, means, ci } = f;
    v[`fits[${i}]`] = { exponent, intercept, r2, means, ...(f.nBoot > 0 ? { ci } : {}) };
  });
  return v;
}

/**
 * `r` itself when its status is not ok or its computed values are finite; else `r` with status
 * `diverged` / `nan` and a message naming the first non-finite field, also written to
 * `DIR/results.json` (so the report and a later `widelimit report DIR` show it).
 */
export function compareStatus(r: CompareResults, out: string): CompareResults {
  if (r.status !== 'ok') return r;
  const checked = statusOfValues({ status: r.status, message: r.message, ...computedValues(r) });
  if (checked.status === 'ok') return r;
  const marked: CompareResults = { ...r, status: checked.status, message: checked.message ?? '' };
  writeJsonAtomic(paths.results(out), marked);
  return marked;
}
