/**
 * Bitwise identity of the unified Dormand–Prince stepper (src/core/dopri5.ts + stepControl.ts +
 * dopri5Solve.ts) with the two integrators it replaced, kept frozen under test/core/legacy/:
 * the trainer's (finite/trainDopri5.ts) and the mean-field flow's (limits/meanfield/steppers.ts).
 * Every number is compared with Object.is (Float64Array by bytes): same stages, summation order,
 * error estimate, controller arithmetic, rejections, landing on save times and statistics.
 * End to end, the whole trainer (runTrain, method 'flow'), the stopped flow of the Geiger/θ regimes
 * and the mean-field particle flow are run once on the new modules and once with the legacy
 * module mocked in (vi.doMock), on the same current network/field code.
 */
import { describe, expect, it, vi } from 'vitest';
import { Rng } from '../../src/core/rng.js';
import { dopri5 as trainerNew } from '../../src/finite/trainDopri5.js';
import { type Scheme, type VectorField, integrate as mfNew } from '../../src/limits/meanfield/steppers.js';
import { integrate as mfOld } from './legacy/steppers.js';
import { dopri5 as trainerOld } from './legacy/trainDopri5.js';

/** Recursive equality with Object.is on numbers and byte equality on typed arrays; returns the first difference. */
function firstDifference(a: unknown, b: unknown, path = '$'): string | null {
  if (a instanceof Float64Array || b instanceof Float64Array) {
    if (!(a instanceof Float64Array && b instanceof Float64Array) || a.length !== b.length) return `${path}: shape`;
    const ua = new Uint8Array(a.buffer, a.byteOffset, a.byteLength), ub = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    for (let i = 0; i < ua.length; i++) if (ua[i] !== ub[i]) return `${path}[${i >> 3}]: ${a[i >> 3]} vs ${b[i >> 3]}`;
    return null;
  }
  if (typeof a === 'function' && typeof b === 'function') return String(a) === String(b) ? null : `${path}: function`;
  if (typeof a === 'number' || typeof b === 'number') return Object.is(a, b) ? null : `${path}: ${String(a)} vs ${String(b)}`;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!(Array.isArray(a) && Array.isArray(b)) || a.length !== b.length) return `${path}: array length`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const ka = Object.keys(a), kb = Object.keys(b);
    if (ka.join() !== kb.join()) return `${path}: keys ${ka.join()} vs ${kb.join()}`;
    for (const k of ka) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return a === b ? null : `${path}: ${String(a)} vs ${String(b)}`;
}
const expectIdentical = (a: unknown, b: unknown) => expect(firstDifference(a, b)).toBeNull();

/** A stiff-ish nonlinear test field y' = −A y + sin(y) + c·cos(3t) with random A (n × n). */
function field(n: number, seed: string, opts: { stiff?: number; nanAfter?: number } = {}) {
  const rng = new Rng(seed);
  const A = Float64Array.from({ length: n * n }, () => rng.normal());
  for (let i = 0; i < n; i++) A[i * n + i] += opts.stiff ?? 2;
  const c = Float64Array.from({ length: n }, () => rng.normal());
  const y0 = Float64Array.from({ length: n }, () => rng.normal());
  const f = (t: number, y: Float64Array, dy: Float64Array): number => {
    let s = 0;
    for (let i = 0; i < n; i++) {
      let a = Math.sin(y[i]) + c[i] * Math.cos(3 * t);
      for (let j = 0; j < n; j++) a -= A[i * n + j] * y[j];
      dy[i] = opts.nanAfter !== undefined && t > opts.nanAfter ? NaN : a;
      s += y[i] * y[i];
    }
    return s;
  };
  return { f, y0 };
}

