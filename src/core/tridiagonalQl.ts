/**
 * Implicit QL iteration for symmetric tridiagonal matrices (EISPACK tql2, Bowdler, Martin, Reinsch
 * & Wilkinson 1968, via JAMA), with optional "perfect" shifts from known eigenvalues and batched
 * application of the plane rotations to the rows of a matrix (theory/numerics.md#eigh).
 */

const EPS = 2.220446049250313e-16;
/** Deflation slack after a perfect-shift sweep (see implicitQl). */
const PERFECT_SLACK = 10;
/** QL iterations allowed per eigenvalue before giving up (tql2 converges in 1–3 on average). */
export const MAX_ITER = 60;
/** Rotations buffered before they are applied to the eigenvector rows (16 k × 16 B = 256 kB). */
const ROT_CAPACITY = 16384;

/**
 * Implicit QL on the tridiagonal (d, e) in place (e[i] couples i, i+1; e[n−1] = 0 on entry),
 * after tql2 (EISPACK / JAMA). On return d holds the (unsorted) eigenvalues. When `z` (nz×n
 * row-major, nz = z.length / n) is given, every plane rotation G acting on coordinates (i, i+1) is
 * applied on the right, Z ← Z G: column j of Z becomes the eigenvector for d[j] when Z was Q.
 *
 * `known` (optional, ascending): the eigenvalues of this T from a previous values-only run. The
 * first sweep for each eigenvalue then uses the known eigenvalue nearest the Wilkinson estimate as
 * a "perfect" shift, which in exact arithmetic deflates it in one sweep (theory/numerics.md#eigh);
 * later sweeps fall back to the Wilkinson shift. This halves the rotations to apply to Z.
 * Returns false when some eigenvalue needs more than MAX_ITER sweeps.
 */
export function implicitQl(
  d: Float64Array, e: Float64Array, z: Float64Array | null, n: number, known: Float64Array | null = null,
): boolean {
  if (n === 0) return true;
  const rot = z === null ? null : new RotationBuffer(z, n);
  const pool = known === null ? null : new ShiftPool(known);
  let f = 0;
  let tst1 = 0;
  let ok = true;
  for (let l = 0; l < n; l++) {
    tst1 = Math.max(tst1, Math.abs(d[l]) + Math.abs(e[l]));
    let m = l;
    while (m < n - 1 && Math.abs(e[m]) > EPS * tst1) m++;
    if (m > l) {
      let iter = 0;
      do {
        if (++iter > MAX_ITER) { ok = false; break; }
        // Wilkinson-type shift: the eigenvalue of the leading 2×2 block nearer d[l].
        let g = d[l];
        let p = (d[l + 1] - g) / (2 * e[l]);
        let r = hypot(p, 1);
        if (p < 0) r = -r;
        const perfect = pool !== null && iter === 1;
        let dl1 = 0;
        let h: number;
        if (perfect) {
          h = pool.nearest(f + g - e[l] / (p + r)) - f;
          for (let i = l; i < n; i++) d[i] -= h;
        } else {
          d[l] = e[l] / (p + r);
          d[l + 1] = e[l] * (p + r);
          dl1 = d[l + 1];
          h = g - d[l];
          for (let i = l + 2; i < n; i++) d[i] -= h;
        }
        f += h;
        p = d[m];
        let c = 1, c2 = 1, c3 = 1;
        const el1 = e[l + 1];
        let s = 0, s2 = 0;
        const base = rot === null ? 0 : rot.beginSweep(l, m);
        for (let i = m - 1; i >= l; i--) {
          c3 = c2;
          c2 = c;
          s2 = s;
          g = c * e[i];
          h = c * p;
          r = hypot(p, e[i]);
          e[i + 1] = s * r;
          s = e[i] / r;
          c = p / r;
          p = c * d[i] - s * g;
          d[i + 1] = h + s * (c * g + s * d[i]);
          if (rot !== null) rot.set(base, m - 1 - i, c, s);
        }
        // With the Wilkinson shift the shifted leading 2×2 is singular (d_l d_{l+1} = e_l²), which
        // gives tql2's more accurate closing formula; with any other shift use the plain one.
        if (!perfect) p = (-s * s2 * c3 * el1 * e[l]) / dl1;
        e[l] = s * p;
        d[l] = c * p;
        // A perfect shift is only known to ~ε‖T‖, so it leaves |e_l| at a few ε‖T‖: accept up to
        // PERFECT_SLACK·ε‖T‖ there (backward error still O(ε‖T‖)) instead of paying another sweep.
        if (perfect && Math.abs(e[l]) <= PERFECT_SLACK * EPS * tst1) e[l] = 0;
      } while (Math.abs(e[l]) > EPS * tst1);
    }
    d[l] += f;
    e[l] = 0;
    if (pool !== null) pool.take(d[l]);
  }
  if (rot !== null) rot.flush();
  return ok;
}

