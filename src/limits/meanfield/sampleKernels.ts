/**
 * The two O(n m d) loops of the sample-risk velocity (empirical.ts), over all (particle j,
 * sample i) pairs with z_ij = w_j·x_i:
 *
 *   forward:  F_i += a_j φ(z_ij)                          (F zeroed by the caller, not divided by m)
 *   backward: dy[j] = −(1/n) Σ_i r_i φ(z_ij),  dy[w_j] = −κ a_j (1/n) Σ_i r_i φ'(z_ij) x_i
 *
 * Plain-loop versions for any activation (scalar f, df), and for ABReLU(p, q) versions generated
 * once per d with the coordinate loops unrolled and w_j, x_i held in locals (2× faster at d = 5;
 * same operations in the same order as the plain ABReLU path, compared by test). Beyond
 * {@link MAX_UNROLLED_SAMPLE_DIM} the plain loops are used.
 */

export interface SampleKernelArgs {
  readonly m: number;
  readonly d: number;
  /** Samples used (rows of X). */
  readonly n: number;
  /** Particle state (layout of particles.ts). */
  readonly y: Float64Array;
  /** X: n×d row-major. */
  readonly X: Float64Array;
}

export interface SampleKernels {
  forward(g: SampleKernelArgs, F: Float64Array): void;
  /** `r` the residuals ∂ℓ/∂F (length ≥ n), `kappa` the rate of w, `gw` scratch of length d. */
  backward(g: SampleKernelArgs, r: Float64Array, kappa: number, dy: Float64Array, gw: Float64Array): void;
}

/** Plain loops for φ = f with derivative df. */
export function genericSampleKernels(f: (z: number) => number, df: (z: number) => number): SampleKernels {
  return {
    forward({ m, d, n, y, X }, F) {
      for (let j = 0; j < m; j++) {
        const aj = y[j];
        const o = m + j * d;
        for (let i = 0; i < n; i++) {
          const xo = i * d;
          let z = 0;
          for (let k = 0; k < d; k++) z += y[o + k] * X[xo + k];
          F[i] += aj * f(z);
        }
      }
    },
    backward({ m, d, n, y, X }, r, kappa, dy, gw) {
      const invN = 1 / n;
      for (let j = 0; j < m; j++) {
        const o = m + j * d;
        let ga = 0;
        for (let k = 0; k < d; k++) gw[k] = 0;
        for (let i = 0; i < n; i++) {
          const xo = i * d;
          let z = 0;
          for (let k = 0; k < d; k++) z += y[o + k] * X[xo + k];
          ga += r[i] * f(z);
          const c = r[i] * df(z);
          for (let k = 0; k < d; k++) gw[k] += c * X[xo + k];
        }
        dy[j] = -invN * ga;
        const s = -kappa * y[j] * invN;
        for (let k = 0; k < d; k++) dy[o + k] = s * gw[k];
      }
    },
  };
}

/** Plain loops for ABReLU(p, q): φ(z) = z > 0 ? q z : p z, so r φ(z) = (r φ'(z)) z. */
export function abreluSampleKernels(p: number, q: number): SampleKernels {
  return {
    forward({ m, d, n, y, X }, F) {
      for (let j = 0; j < m; j++) {
        const aj = y[j];
        const o = m + j * d;
        for (let i = 0; i < n; i++) {
          const xo = i * d;
          let z = 0;
          for (let k = 0; k < d; k++) z += y[o + k] * X[xo + k];
          F[i] += aj * (z > 0 ? q * z : p * z);
        }
      }
    },
    backward({ m, d, n, y, X }, r, kappa, dy, gw) {
      const invN = 1 / n;
      for (let j = 0; j < m; j++) {
        const o = m + j * d;
        let ga = 0;
        for (let k = 0; k < d; k++) gw[k] = 0;
        for (let i = 0; i < n; i++) {
          const xo = i * d;
          let z = 0;
          for (let k = 0; k < d; k++) z += y[o + k] * X[xo + k];
          const c = r[i] * (z > 0 ? q : p);
          ga += c * z;
          for (let k = 0; k < d; k++) gw[k] += c * X[xo + k];
        }
        dy[j] = -invN * ga;
        const s = -kappa * y[j] * invN;
        for (let k = 0; k < d; k++) dy[o + k] = s * gw[k];
      }
    },
  };
}

export const MAX_UNROLLED_SAMPLE_DIM = 64;

const generated = new Map<number, { forward: Function; backward: Function }>();

/** ABReLU kernels for dimension d, unrolled when d ≤ {@link MAX_UNROLLED_SAMPLE_DIM}. */
export function compiledAbreluSampleKernels(p: number, q: number, d: number): SampleKernels {
  if (d > MAX_UNROLLED_SAMPLE_DIM) return abreluSampleKernels(p, q);
  let g = generated.get(d);
  if (!g) {
    const ks = Array.from({ length: d }, (_, k) => k);
    const each = (f: (k: number) => string) => ks.map(f).join(' ');
    // Same operations in the same order as abreluSampleKernels.
    const forward = new Function('m', 'n', 'y', 'X', 'F', 'p', 'q', `
for (let j = 0; j < m; j++) {
  const aj = y[j];
  const o = m + j * ${d};
  ${each((k) => `const w${k} = y[o + ${k}];`)}
  for (let i = 0; i < n; i++) {
    const xo = i * ${d};
    let z = 0;
    ${each((k) => `z += w${k} * X[xo + ${k}];`)}
    F[i] += aj * (z > 0 ? q * z : p * z);
  }
}`);
    const backward = new Function('m', 'n', 'y', 'X', 'r', 'kappa', 'dy', 'p', 'q', `
const invN = 1 / n;
for (let j = 0; j < m; j++) {
  const o = m + j * ${d};
  ${each((k) => `const w${k} = y[o + ${k}]; let g${k} = 0;`)}
  let ga = 0;
  for (let i = 0; i < n; i++) {
    const xo = i * ${d};
    ${each((k) => `const x${k} = X[xo + ${k}];`)}
    let z = 0;
    ${each((k) => `z += w${k} * x${k};`)}
    const c = r[i] * (z > 0 ? q : p);
    ga += c * z;
    ${each((k) => `g${k} += c * x${k};`)}
  }
  dy[j] = -invN * ga;
  const s = -kappa * y[j] * invN;
  ${each((k) => `dy[o + ${k}] = s * g${k};`)}
}`);
    g = { forward, backward };
    generated.set(d, g);
  }
  const { forward, backward } = g;
  return {
    forward: ({ m, n, y, X }, F) => forward(m, n, y, X, F, p, q),
    backward: ({ m, n, y, X }, r, kappa, dy) => backward(m, n, y, X, r, kappa, dy, p, q),
  };
}
