/**
 * The peer side of the benchmark: find a Python 3 that can import numpy / torch, and run a peer
 * script under the same thread count as our code.
 *
 * Candidates, in order: `$WIDELIMIT_PYTHON` (alone, when set), `/usr/bin/python3` (Debian's, where
 * `python3-numpy` / `python3-torch` install), then `python3` on PATH.
 *
 * Protocol with a peer script `bench/peers/<name>.py JOB_DIR`: the runner writes
 * `JOB_DIR/job.json` = `{params, arrays: {name: {file, shape}}, timing: {warmup, reps}, threads}`
 * with each array as raw little-endian float64 (`np.fromfile(..., '<f8').reshape(shape)`); the
 * script prints, as its last stdout line, `{"best": s, "all": [s…], "warmup": w, "reps": r,
 * "check": number|null, "info": {…}}` (timing rule of bench/lib/timing.ts), and may save arrays
 * as `JOB_DIR/out_<name>.f64` for a closer comparison with our results. Python start-up and imports are not timed, as Node's are not on our side.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Timing, TimingPlan } from './timing.js';
import { PEERS_DIR } from './paths.js';

export type PeerLibrary = 'numpy' | 'torch';

export interface PythonFound {
  readonly exe: string;
  readonly version: string;
}

/** What the probe found for each library: an interpreter, or why none. */
export interface PythonProbe {
  readonly numpy: PythonFound | { readonly missing: string };
  readonly torch: PythonFound | { readonly missing: string };
  /** Short descriptions of the BLAS behind numpy / torch (for the report). */
  readonly blas: string;
}

function candidates(): string[] {
  const env = process.env.WIDELIMIT_PYTHON;
  if (env && env.trim() !== '') return [env.trim()];
  return ['/usr/bin/python3', 'python3'];
}

function tryImport(exe: string, lib: PeerLibrary): string | null {
  const r = spawnSync(exe, ['-c', `import ${lib}; print(${lib}.__version__)`], {
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, OMP_NUM_THREADS: '1' },
  });
  if (r.status !== 0 || r.error) return null;
  return r.stdout.trim().split('\n').pop() ?? '';
}

/** Probe the candidate interpreters once. */
export function probePython(): PythonProbe {
  const found: Record<PeerLibrary, PythonFound | { missing: string }> = {
    numpy: { missing: '' },
    torch: { missing: '' },
  };
  const cands = candidates();
  for (const lib of ['numpy', 'torch'] as const) {
    let hit: PythonFound | null = null;
    for (const exe of cands) {
      const v = tryImport(exe, lib);
      if (v !== null) {
        hit = { exe, version: v };
        break;
      }
    }
    found[lib] = hit ?? { missing: `no Python 3 with ${lib} among ${cands.join(', ')} (set WIDELIMIT_PYTHON)` };
  }
  let blas = '';
  const np = found.numpy;
  if ('exe' in np) {
    const r = spawnSync(np.exe, [join(PEERS_DIR, 'blasinfo.py')], { encoding: 'utf8', timeout: 120_000 });
    if (r.status === 0) blas = r.stdout.trim();
  }
  return { numpy: found.numpy, torch: found.torch, blas };
}

export interface PeerArray {
  readonly data: Float64Array;
  readonly shape: readonly number[];
}

export interface PeerOutcome {
  readonly timing: Timing;
  readonly check: number | null;
  readonly info: Record<string, unknown>;
  /** Wall time of the whole peer process (start-up, imports and I/O included), seconds. */
  readonly wallSeconds: number;
  /** Arrays the peer saved with `save_output(name, array)` (flattened, float64). */
  readonly outputs: Record<string, Float64Array>;
}

/** Environment that pins every BLAS / OpenMP pool of the peer to `threads`. */
export function threadEnv(threads: number): NodeJS.ProcessEnv {
  const t = String(threads);
  return {
    ...process.env,
    OMP_NUM_THREADS: t,
    MKL_NUM_THREADS: t,
    OPENBLAS_NUM_THREADS: t,
    NUMEXPR_NUM_THREADS: t,
    VECLIB_MAXIMUM_THREADS: t,
    WIDELIMIT_BENCH_THREADS: t,
  };
}

/**
 * Run `bench/peers/<script>` with `python` on the given parameters and arrays.
 * Returns the peer's timing, or an error message (never throws for a failing peer).
 */
export function runPeer(
  python: PythonFound,
  script: string,
  params: Record<string, unknown>,
  arrays: Record<string, PeerArray>,
  plan: TimingPlan,
  threads: number,
  timeoutSeconds = 3600,
): PeerOutcome | { error: string } {
  const dir = mkdtempSync(join(tmpdir(), 'widelimit-bench-'));
  try {
    const manifest: Record<string, { file: string; shape: readonly number[] }> = {};
    for (const [name, a] of Object.entries(arrays)) {
      const file = `${name}.f64`;
      const n = a.shape.reduce((p, q) => p * q, 1);
      if (n !== a.data.length) throw new RangeError(`runPeer: array ${name} has ${a.data.length} entries, shape ${a.shape}`);
      writeFileSync(join(dir, file), new Uint8Array(a.data.buffer, a.data.byteOffset, a.data.byteLength));
      manifest[name] = { file, shape: a.shape };
    }
    writeFileSync(join(dir, 'job.json'), JSON.stringify({ params, arrays: manifest, timing: plan, threads }));
    const t0 = performance.now();
    const r = spawnSync(python.exe, [join(PEERS_DIR, script), dir], {
      encoding: 'utf8',
      env: threadEnv(threads),
      timeout: timeoutSeconds * 1000,
      maxBuffer: 64 * 1024 * 1024,
    });
    const wallSeconds = (performance.now() - t0) / 1000;
    if (r.error) return { error: `${script}: ${r.error.message}` };
    if (r.status !== 0) {
      const tail = (r.stderr || r.stdout).trim().split('\n').slice(-3).join(' | ');
      return { error: `${script} exited with ${r.status}: ${tail}` };
    }
    const outputs: Record<string, Float64Array> = {};
    for (const f of readdirSync(dir)) {
      const m = /^out_(.+)\.f64$/.exec(f);
      if (!m) continue;
      const buf = readFileSync(join(dir, f));
      outputs[m[1]] = new Float64Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
    }
    const last = r.stdout.trim().split('\n').pop() ?? '';
    const out = JSON.parse(last) as {
      best: number; all: number[]; warmup: number; reps: number; check: number | null; info?: Record<string, unknown>;
    };
    return {
      timing: { best: out.best, all: out.all, warmup: out.warmup, reps: out.reps },
      check: out.check,
      info: out.info ?? {},
      wallSeconds,
      outputs,
    };
  } catch (e) {
    return { error: `${script}: ${(e as Error).message}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
