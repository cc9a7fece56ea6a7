/**
 * Child process of the gemm workload: `node dist/bench/gemmChild.js m n k` times our `gemm` for
 * NN, NT and TN (1 warm-up, best of 3) and prints `{"NN": s, "NT": s, "TN": s, "wasm": bool,
 * "engine": label}`. The engine comes from WIDELIMIT_ENGINE, and `WIDELIMIT_NO_WASM=1` times the
 * plain-JavaScript loops: both are read once per process (src/core/engine.ts), hence a separate process.
 */
import { gemm } from '../src/core/gemm.js';
import { wasmGemmAvailable } from '../src/core/gemmWasm.js';
import { engineLabel } from '../src/core/engine.js';
import { mat, type Mat } from '../src/core/matrix.js';
import { Rng } from '../src/core/rng.js';
import { measure, SHORT } from './lib/timing.js';

function randomMat(rows: number, cols: number, rng: Rng): Mat {
  const m = mat(rows, cols);
  rng.fillNormal(m.data);
  return m;
}

async function main(): Promise<void> {
  const [m, n, k] = process.argv.slice(2, 5).map(Number);
  const rng = new Rng('bench/gemm');
  const out: Record<string, number | boolean | string> = { wasm: wasmGemmAvailable(), engine: engineLabel() };
  for (const op of ['NN', 'NT', 'TN'] as const) {
    const tA = op[0] === 'T';
    const tB = op[1] === 'T';
    const A = tA ? randomMat(k, m, rng) : randomMat(m, k, rng);
    const B = tB ? randomMat(n, k, rng) : randomMat(k, n, rng);
    const C = mat(m, n);
    out[op] = (await measure(SHORT, () => gemm(tA, tB, 1, A, B, 0, C))).best;
  }
  process.stdout.write(JSON.stringify(out) + '\n');
}

void main();