/** Known eigenvalues (ascending) not yet deflated; nearest-value queries. */
class ShiftPool {
  private readonly values: Float64Array;
  private readonly used: Uint8Array;

  constructor(values: Float64Array) {
    this.values = values;
    this.used = new Uint8Array(values.length);
  }

  /** Index of the unused value nearest x (−1 if none). */
  private find(x: number): number {
    const v = this.values;
    let lo = 0, hi = v.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (v[mid] < x) lo = mid + 1;
      else hi = mid;
    }
    let a = lo - 1, b = lo;
    while (a >= 0 && this.used[a]) a--;
    while (b < v.length && this.used[b]) b++;
    if (a < 0) return b < v.length ? b : -1;
    if (b >= v.length) return a;
    return x - v[a] <= v[b] - x ? a : b;
  }

  nearest(x: number): number {
    const i = this.find(x);
    return i < 0 ? x : this.values[i];
  }

  take(x: number): void {
    const i = this.find(x);
    if (i >= 0) this.used[i] = 1;
  }
}

/** √(a² + b²) without overflow or underflow. */
export function hypot(a: number, b: number): number {
  const x = Math.abs(a), y = Math.abs(b);
  if (x > y) { const t = y / x; return x * Math.sqrt(1 + t * t); }
  if (y === 0) return 0;
  const t = x / y;
  return y * Math.sqrt(1 + t * t);
}

/**
 * x·2^k, exact unless the result under- or overflows, for any k with |k| ≤ 2098 (2^k alone
 * overflows for k ≥ 1024 and is 0 for k < −1074, so large |k| is applied in two steps).
 */
export function timesPow2(x: number, k: number): number {
  if (k >= -1022 && k <= 1023) return x * 2 ** k;
  const h = Math.trunc(k / 2);
  return x * 2 ** h * 2 ** (k - h);
}

/**
 * Plane rotations recorded sweep by sweep, applied to the rows of Z in batches. A sweep over
 * (l, m) consists of rotations i = m−1 down to l; on a row z, rotation i maps
 * (z_i, z_{i+1}) ← (c z_i − s z_{i+1}, s z_i + c z_{i+1}). Along a row the sweep is a recurrence
 * carrying the running value of z_{i+1}, so four rows are processed together.
 */
class RotationBuffer {
  private readonly z: Float64Array;
  private readonly n: number;
  private readonly nz: number;
  private cs = new Float64Array(2 * ROT_CAPACITY);
  private used = 0;
  private sweeps: number[] = []; // triples (l, m, offset into cs in rotations)

  constructor(z: Float64Array, n: number) {
    this.z = z;
    this.n = n;
    this.nz = z.length / n;
  }

  /** Reserve room for the m − l rotations of a sweep; returns the offset to pass to {@link set}. */
  beginSweep(l: number, m: number): number {
    const len = m - l;
    if (this.used + len > ROT_CAPACITY) {
      this.flush();
      if (len > ROT_CAPACITY) this.cs = new Float64Array(2 * len);
    }
    const off = this.used;
    this.sweeps.push(l, m, off);
    this.used += len;
    return off;
  }

