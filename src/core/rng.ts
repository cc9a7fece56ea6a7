/**
 * Seeded random streams (the only source of randomness in widelimit).
 *
 * A {@link Rng} wraps seedrandom's `alea` generator, seeded by a string. Independent streams are
 * derived by name with {@link Rng.child} (`rng.child('layer/1')`): the child's seed is the parent's
 * seed and the name, so a stream does not depend on how much of any other stream was consumed.
 * This is what makes results independent of execution order and of the number of workers.
 */
import seedrandom from 'seedrandom';

export class Rng {
  readonly seed: string;
  private readonly gen: () => number;
  private spare = NaN;

  constructor(seed: string | number) {
    this.seed = String(seed);
    this.gen = seedrandom.alea(this.seed);
  }

  /** An independent stream named `name` (deterministic in the parent's seed and the name). */
  child(name: string | number): Rng {
    return new Rng(`${this.seed}/${name}`);
  }

  /** Uniform on [0, 1). */
  uniform(): number {
    return this.gen();
  }

  /** Uniform integer in [0, n). */
  int(n: number): number {
    return Math.floor(this.gen() * n);
  }

  /** Standard normal (Marsaglia polar method, pairs cached). */
  normal(): number {
    if (!Number.isNaN(this.spare)) {
      const s = this.spare;
      this.spare = NaN;
      return s;
    }
    let u: number, v: number, s: number;
    do {
      u = 2 * this.gen() - 1;
      v = 2 * this.gen() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    return u * f;
  }

  /** Fill `out` with N(mean, std²) samples. */
  fillNormal(out: Float64Array, std = 1, mean = 0): Float64Array {
    for (let i = 0; i < out.length; i++) out[i] = mean + std * this.normal();
    return out;
  }

  /** A uniformly random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]; p[i] = p[j]; p[j] = t;
    }
    return p;
  }

  /** Random ±1. */
  sign(): number {
    return this.gen() < 0.5 ? -1 : 1;
  }
}
