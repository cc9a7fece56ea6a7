/**
 * Wall-clock timing for the benchmark: warm-up runs, then the best of a few repetitions.
 *
 * The best (minimum) time is reported because the machine is shared: noise only ever adds time.
 */

/**
 * How a workload is timed: `warmup` untimed runs, then the best of `reps` timed runs. When
 * `longSeconds` is set, the first run is timed: if it took at least that long the workload counts
 * as long and that one run is the result; otherwise it was the warm-up and `reps` timed runs follow.
 */
export interface TimingPlan {
  readonly warmup: number;
  readonly reps: number;
  readonly longSeconds?: number;
}

export interface Timing {
  /** Best (minimum) seconds over the timed repetitions. */
  readonly best: number;
  /** Every timed repetition, seconds. */
  readonly all: readonly number[];
  readonly warmup: number;
  readonly reps: number;
  /** Adaptive plans: the time of the first (cold, warm-up) run. */
  readonly first?: number;
}

/** 1 warm-up, best of 3. */
export const SHORT: TimingPlan = { warmup: 1, reps: 3 };
/** One run. */
export const LONG: TimingPlan = { warmup: 0, reps: 1 };
/** One run if it takes ≥ 20 s, else that run as warm-up and the best of 3. */
export const ADAPTIVE: TimingPlan = { warmup: 1, reps: 3, longSeconds: 20 };

/** Seconds since an arbitrary origin (monotonic). */
export function now(): number {
  return performance.now() / 1000;
}

/** Time `fn` by `plan`. `fn` may be async. */
export async function measure(plan: TimingPlan, fn: () => unknown | Promise<unknown>): Promise<Timing> {
  if (plan.longSeconds !== undefined) {
    const t0 = now();
    await fn();
    const t = now() - t0;
    if (t >= plan.longSeconds) return { best: t, all: [t], warmup: 0, reps: 1 };
    for (let i = 1; i < plan.warmup; i++) await fn();
    const timed = await measure({ warmup: 0, reps: plan.reps }, fn);
    return { ...timed, warmup: Math.max(1, plan.warmup), first: t };
  }
  for (let i = 0; i < plan.warmup; i++) await fn();
  const all: number[] = [];
  for (let i = 0; i < plan.reps; i++) {
    const t0 = now();
    await fn();
    all.push(now() - t0);
  }
  return { best: Math.min(...all), all, warmup: plan.warmup, reps: plan.reps };
}

/** "1 warm-up + best of 3" / "1 run". */
export function describePlan(t: { warmup: number; reps: number }): string {
  if (t.reps === 1 && t.warmup === 0) return '1 run';
  return `${t.warmup} warm-up + best of ${t.reps}`;
}
