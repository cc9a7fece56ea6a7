/**
 * Property-based fuzzing of the CLI with hostile inputs (issue 13): malformed specs, data files,
 * expressions and option values across train, limit, kernel and compare, run in process through
 * `main(argv, io)`. Every case must end in exit 2 with one `error:` line, exit 3 with a non-ok
 * result, or exit 0 with an ok result holding no null — never an internal error, a hang, a changed
 * input or a temporary file left behind (oracle.ts).
 *
 * A fifth group runs valid but numerically hostile specs (generators.ts, badNumerics) through
 * train, limit and compare: they reach the run and must end in a status, not an input error.
 *
 * FUZZ_RUNS (default 520) sets the number of cases, split over the five groups; FUZZ_SEED the
 * fast-check seed (default 13, so CI runs the same cases); FUZZ_REPORT a file for the counts.
 */
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { parseSpec } from '../../src/spec/validate.js';
import { badNumerics, dataText, expression, optionValue, specText } from './generators.js';
import { runCase, type CaseResult, type Verdict } from './oracle.js';

const RUNS = Number(process.env.FUZZ_RUNS ?? 520);
const SEED = Number(process.env.FUZZ_SEED ?? 13);
const GOOD: Verdict[] = ['input-error', 'numerical-failure', 'ok'];
const counts: Record<string, number> = {};
/** Verdicts per group (train, limit, kernel, compare, numerics). */
const byGroup: Record<string, Record<string, number>> = {};
/** The first error lines seen per group and verdict (for FUZZ_REPORT). */
const samples: Record<string, string[]> = {};
const failures: CaseResult[] = [];
/** The slowest cases (for FUZZ_REPORT), with their files. */
const slowest: Array<{ ms: number; verdict: string; argv: string; files: Record<string, string> }> = [];

function tally(group: string, r: CaseResult): boolean {
  counts[r.verdict] = (counts[r.verdict] ?? 0) + 1;
  const g = (byGroup[group] ??= {});
  g[r.verdict] = (g[r.verdict] ?? 0) + 1;
  const list = (samples[`${group} ${r.verdict}`] ??= []);
  if (list.length < 12) list.push(r.stderr.split('\n').find((l) => l.startsWith('error:'))?.slice(0, 200) ?? '');
  const good = GOOD.includes(r.verdict);
  if (!good && failures.length < 20) failures.push(r);
  return good;
}

function caseDir(): string {
  return mkdtempSync(join(tmpdir(), 'wl-fuzz-'));
}

function specValid(text: string): boolean {
  try {
    parseSpec(JSON.parse(text.replace(/^\ufeff/, '')));
    return true;
  } catch {
    return false;
  }
}