function runTrainer(impl: typeof trainerNew, n: number, seed: string, saveTimes: number[], o: Parameters<typeof trainerNew>[4], fo: Parameters<typeof field>[2] = {}, stopAt = Infinity) {
  const { f, y0 } = field(n, seed, fo);
  let tNow = 0;
  const y = y0.slice();
  const saves: unknown[] = [], accepts: unknown[] = [];
  // the trainer's field is autonomous; time enters through the last accepted t (piecewise constant forcing)
  const r = impl({ rhs: (x, dx) => f(tNow, x, dx) }, y, 0, saveTimes, o, {
    onSave: (i, t) => { saves.push([i, t, y.slice()]); return null; },
    onAccept: (t, monitor) => {
      accepts.push([t, monitor]);
      tNow = t;
      return t >= stopAt ? { status: 'ok', message: 'stopped' } : null;
    },
  });
  return { r, y, saves, accepts };
}

function runMeanField(impl: typeof mfNew, n: number, seed: string, times: number[], s: Scheme, fo: Parameters<typeof field>[2] = {}) {
  const { f, y0 } = field(n, seed, fo);
  const saves: unknown[] = [];
  const progress: number[] = [];
  const r = impl(f as VectorField, y0, times, s, (k, t, y) => saves.push([k, t, y.slice()]), (p) => progress.push(p));
  return { r, saves, progress };
}

describe('the trainer\'s integrator (I controller, axpy sums) is bitwise the legacy one', () => {
  const cases: [string, number[], Parameters<typeof trainerNew>[4]][] = [
    ['tight tolerance, small h0', [0.25, 1, 1, 2.5], { rtol: 1e-9, atol: 1e-9, h0: 1e-3 }],
    ['loose tolerance, huge h0 (rejections)', [0.5, 3], { rtol: 1e-3, atol: 1e-5, h0: 5 }],
    ['medium tolerance, many save times', Array.from({ length: 20 }, (_, k) => 0.1 * (k + 1)), { rtol: 1e-6, atol: 1e-6, h0: 0.3 }],
  ];
  for (const [name, saveTimes, o] of cases) {
    it(`agrees to the bit: ${name}`, () => {
      const a = runTrainer(trainerNew, 9, name, saveTimes, o);
      const b = runTrainer(trainerOld, 9, name, saveTimes, o);
      expectIdentical(a, b);
      expect(a.r.outcome.status).toBe('ok');
      if (o.h0 === 5) expect(a.r.stats.rejected).toBeGreaterThan(0); // the rejection path is exercised
    });
  }

  it('agrees when a hook stops the run, when the field turns NaN (status nan) and on a stiff field', () => {
    expectIdentical(runTrainer(trainerNew, 5, 'stop', [1, 2], { rtol: 1e-6, atol: 1e-6, h0: 0.1 }, {}, 0.7),
      runTrainer(trainerOld, 5, 'stop', [1, 2], { rtol: 1e-6, atol: 1e-6, h0: 0.1 }, {}, 0.7));
    const nanNew = runTrainer(trainerNew, 5, 'nan', [1, 2], { rtol: 1e-6, atol: 1e-6, h0: 0.1 }, { nanAfter: 0.5 });
    expect(nanNew.r.outcome.status).toBe('nan');
    expect(nanNew.r.outcome.message).toMatch(/step size underflow/);
    expectIdentical(nanNew, runTrainer(trainerOld, 5, 'nan', [1, 2], { rtol: 1e-6, atol: 1e-6, h0: 0.1 }, { nanAfter: 0.5 }));
    const stiffNew = runTrainer(trainerNew, 6, 'stiff', [0.5, 1], { rtol: 1e-4, atol: 1e-4, h0: 1 }, { stiff: 200 });
    expect(stiffNew.r.stats.rejected).toBeGreaterThan(0);
    expectIdentical(stiffNew, runTrainer(trainerOld, 6, 'stiff', [0.5, 1], { rtol: 1e-4, atol: 1e-4, h0: 1 }, { stiff: 200 }));
  });

  it('agrees on the step budget (status and numbers; the message now prints 6 digits and t_end)', () => {
    const o = { rtol: 1e-10, atol: 1e-10, h0: 0.01, maxSteps: 15 };
    const a = runTrainer(trainerNew, 5, 'budget', [1, 3], o), b = runTrainer(trainerOld, 5, 'budget', [1, 3], o);
    expect(a.r.outcome.status).toBe('not-converged');
    expect(b.r.outcome.status).toBe('not-converged');
    expectIdentical({ ...a, r: { ...a.r, outcome: null } }, { ...b, r: { ...b.r, outcome: null } });
  });
});

