/**
 * Where the joint solver (joint.ts; theory/deeplinear.md#joint-solver) keeps the coefficients of
 * each independent Gaussian source: the columns of u^1 (P), of U_l (n = P·Tc each), of R_l (Tc
 * each) and of w_0 (one), and the memory that takes.
 */

/** Column layout of the sources. */
export interface Layout {
  readonly P: number;
  readonly Tc: number;
  readonly n: number;
  readonly B: number;
  /** Offset of U_l (l = 1..B, index l−1): n columns each. */
  readonly uOff: number[];
  /** Offset of R_l: Tc columns each. */
  readonly rOff: number[];
  readonly wOff: number;
  readonly ns: number;
}

export function layout(P: number, Tc: number, B: number): Layout {
  const n = P * Tc;
  const uOff: number[] = [];
  const rOff: number[] = [];
  let o = P;
  for (let l = 0; l < B; l++) { uOff.push(o); o += n; }
  for (let l = 0; l < B; l++) { rOff.push(o); o += Tc; }
  return { P, Tc, n, B, uOff, rOff, wOff: o, ns: o + 1 };
}

/** Memory the joint solver needs, in doubles. */
export function jointStorage(P: number, steps: number, blocks: number): number {
  const Tc = steps + 1;
  const n = P * Tc;
  const lay = layout(P, Tc, blocks);
  return (blocks + 1) * ((n + Tc) * lay.ns + n * n + Tc * Tc);
}

