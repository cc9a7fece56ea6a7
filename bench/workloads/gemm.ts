/**
 * gemm: our plain-TypeScript `gemm` (src/core/gemm.ts) on C (m×n) ← op(A) op(B) with inner
 * dimension k, for NN, NT and TN, beside torch's float64 matmul on one thread (the BLAS torch is
 * linked to). Reported as seconds and GFLOP/s (2mnk flops per product). No goal: it tells how far
 * plain TS is from BLAS.
 */
import { gemm } from '../../src/core/gemm.js';
import { mat, type Mat } from '../../src/core/matrix.js';
import { Rng } from '../../src/core/rng.js';
import { measure, SHORT } from '../lib/timing.js';
import { runPeer } from '../lib/python.js';
import type { BenchContext, BenchRow, Workload } from '../lib/workload.js';

const OPS = ['NN', 'NT', 'TN'] as const;

function randomMat(rows: number, cols: number, rng: Rng): Mat {
  const m = mat(rows, cols);
  rng.fillNormal(m.data);
  return m;
}

export const gemmWorkload: Workload = {
  name: 'gemm',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const [m, n, k] = ctx.quick ? [256, 256, 64] : [1024, 1024, 256];
    const flops = 2 * m * n * k;
    const rng = new Rng('bench/gemm');
    const rows: BenchRow[] = [];
    const py = ctx.peer('torch');
    for (const op of OPS) {
      const tA = op[0] === 'T';
      const tB = op[1] === 'T';
      const A = tA ? randomMat(k, m, rng) : randomMat(m, k, rng);
      const B = tB ? randomMat(n, k, rng) : randomMat(k, n, rng);
      const C = mat(m, n);
      ctx.log(`gemm ${op}: ours`);
      const ours = await measure(SHORT, () => gemm(tA, tB, 1, A, B, 0, C));
      const notes: string[] = [];
      let peer = null;
      if ('exe' in py) {
        ctx.log(`gemm ${op}: torch`);
        const r = runPeer(py, 'gemm.py', { m, n, k, op }, {}, SHORT, 1);
        if ('error' in r) notes.push(`peer failed: ${r.error}`);
        else peer = r.timing;
      }
      notes.unshift(`ours ${(flops / ours.best / 1e9).toFixed(2)} GFLOP/s${peer ? `, torch ${(flops / peer.best / 1e9).toFixed(2)} GFLOP/s` : ''}`);
      rows.push({
        workload: `gemm-${op}`,
        size: `${m}x${n}x${k} (C m×n, inner k)`,
        threads: 1,
        ours,
        peer,
        goal: null,
        notes,
        extra: {
          oursGflops: flops / ours.best / 1e9,
          peerGflops: peer ? flops / peer.best / 1e9 : null,
        },
      });
    }
    return rows;
  },
};