describe('the mean-field integrator (PI controller, fused sums) is bitwise the legacy one', () => {
  const cases: [string, number[], Scheme][] = [
    ['automatic first step, repeated times', [0, 0, 0.3, 1, 1, 2.5], { kind: 'dopri5', rtol: 1e-8, atol: 1e-10 }],
    ['loose tolerance, huge h0 (rejections)', [0, 0.5, 4], { kind: 'dopri5', rtol: 1e-3, atol: 1e-5, h0: 5 }],
    ['a custom (weak) norm', [0, 1, 2], { kind: 'dopri5', rtol: 1e-5, atol: 1e-5, norm: (y5, y4) => Math.abs(y5[0] - y4[0]) / 1e-5 }],
    ['start = end', [1, 1, 1], { kind: 'dopri5', rtol: 1e-6, atol: 1e-6 }],
    ['step budget', [0, 50], { kind: 'dopri5', rtol: 1e-10, atol: 1e-10, maxSteps: 12 }],
    ['stiff field', [0, 0.5, 1], { kind: 'dopri5', rtol: 1e-4, atol: 1e-4 }],
  ];
  for (const [name, times, s] of cases) {
    it(`agrees to the bit: ${name}`, () => {
      const fo = name === 'stiff field' ? { stiff: 300 } : {};
      const a = runMeanField(mfNew, 8, name, times, s, fo);
      expectIdentical(a, runMeanField(mfOld, 8, name, times, s, fo));
      if (name.includes('rejections') || name === 'stiff field') expect(a.r.stats.rejected).toBeGreaterThan(0);
    });
  }

  it('agrees when the field turns NaN (status nan, same message) and when the state blows up', () => {
    const s: Scheme = { kind: 'dopri5', rtol: 1e-6, atol: 1e-6 };
    const a = runMeanField(mfNew, 4, 'nan', [0, 1, 2], s, { nanAfter: 0.6 });
    expect(a.r.status).toBe('nan');
    expectIdentical(a, runMeanField(mfOld, 4, 'nan', [0, 1, 2], s, { nanAfter: 0.6 }));
    const blow: VectorField = (_t, y, dy) => { dy[0] = y[0] * y[0] * y[0]; };
    const run = (impl: typeof mfNew) => impl(blow, Float64Array.from([1]), [0, 1], { kind: 'dopri5', rtol: 1e-6, atol: 1e-6, maxSteps: 1e5 }, () => {});
    const b = run(mfNew);
    expect(b.status).not.toBe('ok');
    expectIdentical(b, run(mfOld));
  });
});

