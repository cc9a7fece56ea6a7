/**
 * gemm: our `gemm` (src/core/gemm.ts) on C (m×n) ← op(A) op(B) with inner dimension k, for NN,
 * NT and TN — on the native engine (when built), the WebAssembly SIMD kernel of gemmWasm.ts and
 * the plain-JavaScript loops (`WIDELIMIT_NO_WASM=1`) — each timed in a child process
 * (bench/gemmChild.ts) on one thread, beside torch's float64 matmul on one thread (the BLAS torch
 * is linked to). Reported as seconds and GFLOP/s (2mnk flops per product). Goal for the native
 * engine (issue 14): at least 0.8 of the BLAS's GFLOP/s, i.e. ours/peer ≤ 1.25; none for the others.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { runPeer } from '../lib/python.js';
import { SHORT, type Timing } from '../lib/timing.js';
import type { BenchContext, BenchRow, Workload } from '../lib/workload.js';

const OPS = ['NN', 'NT', 'TN'] as const;
const CHILD = fileURLToPath(new URL('../gemmChild.js', import.meta.url));

/** Best times per op from a child process, or an error message. */
function timeOurs(m: number, n: number, k: number, engine: 'native' | 'wasm' | 'js'): Record<string, number | boolean | string> | string {
  const env: NodeJS.ProcessEnv = { ...process.env, WIDELIMIT_THREADS: '1', WIDELIMIT_ENGINE: engine === 'native' ? 'native' : 'wasm' };
  if (engine === 'js') env.WIDELIMIT_NO_WASM = '1';
  else delete env.WIDELIMIT_NO_WASM;
  const r = spawnSync(process.execPath, [CHILD, String(m), String(n), String(k)], { encoding: 'utf8', env, timeout: 600_000 });
  if (r.status !== 0) return `gemm child failed: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' | ')}`;
  return JSON.parse(r.stdout.trim().split('\n').pop() ?? '{}') as Record<string, number | boolean | string>;
}

function timing(best: number): Timing {
  return { best, all: [best], warmup: SHORT.warmup, reps: SHORT.reps };
}

export const gemmWorkload: Workload = {
  name: 'gemm',
  async run(ctx: BenchContext): Promise<BenchRow[]> {
    const [m, n, k] = ctx.quick ? [256, 256, 64] : [1024, 1024, 256];
    const flops = 2 * m * n * k;
    const gf = (s: number) => (flops / s / 1e9).toFixed(2);
    const size = `${m}x${n}x${k} (C m×n, inner k)`;
    ctx.log('gemm: ours (native engine, WebAssembly, plain JavaScript)');
    const native = timeOurs(m, n, k, 'native');
    const wasm = timeOurs(m, n, k, 'wasm');
    const js = timeOurs(m, n, k, 'js');
    const py = ctx.peer('torch');
    const rows: BenchRow[] = [];
    for (const op of OPS) {
      let peer: Timing | null = null;
      const peerNotes: string[] = [];
      if ('exe' in py) {
        ctx.log(`gemm ${op}: torch`);
        const r = runPeer(py, 'gemm.py', { m, n, k, op }, {}, SHORT, 1);
        if ('error' in r) peerNotes.push(`peer failed: ${r.error}`);
        else peer = r.timing;
      }
      const torchGf = peer ? `, torch ${gf(peer.best)} GFLOP/s` : '';
      const variants = [['native', native], ['wasm', wasm], ['js', js]] as const;
      for (const [variant, res] of variants) {
        const name = `gemm-${op}-${variant}`;
        if (variant === 'native' && typeof res !== 'string' && !String(res.engine).startsWith('native')) {
          rows.push({ workload: name, size, threads: 1, ours: null, peer, goal: 1.25, notes: [`skipped: the native engine is not in use (${res.engine})`] });
          continue;
        }
        if (typeof res === 'string') {
          rows.push({ workload: name, size, threads: 1, ours: null, peer, goal: variant === 'native' ? 1.25 : null, notes: [res, ...peerNotes] });
          continue;
        }
        const s = res[op] as number;
        rows.push({
          workload: name, size, threads: 1, ours: timing(s), peer, goal: variant === 'native' ? 1.25 : null,
          notes: [`ours ${gf(s)} GFLOP/s${torchGf}`, ...peerNotes],
          extra: { oursGflops: flops / s / 1e9, peerGflops: peer ? flops / peer.best / 1e9 : null, path: variant, engine: res.engine },
        });
      }
    }
    return rows;
  },
};
