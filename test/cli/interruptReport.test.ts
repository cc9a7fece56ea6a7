/**
 * Ctrl-C during compare's report phase (src/cli/interrupt.ts: the handler stays installed through
 * the report): the real CLI is started, SIGINT is sent once the fits are printed — the report
 * (figures, report.html) is written after that line — and the process must exit 130 with the
 * resume message, leaving no temporary file and only complete files; the same command then
 * resumes (every cell reused) and finishes with the report. Needs the build.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from './helpers.js';

const MAIN = resolve(__dirname, '../../dist/src/cli/main.js');

/** Every file under `d` (relative paths). */
function walk(d: string, pre = ''): string[] {
  return readdirSync(d).flatMap((f) => (statSync(join(d, f)).isDirectory() ? walk(join(d, f), `${pre}${f}/`) : [`${pre}${f}`]));
}

describe.runIf(existsSync(MAIN))('SIGINT during the report phase of compare (built CLI)', () => {
  it('exits 130 with the resume message, no half-written file; the same command then finishes', async () => {
    const dir = tempDir('sigint');
    const spec = join(dir, 's.json');
    writeFileSync(spec, JSON.stringify({
      data: { source: 'gaussian', n: 6, nTest: 3, dim: 3, target: 'teacher-relu', seed: 0 },
      model: { depth: 1, width: 8, activation: 'relu', parameterization: 'ntk', weightStd: 1.4, biasStd: 0 },
      training: { loss: 'mse', method: 'gd', lr: 0.5, steps: 4, recordEvery: 2 },
      seed: 0,
    }));
    const out = join(dir, 'run');
    const args = [MAIN, 'compare', '--spec', spec, '--widths', '4,8', '--seeds', '2', '--out', out, '--quiet', '--workers', '1'];
    const child = spawn(process.execPath, args, { cwd: dir });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stderr.on('data', (d) => { stderr += d; });
    child.stdout.on('data', (d) => {
      stdout += d;
      // the claims are the last text before the report is written
      if (!sent && /^claims: /m.test(stdout)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await new Promise<number | null>((res) => child.on('exit', (c) => res(c)));
    expect(sent).toBe(true);
    expect(stdout).not.toMatch(/^report: /m);
    expect(code).toBe(130);
    expect(stderr.trim()).toBe(`interrupted: finished cells are saved in ${out}; run \`widelimit compare\` again with the same options to resume`);
    const files = walk(out);
    expect(files.filter((f) => f.endsWith('.tmp') || f.includes('.tmp'))).toEqual([]);
    for (const f of files.filter((x) => x.endsWith('.json'))) expect(() => JSON.parse(readFileSync(join(out, f), 'utf8')), f).not.toThrow();
    if (files.includes('report.html')) expect(readFileSync(join(out, 'report.html'), 'utf8').trimEnd()).toMatch(/<\/html>$/);
    const again = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^report: /m);
    expect(JSON.parse(readFileSync(join(out, 'timing.json'), 'utf8')).cellsReused).toBe(4);
  });
});