describe('end to end, with the legacy module mocked in', () => {
  /** Import `entry` fresh, with `target` replaced by `legacy` when given. */
  async function load<T>(entry: string, target?: string, legacy?: string): Promise<T> {
    vi.resetModules();
    if (target && legacy) vi.doMock(target, () => import(legacy));
    else if (target) vi.doUnmock(target);
    try {
      const mod = (await import(entry)) as T;
      // the module graph of `entry` really holds the frozen copy (or the new code) at `target`
      if (target) expect('LEGACY' in (await import(target))).toBe(legacy !== undefined);
      return mod;
    } finally {
      if (target) vi.doUnmock(target);
    }
  }
  const trainer = ['../../src/finite/trainDopri5.js', './legacy/trainDopri5.js'] as const;
  const stepper = ['../../src/limits/meanfield/steppers.js', './legacy/steppers.js'] as const;

  it('runTrain with method flow (tanh, bias, 3 layers) gives the same result file to the bit', async () => {
    type M = typeof import('../../src/run/train.js');
    const spec = {
      data: { source: 'gaussian', n: 10, nTest: 4, dim: 3, target: 'teacher-relu', outputs: 1, seed: 3 },
      model: { depth: 3, width: 12, activation: 'tanh', parameterization: 'ntk', weightStd: 1.3, biasStd: 0.2, alpha: 1, centred: false, gamma0: 1 },
      training: { loss: 'mse', softHingeBeta: 20, method: 'flow', lr: 0.5, steps: 12, recordEvery: 3, tolerance: 1e-7, recordKernel: true },
      seed: 4,
    } as unknown as Parameters<M['runTrain']>[0];
    const strip = (r: ReturnType<M['runTrain']>) => ({ ...r, result: { ...r.result, meta: { ...r.result.meta, seconds: 0 } } });
    const a = strip((await load<M>('../../src/run/train.js', trainer[0])).runTrain(spec));
    const b = strip((await load<M>('../../src/run/train.js', ...trainer)).runTrain(spec));
    expect(a.result.status).toBe('ok');
    expect((a.result.stats as Record<string, number>).accepted).toBeGreaterThan(3);
    expectIdentical(a, b);
  });

  it('the Geiger/θ stopped flow (normalized dopri5, margin stop) gives the same records to the bit', async () => {
    type M = typeof import('../../src/regimes/geiger/stoppedFlow.js');
    const { smallArch, smallData } = await import('../finite/helpers.js');
    const { initParams } = await import('../../src/finite/params.js');
    const { makeLoss } = await import('../../src/finite/loss.js');
    const arch = smallArch('relu', 'ntk', { width: 10 });
    const data = smallData('sf', 8, 3);
    const p0 = initParams(arch, new Rng('sf'));
    const o = { loss: makeLoss('soft-hinge'), saveTimes: [0.01, 0.1, 1, 10, 100], stop: { kind: 'margin' as const }, tolerance: 1e-6, h0: 1e-3 };
    const a = (await load<M>('../../src/regimes/geiger/stoppedFlow.js', trainer[0])).stoppedFlow(arch, p0, data, o);
    const b = (await load<M>('../../src/regimes/geiger/stoppedFlow.js', ...trainer)).stoppedFlow(arch, p0, data, o);
    expect(a.out.times.length).toBeGreaterThan(2);
    expectIdentical(a, b);
  });

  it('the mean-field particle flow (ReLU, exact population risk) gives the same records to the bit', async () => {
    type M = typeof import('../../src/limits/meanfield/flow.js');
    const { parseActivation } = await import('../../src/finite/activation.js');
    const { sampleParticles } = await import('../../src/limits/meanfield/particles.js');
    const d = 3, m = 24, shape = { m, d };
    const rng = new Rng('mf-id');
    const beta = rng.fillNormal(new Float64Array(d));
    const y0 = sampleParticles({ kind: 'gaussian', aStd: 1, wStd: 0.8, symmetric: false }, shape, new Rng('mf-id/p'));
    const x = { rows: 5, cols: d, data: rng.fillNormal(new Float64Array(5 * d)) };
    const run = async (mod: M) => mod.runParticleFlow({ activation: parseActivation('relu'), wRate: 1 },
      { kind: 'population', variance: 1, target: { kind: 'linear', beta } }, shape, y0,
      { times: [0, 0.5, 1, 2, 4], scheme: { kind: 'dopri5', rtol: 1e-6, atol: 1e-8 }, inputs: [x] });
    const a = await run(await load<M>('../../src/limits/meanfield/flow.js', stepper[0]));
    const b = await run(await load<M>('../../src/limits/meanfield/flow.js', ...stepper));
    expect(a.status).toBe('ok');
    expect(a.stats.steps).toBeGreaterThan(3);
    expectIdentical(a, b);
  });
});
