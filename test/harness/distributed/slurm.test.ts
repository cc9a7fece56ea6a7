/**
 * `--emit-slurm FILE` (built CLI): the emitted job-array script, run by hand as a bash loop over
 * its indices with SLURM_ARRAY_TASK_ID set, then `widelimit report DIR`, reproduces the
 * results.json of a local run byte for byte.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCompare } from '../../../src/harness/compare.js';
import { paths } from '../../../src/harness/folder.js';
import { TINY_SPEC_JSON, tempDir, tinySpec } from '../fixtures.js';

const MAIN = resolve(__dirname, '../../../dist/src/cli/main.js');
const HAVE_DIST = existsSync(MAIN);

function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ...env } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

if (!HAVE_DIST) {
  if (process.env.CI) it('the built CLI exists', () => { throw new Error(`${MAIN} not found: run npm run build first`); });
  else it.skip('Slurm tests skipped: dist/src/cli/main.js not found (run `npm run build`)', () => {});
} else {
  describe('widelimit compare --emit-slurm, widelimit cell, widelimit report (built CLI)', () => {
    it('the script run by hand over its indices, then report DIR, gives the bytes of a local run', async () => {
      const dir = tempDir('slurm');
      const spec = join(dir, 'spec.json');
      writeFileSync(spec, JSON.stringify(TINY_SPEC_JSON));
      const out = join(dir, 'shared');
      const script = join(dir, 'sweep.sbatch');
      const emit = run(process.execPath, [MAIN, 'compare', '--spec', spec, '--widths', '16,32', '--seeds', '2', '--out', out, '--emit-slurm', script]);
      expect(emit.code, emit.stderr).toBe(0);
      expect(emit.stdout).toContain(`sbatch ${script}`);
      const text = readFileSync(script, 'utf8');
      expect(text).toMatch(/^#!\/bin\/bash\n/);
      expect(text).toContain('#SBATCH --array=0-3\n');
      expect(existsSync(paths.results(out))).toBe(false);

      // before any task ran, report names the missing indices (exit 2)
      const early = run(process.execPath, [MAIN, 'report', out]);
      expect(early.code).toBe(2);
      expect(early.stderr).toMatch(/4 of 4 cells have not run yet \(indices 0-3\)/);

      const loop = run('bash', ['-c', `for i in 0 1 2 3; do SLURM_ARRAY_TASK_ID=$i bash "$1" || exit 1; done`, 'loop', script]);
      expect(loop.code, loop.stderr).toBe(0);
      expect(loop.stdout).toMatch(/^cell 0: w32-s0 ok/);
      const report = run(process.execPath, [MAIN, 'report', out]);
      expect(report.code, report.stderr).toBe(0);
      expect(existsSync(join(out, 'report.html'))).toBe(true);

      await runCompare(tinySpec(), { widths: [16, 32], seeds: 2, out: join(dir, 'local'), workers: 1, progress: false });
      expect(readFileSync(paths.results(out)).equals(readFileSync(paths.results(join(dir, 'local'))))).toBe(true);
    });

    it('experiment run: a compare-kind experiment emits its plan with its name; other kinds and bad flags are input errors', () => {
      const dir = tempDir('slurm-exp');
      const script = join(dir, 'x.sbatch');
      const ok = run(process.execPath, [MAIN, 'experiment', 'run', 'ntk-relu-gaussian', '--quick', '--out', join(dir, 'e'), '--emit-slurm', script]);
      expect(ok.code, ok.stderr).toBe(0);
      const plan = JSON.parse(readFileSync(join(dir, 'e', 'plan.json'), 'utf8'));
      expect(plan.options.name).toBe('ntk-relu-gaussian (quick)');
      expect(existsSync(paths.results(join(dir, 'e')))).toBe(false);
      const other = run(process.execPath, [MAIN, 'experiment', 'run', 'geiger-alpha-scan', '--quick', '--out', join(dir, 'g'), '--emit-slurm', script]);
      expect(other.code).toBe(2);
      expect(other.stderr).toMatch(/^error: --emit-slurm: applies to experiments of kind compare; geiger-alpha-scan is of kind geiger-alpha-scan/);
      const both = run(process.execPath, [MAIN, 'compare', '--spec', 'x.json', '--widths', '16,32', '--out', join(dir, 'c'), '--queue', 'redis://127.0.0.1:1', '--emit-slurm', script]);
      expect(both.code).toBe(2);
      expect(both.stderr).toMatch(/^error: --emit-slurm: cannot be combined with --queue/);
      const badUrl = run(process.execPath, [MAIN, 'worker', '--queue', 'localhost:6379']);
      expect(badUrl.code).toBe(2);
      expect(badUrl.stderr).toMatch(/^error: --queue: must start with redis:\/\//);
    });
  });
}
