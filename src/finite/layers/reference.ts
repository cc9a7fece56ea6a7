/**
 * The plain reference of the finite network: forward pass, vector–Jacobian product and empirical
 * tangent kernel of any composition of layers (layer.ts), one input at a time, written from the
 * definitions (theory/conventions.md#layer-form; theory/finite.md#empirical-ntk) with no fusion, no
 * workspaces and no products other than plain loops. The fused trainer (fused/forward.ts, backward.ts, ntk.ts
 * on the WebAssembly or native engine) is checked against it (test/finite/layers/reference.test.ts).
 *
 * Each layer maps its input a to its output and returns a pullback g ↦ gᵀ ∂out/∂a that also adds the
 * layer's parameter gradients into `grads`:
 *
 * - dense z = m W a + β b:  ∂W_jp += m g_j a_p,  ∂b_j += β g_j,  g_a = m Wᵀ g;
 * - φ: g_z = g ∘ φ'(z);
 * - residual h ↦ skip·h + branch(h): g_h = skip·g + (branch pullback)(g);
 * - conv2d z = m conv(W, a) + β b: the same sums over the kernel's positions (src/finite/conv/conv2d.ts,
 *   one image at a time); pool: the window average, whose pullback spreads g evenly over the window;
 * - output: the raw output F (α and centring act on whole functions: {@link referenceOutput}).
 *
 * Parameters are the trainer's {@link Params}: W[i], b[i] of the i-th parameter layer (dense or
 * conv2d) in the order of paramLayers (residual branches where they occur).
 */
import { mat } from '../../core/matrix.js';
import { conv2dForward, conv2dVjp, convOutputSize } from '../conv/conv2d.js';
import { avgPoolForward, avgPoolVjp, globalAvgPoolForward, globalAvgPoolVjp } from '../conv/pool.js';
import type { Params } from '../params.js';
import { type ConvLayer, type DenseLayer, type Layer, type PoolLayer, type Serial, outputOf, paramLayers } from './layer.js';

type Pullback = (g: Float64Array, grads: Params) => Float64Array;

function denseForward(lay: DenseLayer, i: number, p: Params, a: Float64Array): [Float64Array, Pullback] {
  const W = p.W[i].data, b = p.b[i], n = lay.nIn, m = lay.multiplier;
  const z = new Float64Array(lay.nOut);
  for (let j = 0; j < lay.nOut; j++) {
    let s = 0;
    for (let q = 0; q < n; q++) s += W[j * n + q] * a[q];
    z[j] = m * s + (b && lay.bias ? lay.bias.multiplier * b[j] : 0);
  }
  const pullback: Pullback = (g, grads) => {
    const gW = grads.W[i].data, gb = grads.b[i];
    const ga = new Float64Array(n);
    for (let j = 0; j < lay.nOut; j++) {
      for (let q = 0; q < n; q++) {
        gW[j * n + q] += m * g[j] * a[q];
        ga[q] += m * W[j * n + q] * g[j];
      }
      if (gb && lay.bias) gb[j] += lay.bias.multiplier * g[j];
    }
    return ga;
  };
  return [z, pullback];
}

function convForward(lay: ConvLayer, i: number, p: Params, a: Float64Array): [Float64Array, Pullback] {
  const o = convOutputSize(lay.shape), beta = lay.bias ? lay.bias.multiplier : 0;
  const z = conv2dForward(lay.shape, 1, a, p.W[i].data, lay.bias ? p.b[i] : null, lay.multiplier, beta, new Float64Array(lay.shape.cOut * o.height * o.width));
  const pullback: Pullback = (g, grads) => {
    const ga = new Float64Array(a.length);
    conv2dVjp(lay.shape, 1, a, p.W[i].data, lay.multiplier, beta, g, grads.W[i].data, lay.bias ? grads.b[i] : null, ga);
    return ga;
  };
  return [z, pullback];
}

function poolForward(lay: PoolLayer, a: Float64Array): [Float64Array, Pullback] {
  const { channels: c, height: h, width: w, window: q } = lay;
  if (q === 0) return [globalAvgPoolForward(1, c, h * w, a, new Float64Array(c)), (g) => globalAvgPoolVjp(1, c, h * w, g, new Float64Array(a.length))];
  const z = avgPoolForward(1, c, h, w, q, a, new Float64Array(a.length / (q * q)));
  return [z, (g) => avgPoolVjp(1, c, h, w, q, g, new Float64Array(a.length))];
}

