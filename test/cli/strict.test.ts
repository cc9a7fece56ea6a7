import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { capture, tempDir } from './helpers.js';

async function run(argv: string[]) {
  const c = capture();
  const code = await main(argv, c.io);
  return { code, out: c.out(), err: c.err() };
}

/** A saved plug-in run whose metric d ∝ x^-0.4 over 8 seeds, with a stored claim p = −0.5 ± 0.05. */
function savedRun(dir: string): void {
  mkdirSync(dir, { recursive: true });
  const records = [];
  for (let s = 0; s < 8; s++) for (const x of [64, 256, 1024, 4096]) records.push({ width: x, seed: s, metric: 'd', value: Math.pow(x, -0.4) * (1 + 0.01 * Math.sin(7 * s + x)) });
  const fit = { metric: 'd', exponent: -0.4, intercept: 0, ci: [-0.41, -0.39], level: 0.95, nBoot: 1000, r2: 1, widths: [64, 256, 1024, 4096], nSeeds: 8, means: [], expected: -0.5, tolerance: 0.05, relation: 'equal', verdict: 'pass', status: 'ok', message: '' };
  const claim = { id: 'rate', paper: 'test', statement: 'd ∝ x^-1/2', quantity: 'd', prediction: -0.5, derivation: 'theory/harness.md#claims', tolerance: 0.05, toleranceReason: 'test', rule: 'equal', estimate: -0.4, ci: [-0.41, -0.39], seeds: 8, status: 'pass', reason: 'old point-estimate verdict' };
  writeFileSync(join(dir, 'results.json'), JSON.stringify({ format: 'widelimit-results/1', kind: 'not-registered', name: 'synthetic', claim: 'd ∝ x^-1/2', axis: { name: 'width', label: 'x' }, widths: [64, 256, 1024, 4096], seeds: [0, 1, 2, 3, 4, 5, 6, 7], records, fits: [fit], status: 'ok', message: '', versions: {}, references: [], claims: [claim] }));
  writeFileSync(join(dir, 'curves.json'), '[]');
}

describe('experiment rejudge and --strict', () => {
  it('re-decides a saved claim on its interval, prints it, and --strict exits 4 on a failed claim (default 0)', async () => {
    const dir = join(tempDir('strict'), 'run');
    savedRun(dir);
    const plain = await run(['experiment', 'rejudge', dir]);
    expect(plain.code).toBe(0);
    expect(plain.out).toMatch(/claims: 0 pass, 1 fail, 0 inconclusive\n {2}FAIL rate: d = −0\.4 \[−0\.41, −0\.39\], predicted −0\.5 ± 0\.05 — CI \[−0\.41, −0\.39\] outside \[−0\.55, −0\.45\]/);
    const saved = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'));
    expect(saved.claims[0].status).toBe('fail');
    expect(saved.fits[0].verdict).toBe('fail');
    const strict = await run(['experiment', 'rejudge', dir, '--strict']);
    expect(strict.code).toBe(4);
  });
});