  /** Rotation number j (0 for i = m − 1) of the sweep starting at `base`. */
  set(base: number, j: number, c: number, s: number): void {
    const o = 2 * (base + j);
    this.cs[o] = c;
    this.cs[o + 1] = s;
  }

  flush(): void {
    if (this.sweeps.length === 0) return;
    const { z, n, nz, cs, sweeps } = this;
    const ns = sweeps.length;
    let r = 0;
    for (; r + 3 < nz; r += 4) {
      const o0 = r * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
      for (let q = 0; q < ns; q += 3) {
        const l = sweeps[q], m = sweeps[q + 1];
        let idx = 2 * sweeps[q + 2];
        let h0 = z[o0 + m], h1 = z[o1 + m], h2 = z[o2 + m], h3 = z[o3 + m];
        for (let i = m - 1; i >= l; i--) {
          const c = cs[idx], s = cs[idx + 1];
          idx += 2;
          const x0 = z[o0 + i], x1 = z[o1 + i], x2 = z[o2 + i], x3 = z[o3 + i];
          z[o0 + i + 1] = s * x0 + c * h0;
          z[o1 + i + 1] = s * x1 + c * h1;
          z[o2 + i + 1] = s * x2 + c * h2;
          z[o3 + i + 1] = s * x3 + c * h3;
          h0 = c * x0 - s * h0;
          h1 = c * x1 - s * h1;
          h2 = c * x2 - s * h2;
          h3 = c * x3 - s * h3;
        }
        z[o0 + l] = h0; z[o1 + l] = h1; z[o2 + l] = h2; z[o3 + l] = h3;
      }
    }
    for (; r < nz; r++) {
      const o0 = r * n;
      for (let q = 0; q < ns; q += 3) {
        const l = sweeps[q], m = sweeps[q + 1];
        let idx = 2 * sweeps[q + 2];
        let h0 = z[o0 + m];
        for (let i = m - 1; i >= l; i--) {
          const c = cs[idx], s = cs[idx + 1];
          idx += 2;
          const x0 = z[o0 + i];
          z[o0 + i + 1] = s * x0 + c * h0;
          h0 = c * x0 - s * h0;
        }
        z[o0 + l] = h0;
      }
    }
    this.sweeps = [];
    this.used = 0;
  }
}

/** Sort d ascending in place and permute the columns of Z (n×n) to match; returns d. */

export function sortWithVectors(d: Float64Array, z: Float64Array, n: number): Float64Array {
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => d[i] - d[j] || i - j);
  let sorted = true;
  for (let i = 0; i < n; i++) if (order[i] !== i) { sorted = false; break; }
  if (sorted) return d;
  const vals = new Float64Array(n);
  for (let j = 0; j < n; j++) vals[j] = d[order[j]];
  const tmp = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    const o = r * n;
    for (let j = 0; j < n; j++) tmp[j] = z[o + order[j]];
    z.set(tmp, o);
  }
  d.set(vals);
  return d;
}

/**
 * Eigenpairs of the tridiagonal (diag, off) by QL: values ascending, and when `wantVectors` the
 * n×n row-major matrix whose column j is the eigenvector of values[j]. Inputs are not modified.
 * The vector pass uses the eigenvalues of a first values-only pass as perfect shifts.
 */
export function qlEigen(
  diag: ArrayLike<number>, off: ArrayLike<number>, n: number, wantVectors: boolean,
): { values: Float64Array; vectors: Float64Array | null; ok: boolean } {
  const d = new Float64Array(n);
  const e = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = diag[i];
  for (let i = 0; i + 1 < n; i++) e[i] = off[i];
  if (!wantVectors) {
    const ok = implicitQl(d, e, null, n);
    return { values: d.sort(), vectors: null, ok };
  }
  const z = new Float64Array(n * n);
  for (let i = 0; i < n; i++) z[i * n + i] = 1;
  const known = d.slice();
  implicitQl(known, e.slice(), null, n);
  known.sort();
  const ok = implicitQl(d, e, z, n, known);
  return { values: sortWithVectors(d, z, n), vectors: z, ok };
}