/** Forward through `layers` from dense index `first`; the output, the pullback and the next dense index. */
function forwardLayers(layers: readonly Layer[], p: Params, first: number, x: Float64Array): { out: Float64Array; pullback: Pullback; next: number } {
  const pullbacks: Pullback[] = [];
  let a = x, i = first;
  for (const lay of layers) {
    if (lay.kind === 'dense') {
      const [z, pb] = denseForward(lay, i++, p, a);
      pullbacks.push(pb);
      a = z;
    } else if (lay.kind === 'conv2d' || lay.kind === 'pool') {
      const [z, pb] = lay.kind === 'conv2d' ? convForward(lay, i++, p, a) : poolForward(lay, a);
      pullbacks.push(pb);
      a = z;
    } else if (lay.kind === 'activation') {
      const z = a, f = lay.activation.f, df = lay.activation.df;
      a = z.map(f);
      pullbacks.push((g) => g.map((v, j) => v * df(z[j])));
    } else if (lay.kind === 'residual') {
      const h = a, skip = lay.skip;
      const br = forwardLayers(lay.branch, p, i, h);
      i = br.next;
      a = h.map((v, j) => skip * v + br.out[j]);
      pullbacks.push((g, grads) => {
        const gb = br.pullback(g, grads);
        return g.map((v, j) => skip * v + gb[j]);
      });
    }
  }
  const pullback: Pullback = (g, grads) => pullbacks.reduceRight((acc, pb) => pb(acc, grads), g);
  return { out: a, pullback, next: i };
}

/** Raw output F(x) (length k) and its pullback. */
export function referenceForward(net: Serial, p: Params, x: Float64Array): { out: Float64Array; pullback: Pullback } {
  const { out, pullback } = forwardLayers(net.layers, p, 0, x);
  return { out, pullback };
}

/** Zero gradients shaped like `p`. */
export function zeroGrads(p: Params): Params {
  return {
    W: p.W.map((w) => mat(w.rows, w.cols)),
    b: p.b.map((b) => (b ? new Float64Array(b.length) : null)),
  };
}

/** gᵀ ∂F(x)/∂θ for a cotangent g of length k: the parameter gradients (and F). */
export function referenceVjp(net: Serial, p: Params, x: Float64Array, g: Float64Array): { out: Float64Array; grads: Params } {
  const { out, pullback } = referenceForward(net, p, x);
  const grads = zeroGrads(p);
  pullback(g, grads);
  return { out, grads };
}

/** f(x) = α (F_θ(x) − [centred] F_{θ0}(x)). */
export function referenceOutput(net: Serial, p: Params, p0: Params, x: Float64Array): Float64Array {
  const { alpha, centred } = outputOf(net);
  const F = referenceForward(net, p, x).out;
  const F0 = centred ? referenceForward(net, p0, x).out : null;
  return F.map((v, a) => alpha * (v - (F0 ? F0[a] : 0)));
}

/** The rate-weighted gradient r ∘ ∂F_a(x)/∂θ flattened, and ∂F_a(x)/∂θ flattened, for every output a. */
function jacobianRows(net: Serial, p: Params, x: Float64Array): { plain: Float64Array[]; weighted: Float64Array[] } {
  const dense = paramLayers(net.layers);
  const plain: Float64Array[] = [], weighted: Float64Array[] = [];
  for (let a = 0; a < net.outputDim; a++) {
    const e = new Float64Array(net.outputDim);
    e[a] = 1;
    const { grads } = referenceVjp(net, p, x, e);
    const row: number[] = [], rw: number[] = [];
    dense.forEach((lay, i) => {
      for (const v of grads.W[i].data) { row.push(v); rw.push(lay.rate * v); }
      const b = grads.b[i];
      if (b && lay.bias) for (const v of b) { row.push(v); rw.push(lay.bias.rate * v); }
    });
    plain.push(Float64Array.from(row));
    weighted.push(Float64Array.from(rw));
  }
  return { plain, weighted };
}

/**
 * Θ_ab(x_i, x2_j) = Σ_θ r_θ ∂_θ F_a(x_i) ∂_θ F_b(x2_j) (rate-weighted, raw output F), as an
 * (n·k) × (n2·k) row-major array, row i·k + a, column j·k + b — the layout of src/finite/fused/ntk.ts.
 */
export function referenceNtk(net: Serial, p: Params, x: Float64Array[], x2: Float64Array[] = x): Float64Array {
  const k = net.outputDim;
  const left = x.map((xi) => jacobianRows(net, p, xi).weighted);
  const right = x2.map((xj) => jacobianRows(net, p, xj).plain);
  const cols = x2.length * k;
  const out = new Float64Array(x.length * k * cols);
  left.forEach((li, i) => li.forEach((ga, a) => right.forEach((rj, j) => rj.forEach((gb, b) => {
    let s = 0;
    for (let q = 0; q < ga.length; q++) s += ga[q] * gb[q];
    out[(i * k + a) * cols + j * k + b] = s;
  }))));
  return out;
}
