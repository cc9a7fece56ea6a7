/**
 * The built CLI end to end (dist/src/cli/main.js): worker threads need compiled JavaScript, so these
 * tests spawn `node dist/src/cli/main.js`. CI runs `npm run build` first; without dist the tests
 * fail under CI and are skipped (with a note) elsewhere.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { paths } from '../../src/harness/folder.js';
import { specHash } from '../../src/harness/hash.js';
import type { CellRecord, CompareResults } from '../../src/harness/types.js';
import { parseSpec } from '../../src/spec/validate.js';
import { TINY_SPEC_JSON, tempDir } from './fixtures.js';

const MAIN = resolve(__dirname, '../../dist/src/cli/main.js');
const HAVE_DIST = existsSync(MAIN) && existsSync(resolve(__dirname, '../../dist/src/harness/worker.js'));

function cli(args: string[], cwd?: string) {
  const r = spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', cwd, timeout: 120_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function writeSpec(dir: string, json: unknown): string {
  const p = join(dir, 'spec.json');
  writeFileSync(p, JSON.stringify(json));
  return p;
}

if (!HAVE_DIST) {
  if (process.env.CI) {
    it('the built CLI exists (dist/src/cli/main.js)', () => {
      throw new Error(`${MAIN} not found: run \`npm run build\` before the tests (CI must build first)`);
    });
  } else {
    it.skip('built CLI tests skipped: dist/src/cli/main.js not found (run `npm run build`)', () => {});
  }
} else {
  describe('widelimit compare / experiment / report (built CLI)', () => {
    it('a bad --widths is an input error: exit 2 and one line `error: --widths: …`', () => {
      const dir = tempDir('cli-bad');
      const r = cli(['compare', '--spec', writeSpec(dir, TINY_SPEC_JSON), '--widths', '64,abc', '--seeds', '2', '--out', join(dir, 'o')]);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: --widths: .*"abc" is not a positive integer\n$/);
      expect(existsSync(join(dir, 'o'))).toBe(false);
    });

    it('1 worker and 2 workers write byte-identical results.json', () => {
      const dir = tempDir('cli-workers');
      const spec = writeSpec(dir, TINY_SPEC_JSON);
      const base = ['compare', '--spec', spec, '--widths', '16,32,64', '--seeds', '3', '--quiet', '--no-report'];
      const a = cli([...base, '--out', join(dir, 'a'), '--workers', '1']);
      const b = cli([...base, '--out', join(dir, 'b'), '--workers', '2']);
      expect(a.code).toBe(0);
      expect(b.code).toBe(0);
      expect(JSON.parse(readFileSync(join(dir, 'b', 'timing.json'), 'utf8')).workers).toBe(2);
      expect(readFileSync(join(dir, 'a', 'results.json')).equals(readFileSync(join(dir, 'b', 'results.json')))).toBe(true);
    });

    it('SIGKILL mid-sweep, then the same command: byte-identical results.json, and no half-written file at any time', async () => {
      const dir = tempDir('cli-kill');
      // widths up to 2048 at n = 16, 200 steps: a few seconds on two threads, so there is a middle to kill in
      const spec = writeSpec(dir, { ...TINY_SPEC_JSON, data: { ...TINY_SPEC_JSON.data, n: 16 }, training: { ...TINY_SPEC_JSON.training, steps: 200, recordEvery: 20 } });
      const args = (out: string) => [MAIN, 'compare', '--spec', spec, '--widths', '32,128,512,2048', '--seeds', '3', '--out', out, '--workers', '2', '--quiet', '--no-report'];
      const killed = join(dir, 'killed');
      const bad: string[] = [];
      /** Every visible file must be complete JSON (temporaries start with '.'). */
      const inspect = (out: string) => {
        for (const d of [out, join(out, 'cells')]) {
          if (!existsSync(d)) continue;
          for (const f of readdirSync(d)) {
            if (f.startsWith('.') || !f.endsWith('.json')) continue;
            try {
              JSON.parse(readFileSync(join(d, f), 'utf8'));
            } catch (e) {
              bad.push(`${d}/${f}: ${(e as Error).message}`);
            }
          }
        }
      };
      const child: ChildProcess = spawn(process.execPath, args(killed), { stdio: 'ignore' });
      const exited = new Promise<void>((res) => child.on('exit', () => res()));
      let cellsAtKill = -1;
      for (let i = 0; i < 6000 && cellsAtKill < 0; i++) {
        inspect(killed);
        const cells = existsSync(paths.cells(killed)) ? readdirSync(paths.cells(killed)).filter((f) => !f.startsWith('.')).length : 0;
        if (existsSync(paths.results(killed))) break;
        if (cells >= 2) {
          child.kill('SIGKILL');
          cellsAtKill = cells;
        } else await new Promise((r) => setTimeout(r, 5));
      }
      await exited;
      expect(cellsAtKill, 'the sweep finished before it could be killed').toBeGreaterThanOrEqual(2);
      expect(cellsAtKill).toBeLessThan(12);
      expect(existsSync(paths.results(killed))).toBe(false);
      inspect(killed);
      expect(bad).toEqual([]);

      const resumed = cli(args(killed).slice(1));
      expect(resumed.code).toBe(0);
      const timing = JSON.parse(readFileSync(paths.timing(killed), 'utf8'));
      expect(timing.cellsReused).toBeGreaterThanOrEqual(2);
      expect(readdirSync(paths.cells(killed)).filter((f) => f.startsWith('.'))).toEqual([]); // temporaries cleaned

      const straight = cli(args(join(dir, 'straight')).slice(1));
      expect(straight.code).toBe(0);
      expect(readFileSync(paths.results(killed)).equals(readFileSync(paths.results(join(dir, 'straight'))))).toBe(true);
    });

    it('a cell that failed numerically: the sweep goes on, results and report are written, exit 3', () => {
      const dir = tempDir('cli-fail');
      const specPath = writeSpec(dir, TINY_SPEC_JSON);
      const out = join(dir, 'o');
      mkdirSync(paths.cells(out), { recursive: true });
      const cell: CellRecord = {
        format: 'widelimit-cell/1', specHash: specHash(parseSpec(TINY_SPEC_JSON)), width: 32, seed: 0, initSeed: 0,
        status: 'diverged', message: 'train loss above 1e8 at step 7', metrics: {},
        curves: { times: [], trainLoss: [], testLoss: [], fTrainDev: [], fTestDev: [] }, fTestFinal: [], fTestCentred: [], seconds: 0,
      };
      writeFileSync(paths.cell(out, 32, 0), JSON.stringify(cell));
      const r = cli(['compare', '--spec', specPath, '--widths', '16,32', '--seeds', '2', '--out', out, '--quiet']);
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/^error: failed: 1 of 4 cells failed; fits use the rest\n$/);
      const results = JSON.parse(readFileSync(paths.results(out), 'utf8')) as CompareResults;
      expect(results.failed).toBe(1);
      expect(results.cells.find((c) => c.width === 32 && c.seed === 0)?.status).toBe('diverged');
      expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('Failed cells');
    });

    it('experiment list / run --quick / report: the run prints where its report is', () => {
      const dir = tempDir('cli-exp');
      const list = cli(['experiment', 'list']);
      expect(list.code).toBe(0);
      expect(list.stdout).toContain('ntk-relu-gaussian  [compare]');
      const out = join(dir, 'q');
      const run = cli(['experiment', 'run', 'ntk-relu-gaussian', '--quick', '--out', out, '--quiet']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(`report: ${join(out, 'report.html')}`);
      expect(run.stdout).toMatch(/fTrainSup +p = +−0\.\d+ +95% CI/);
      const rep = cli(['report', out]);
      expect(rep.code).toBe(0);
      expect(rep.stdout).toContain(`report: ${join(out, 'report.html')}`);
      const missing = cli(['report', join(dir, 'nothing')]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/^error: .*nothing: folder not found/);
    });
  });
}