/** Run `n` cases of `arb` (each builds its files and argv in a fresh folder). */
async function fuzz<T>(group: string, n: number, arb: fc.Arbitrary<T>, build: (dir: string, v: T) => { files: Record<string, string>; argv: string[]; out?: string }): Promise<void> {
  await fc.assert(
    fc.asyncProperty(arb, async (v) => {
      const dir = caseDir();
      try {
        const c = build(dir, v);
        if (process.env.FUZZ_TRACE) appendFileSync(process.env.FUZZ_TRACE, `${JSON.stringify({ argv: c.argv, files: c.files }).slice(0, 2000)}\n`);
        const r = await runCase(dir, c.files, c.argv, c.out);
        tally(group, r);
        slowest.push({ ms: Math.round(r.ms), verdict: r.verdict, argv: r.argv.join(' ').slice(0, 300), files: Object.fromEntries(Object.entries(c.files).map(([k, t]) => [k, t.slice(0, 400)])) });
        slowest.sort((a, b) => b.ms - a.ms).splice(10);
        return true; // every case is counted; the last test asserts the counts (failures keep their argv)
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }),
    { numRuns: n, seed: SEED, endOnFailure: true },
  );
}

const share = Math.ceil(RUNS / 5);

describe(`fuzz: ${RUNS} hostile inputs through the CLI action layer`, () => {
  afterAll(() => {
    if (process.env.FUZZ_REPORT) writeFileSync(process.env.FUZZ_REPORT, JSON.stringify({ runs: RUNS, seed: SEED, counts, byGroup, samples, failures, slowest }, null, 1));
  });

  it('train: malformed specs, option values, outputs onto inputs', async () => {
    const arb = fc.record({ spec: specText, width: fc.option(optionValue), seed: fc.option(optionValue), clash: fc.constantFrom('none', 'none', 'spec', 'save-init') });
    await fuzz('train', share, arb, (dir, v) => {
      const S = join(dir, 's.json');
      const O = join(dir, 'r.json');
      const argv = ['train', '--spec', S, '--out', v.clash === 'spec' ? S : O];
      if (v.width !== null) argv.push('--width', v.width);
      if (v.seed !== null) argv.push('--seed', v.seed);
      if (v.clash === 'save-init') argv.push('--save-init', O);
      return { files: { 's.json': v.spec }, argv, out: v.clash === 'none' ? O : undefined };
    });
  });

  it('limit: malformed specs and outputs onto inputs', async () => {
    const arb = fc.record({ spec: specText, clash: fc.boolean() });
    await fuzz('limit', share, arb, (dir, v) => {
      const S = join(dir, 's.json');
      const O = join(dir, 'r.json');
      return { files: { 's.json': v.spec }, argv: ['limit', '--spec', S, '--out', v.clash ? S : O], out: v.clash ? undefined : O };
    });
  });

  it('kernel: malformed data files, depths and activation expressions', async () => {
    const arb = fc.record({
      data: dataText, ext: fc.constantFrom('.json', '.csv', ''), depth: fc.oneof(fc.constant('1'), optionValue),
      act: fc.oneof(fc.constantFrom('relu', 'tanh', 'erf', 'leaky_relu:0.1', 'softplus:-1'), expression(['x'])),
      npy: fc.boolean(), clash: fc.constantFrom('none', 'none', 'data', 'x2'),
    });
    await fuzz('kernel', share, arb, (dir, v) => {
      const D = join(dir, `d${v.ext}`);
      const O = join(dir, v.npy ? 'k.npy' : 'k.json');
      const argv = ['kernel', '--data', D, '--depth', v.depth, '--activation', v.act, '--out', v.clash === 'data' ? D : O];
      if (v.clash === 'x2') argv.push('--x2', O);
      return { files: { [`d${v.ext}`]: v.data }, argv, out: v.clash === 'none' ? O : undefined };
    });
  });

  it('compare: malformed specs, widths and seeds (never a full sweep)', async () => {
    const arb = fc.record({ spec: specText, widths: fc.oneof(fc.constant('4'), optionValue), seeds: fc.oneof(fc.constant('1'), optionValue) });
    await fuzz('compare', share, arb, (dir, v) => {
      const S = join(dir, 's.json');
      // a valid spec with valid widths would run a sweep: keep the case about input errors
      const widths = specValid(v.spec) && /^\d+(,\d+)*$/.test(v.widths) ? `${v.widths},x` : v.widths;
      return { files: { 's.json': v.spec }, argv: ['compare', '--spec', S, '--widths', widths, '--seeds', v.seeds, '--out', join(dir, 'run'), '--quiet', '--no-report', '--workers', '1'] };
    });
  });

  it('train, limit, compare: valid but numerically hostile specs end in a status (exit 3) or a clean ok', async () => {
    const arb = fc.record({ c: badNumerics, cmd: fc.constantFrom('train', 'limit', 'limit', 'compare') });
    await fuzz('numerics', share, arb, (dir, v) => {
      const S = join(dir, 's.json');
      const files: Record<string, string> = { 's.json': v.c.spec, ...(v.c.data !== null ? { 'd.json': v.c.data } : {}) };
      if (v.cmd === 'compare') {
        return { files, argv: ['compare', '--spec', S, '--widths', '4,8', '--seeds', '2', '--out', join(dir, 'run'), '--quiet', '--no-report', '--workers', '1'], out: join(dir, 'run', 'results.json') };
      }
      const O = join(dir, 'r.json');
      return { files, argv: [v.cmd, '--spec', S, '--out', O], out: O };
    });
  }, 120_000 + 2_000 * share);

  it('counts: no internal error, hang, silent bad result, overwritten input or temporary file', () => {
    const bad = ['internal', 'hang', 'silent-bad-result', 'overwritten-input', 'temp-left', 'bad-error-line'];
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(Math.min(RUNS, 500));
    expect(failures.map((f) => `${f.verdict} (exit ${f.code}) ${f.argv.join(' ').slice(0, 300)}\n  ${f.stderr.slice(0, 300)}`)).toEqual([]);
    for (const b of bad) expect(counts[b] ?? 0).toBe(0);
  });
});
