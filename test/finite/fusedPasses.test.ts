/**
 * The fused forward and backward passes (forward.ts: bias, φ, φ' and the narrow output product in
 * one pass over each product's rows; backward.ts: the narrow layer's ∂S/∂W with the error below)
 * must give the bits of the unfused sequence they replace: gemm into a matrix, addRowVector,
 * activateInPlace with a φ' table, gemm for the output, then gemm + multiply by φ' backwards.
 * Compared with Object.is (tolerance 0: the fusion keeps every operation and its order).
 */
import { describe, expect, it } from 'vitest';
import { gemm } from '../../src/core/gemm.js';
import { type Mat, mat } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { parseActivation } from '../../src/finite/activation.js';
import { backward } from '../../src/finite/fused/backward.js';
import { activateInPlace, createWorkspace, forwardCached } from '../../src/finite/fused/forward.js';
import { buildArchitecture } from '../../src/finite/parameterization.js';
import { type Params, allocParams, initParams } from '../../src/finite/params.js';
import type { Architecture } from '../../src/finite/architecture.js';

/** The unfused passes: F, and ∂S/∂W^l, ∂S/∂b^l for the seed G = ∂S/∂F. */
function reference(arch: Architecture, p: Params, x: Mat, G: Mat): { F: Mat; gW: Mat[]; gb: (Float64Array | null)[] } {
  const L = arch.layers.length - 1;
  const acts: Mat[] = [];
  const dphis: Mat[] = [];
  let a = x;
  let F = x;
  arch.layers.forEach((lay, l) => {
    const z = gemm(false, true, lay.multiplier, a, p.W[l]);
    const b = p.b[l];
    if (b && lay.bias) for (let i = 0; i < z.rows; i++) for (let j = 0; j < z.cols; j++) z.data[i * z.cols + j] += lay.bias.multiplier * b[j];
    if (l < L) {
      const d = mat(z.rows, z.cols);
      activateInPlace(arch.activation, z.data, d.data);
      acts.push(z);
      dphis.push(d);
      a = z;
    } else F = z;
  });
  const gW: Mat[] = [];
  const gb: (Float64Array | null)[] = [];
  let delta = G;
  for (let l = L; l >= 0; l--) {
    const lay = arch.layers[l];
    gW[l] = gemm(true, false, lay.multiplier, delta, l === 0 ? x : acts[l - 1]);
    if (lay.bias) {
      const s = new Float64Array(delta.cols);
      for (let i = 0; i < delta.rows; i++) for (let j = 0; j < delta.cols; j++) s[j] += delta.data[i * delta.cols + j];
      if (lay.bias.multiplier !== 1) for (let j = 0; j < s.length; j++) s[j] *= lay.bias.multiplier;
      gb[l] = s;
    } else gb[l] = null;
    if (l > 0) {
      const phi = dphis[l - 1].data;
      let below: Mat;
      if (lay.nOut <= 4) {
        // few outputs: the error below is summed over the k outputs directly (old narrowDelta)
        const { rows: n, cols: k } = delta;
        const h = lay.nIn, w = p.W[l].data, m = lay.multiplier;
        below = mat(n, h);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < h; j++) {
            if (k === 1) below.data[i * h + j] = m * delta.data[i] * w[j] * phi[i * h + j];
            else {
              let s = 0;
              for (let a = 0; a < k; a++) s += delta.data[i * k + a] * w[a * h + j];
              below.data[i * h + j] = m * s * phi[i * h + j];
            }
          }
        }
      } else {
        below = gemm(false, false, lay.multiplier, delta, p.W[l]);
        for (let i = 0; i < below.data.length; i++) below.data[i] *= phi[i];
      }
      delta = below;
    }
  }
  return { F, gW, gb };
}

function sameBits(a: Float64Array, b: Float64Array): number {
  let bad = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) bad++;
  return bad + Math.abs(a.length - b.length);
}

const CASES = [
  // n, d, h, L, k, activation, bias std: wide products take the SIMD kernels, narrow ones the JS loops
  { n: 37, d: 5, h: 300, L: 1, k: 1, act: 'relu', bias: 0 },
  { n: 64, d: 8, h: 256, L: 2, k: 1, act: 'relu', bias: 0.5 },
  { n: 30, d: 4, h: 129, L: 2, k: 3, act: 'leaky_relu:0.2', bias: 0.3 },
  { n: 41, d: 6, h: 200, L: 2, k: 2, act: 'abs', bias: 0 },
  { n: 25, d: 3, h: 150, L: 1, k: 1, act: 'abrelu:0.5,2', bias: 0.2 } as const,
  { n: 33, d: 5, h: 160, L: 2, k: 1, act: 'tanh', bias: 0.4 },
  { n: 19, d: 4, h: 90, L: 2, k: 4, act: 'erf', bias: 0.4 },
  { n: 22, d: 4, h: 64, L: 3, k: 5, act: 'relu', bias: 0 },
];

describe('fused forward/backward passes', () => {
  for (const c of CASES) {
    it(`give the bits of the unfused passes: ${c.act} n=${c.n} h=${c.h} L=${c.L} k=${c.k} bias=${c.bias}`, () => {
      const activation = c.act.startsWith('abrelu:')
        ? { ...parseActivation('relu'), name: c.act, family: { kind: 'abrelu' as const, a: 0.5, b: 2 }, f: (v: number) => (v > 0 ? 2 * v : 0.5 * v), df: (v: number) => (v > 0 ? 2 : 0.5) }
        : parseActivation(c.act);
      const arch = buildArchitecture({
        inputDim: c.d, outputDim: c.k, width: c.h, depth: c.L, activation,
        parameterization: 'ntk', weightStd: Math.SQRT2, biasStd: c.bias,
      });
      const rng = new Rng(`fused/${c.act}/${c.n}`);
      const p = initParams(arch, rng.child('init'));
      const x = mat(c.n, c.d);
      rng.child('x').fillNormal(x.data);
      const G = mat(c.n, c.k);
      rng.child('g').fillNormal(G.data);
      // exact zeros in the seed exercise the skipped groups of the fused ∂S/∂W
      for (let i = 0; i < 8 && i < c.n; i++) for (let a = 0; a < c.k; a++) G.data[i * c.k + a] = 0;
      const ref = reference(arch, p, x, G);

      const ws = createWorkspace(arch, c.n);
      const F = forwardCached(arch, p, x, ws, true);
      expect(sameBits(F.data, ref.F.data)).toBe(0);
      ws.delta[c.L].data.set(G.data);
      const { params: grads } = allocParams(arch);
      backward(arch, p, x, ws, grads);
      arch.layers.forEach((_, l) => {
        expect(sameBits(grads.W[l].data, ref.gW[l].data)).toBe(0);
        const gb = grads.b[l], rb = ref.gb[l];
        if (gb && rb) expect(sameBits(gb, rb)).toBe(0);
      });
      // the forward pass without derivatives gives the same outputs
      const ws2 = createWorkspace(arch, c.n);
      expect(sameBits(forwardCached(arch, p, x, ws2, false).data, ref.F.data)).toBe(0);
    });
  }
});
