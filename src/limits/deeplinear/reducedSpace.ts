/**
 * The reduced representation of a finite deep linear network (theory/finite-width-deeplinear.md#reduced):
 * every N-vector of hidden layer l is a linear combination of the layer's *fresh* vectors
 * z_1 … z_K (revealed one at a time by the dynamics), stored as its K coefficients; all inner
 * products ⟨a, b⟩ = a·b/N follow from the Gram matrix Z_ij = ⟨z_i, z_j⟩. `RevealedMatrix` answers the
 * products M v and Mᵀ u of one initial hidden matrix M = W^l(0)/√N exactly by sequential conditioning
 * on the products already formed (theory/finite-width-deeplinear.md#conditioning).
 */

/** Where a fresh vector comes from (what a source needs to produce it for a given network). */
export type FreshOrigin =
  | { kind: 'input'; j: number }
  | { kind: 'readout' }
  | { kind: 'right'; matrix: number; a: Float64Array }
  | { kind: 'left'; matrix: number; b: Float64Array };

/**
 * Supplies the Gram row of each new fresh vector: `next(layer, index, origin)` returns
 * ⟨z_index, z_k⟩ for k = 0..index of that layer (length index + 1).
 */
export interface GramSource {
  next(layer: number, index: number, origin: FreshOrigin): Float64Array;
}

/** One layer's fresh vectors: capacity K, count n, Gram Z (K×K, filled as vectors arrive). */
export class LayerSpace {
  n = 0;
  readonly Z: Float64Array;
  constructor(readonly K: number, readonly layer: number, private readonly source: GramSource) {
    this.Z = new Float64Array(K * K);
  }

  zero(): Float64Array {
    return new Float64Array(this.K);
  }

  /** Reveal the next fresh vector; returns its coefficient vector (a unit basis vector). */
  fresh(origin: FreshOrigin): Float64Array {
    const i = this.n;
    if (i >= this.K) throw new RangeError(`LayerSpace ${this.layer}: capacity ${this.K} exceeded`);
    const row = this.source.next(this.layer, i, origin);
    for (let k = 0; k <= i; k++) {
      this.Z[i * this.K + k] = row[k];
      this.Z[k * this.K + i] = row[k];
    }
    this.n++;
    const e = this.zero();
    e[i] = 1;
    return e;
  }

  dot(a: Float64Array, b: Float64Array): number {
    const n = this.n;
    const K = this.K;
    let s = 0;
    for (let i = 0; i < n; i++) {
      const ai = a[i];
      if (ai === 0) continue;
      let r = 0;
      const off = i * K;
      for (let j = 0; j < n; j++) r += this.Z[off + j] * b[j];
      s += ai * r;
    }
    return s;
  }
}

/** y += α x. */
export function axpy(y: Float64Array, alpha: number, x: Float64Array): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i];
}

/**
 * M = W^l(0)/√N from layer space `inS` to `outS`, revealed through its products. It keeps
 * orthonormal bases a_1… of the right queries (in `inS`) with Y_k = M a_k, and b_1… of the left
 * queries (in `outS`) with X_k = Mᵀ b_k. A new right query v = Σ c_k a_k + s a (a ⊥ all a_k, unit)
 * has M v = Σ c_k Y_k + s M a, and M a = P_B M a + P_B⊥ M a = Σ_k b_k ⟨X_k, a⟩ + P_B⊥ z with the
 * fresh vector z = M a (theory/finite-width-deeplinear.md#conditioning). Left queries likewise with
 * the roles of the two sides exchanged. Orthonormal bases (Gram–Schmidt with one
 * re-orthogonalisation) keep it accurate although the new part s of a query is often tiny (∝ (ηγ0)^t).
 */
export class RevealedMatrix {
  private readonly a: Float64Array[] = [];
  private readonly Y: Float64Array[] = [];
  private readonly b: Float64Array[] = [];
  private readonly X: Float64Array[] = [];
  constructor(readonly index: number, private readonly inS: LayerSpace, private readonly outS: LayerSpace) {}

  /** M v for v in the input space. */
  right(v: Float64Array): Float64Array {
    return product(v, this.inS, this.outS, this.a, this.Y, this.b, this.X, (a) => ({ kind: 'right', matrix: this.index, a }));
  }

  /** Mᵀ u for u in the output space. */
  left(u: Float64Array): Float64Array {
    return product(u, this.outS, this.inS, this.b, this.X, this.a, this.Y, (b) => ({ kind: 'left', matrix: this.index, b }));
  }
}

/**
 * The product of the matrix (or its transpose) with v from space `from` to space `to`: Q is the
 * orthonormal basis of the earlier queries of this side (in `from`) with answers A (in `to`), R the
 * orthonormal basis of the other side's queries (in `to`) with answers B (in `from`).
 */
function product(v: Float64Array, from: LayerSpace, to: LayerSpace, Q: Float64Array[], A: Float64Array[],
  R: Float64Array[], B: Float64Array[], origin: (a: Float64Array) => FreshOrigin): Float64Array {
  const c = new Float64Array(Q.length);
  const res = v.slice();
  for (let pass = 0; pass < 2; pass++) {
    for (let k = 0; k < Q.length; k++) {
      const ck = from.dot(Q[k], res);
      c[k] += ck;
      axpy(res, -ck, Q[k]);
    }
  }
  const s = Math.sqrt(from.dot(res, res));
  const unit = res.map((x) => x / s);
  const z = to.fresh(origin(unit));
  // M a = Σ_k R_k (⟨B_k, a⟩ − ⟨R_k, z⟩) + z
  const Ma = z.slice();
  for (let k = 0; k < R.length; k++) axpy(Ma, from.dot(B[k], unit) - to.dot(R[k], z), R[k]);
  const out = new Float64Array(to.K);
  for (let k = 0; k < Q.length; k++) axpy(out, c[k], A[k]);
  axpy(out, s, Ma);
  Q.push(unit);
  A.push(Ma);
  return out;
}
