/**
 * Differences between activations (Hajjar, Chizat, Giraud 2021, arXiv 2110.15596, abstract: the
 * image-classification experiments show strong differences between activation functions;
 * theory/ip.md#activations-trained). From the per-cell test accuracies of kind `ip-sweep`
 * (`testAccuracy.<variant>.<activation>.w<weightLayers>`), per (width, seed) — the activations of
 * one seed share the data, the SGD batches and the init stream, so the comparison is paired:
 *
 *   testAccuracySpread.<variant>.w<wl>        max − min over the activations whose run finished
 *                                              (NaN when fewer than two finished);
 *   testAccuracyDiff.<variant>.<a>_minus_<b>.w<wl>  accuracy(a) − accuracy(b) (NaN if either diverged);
 *   finished.<variant>.<activation>.w<wl>     1 if the run finished its k steps, 0 if it diverged.
 *
 * A diverged run has no test accuracy; leaving it out of the spread makes the spread a lower bound
 * of the spread with it counted at any accuracy in [0, 1] below the survivors' minimum.
 */
import type { LongRecord } from '../../harness/types.js';

export interface ContrastRequest {
  /** Variant names (metric infix). */
  variants: string[];
  /** Activation names as they appear in metric names (sweepMetric's dot-free form). */
  activations: string[];
  weightLayers: number[];
  /** Pairs [a, b]: record accuracy(a) − accuracy(b). */
  pairs: [string, string][];
}

function key(width: number, seed: number | null): string {
  return `${width}/${seed ?? '-'}`;
}

/** The contrast records of `req` computed from the sweep's `records` (which are not changed). */
export function activationContrasts(records: readonly LongRecord[], req: ContrastRequest): LongRecord[] {
  const acc = new Map<string, number>();
  const cells = new Map<string, { width: number; seed: number | null }>();
  for (const r of records) {
    if (!r.metric.startsWith('testAccuracy.')) continue;
    acc.set(`${r.metric}@${key(r.width, r.seed)}`, r.value);
    cells.set(key(r.width, r.seed), { width: r.width, seed: r.seed });
  }
  const order = [...cells.values()].sort((a, b) => a.width - b.width || (a.seed ?? -1) - (b.seed ?? -1));
  const out: LongRecord[] = [];
  for (const v of req.variants) {
    for (const wl of req.weightLayers) {
      for (const { width, seed } of order) {
        const get = (act: string) => acc.get(`testAccuracy.${v}.${act}.w${wl}@${key(width, seed)}`);
        const vals = req.activations.map(get);
        if (vals.every((x) => x === undefined)) continue;
        const ok = vals.filter((x): x is number => x !== undefined && Number.isFinite(x));
        for (let i = 0; i < req.activations.length; i++) {
          const x = vals[i];
          out.push({ width, seed, metric: `finished.${v}.${req.activations[i]}.w${wl}`, value: x !== undefined && Number.isFinite(x) ? 1 : 0 });
        }
        out.push({ width, seed, metric: `testAccuracySpread.${v}.w${wl}`, value: ok.length >= 2 ? Math.max(...ok) - Math.min(...ok) : NaN });
        for (const [a, b] of req.pairs) {
          const xa = get(a), xb = get(b);
          const d = xa !== undefined && xb !== undefined && Number.isFinite(xa) && Number.isFinite(xb) ? xa - xb : NaN;
          out.push({ width, seed, metric: `testAccuracyDiff.${v}.${a}_minus_${b}.w${wl}`, value: d });
        }
      }
    }
  }
  return out;
}
