/**
 * The import rules of src/ (README, "Layout"), run by dependency-cruiser with .dependency-cruiser.cjs:
 * core ← data ← finite ← spec ← limits ← run ← harness ← regimes ← cli. The same rules on
 * test/fixtures/layers, whose files break them on purpose, must report exactly those files, so the
 * check cannot pass by matching nothing.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Violation { rule: { name: string }; from: string; to: string }

const BIN = resolve('node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
/**
 * A checkout whose node_modules predate the devDependency (a worktree not reinstalled since) skips
 * with a warning; CI installs from the lock file (`npm ci`), so there the rules always run.
 */
const installed = existsSync(BIN);
if (!installed) console.warn('test/structure/layers.test.ts: dependency-cruiser is not installed; run `npm install` to check the import layers');

function cruise(cwd: string): Violation[] {
  const bin = BIN;
  const config = resolve('.dependency-cruiser.cjs');
  let out: string;
  try {
    out = execFileSync(process.execPath, [bin, 'src', '--config', config, '--output-type', 'json'], { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  } catch (e) {
    out = (e as { stdout: string }).stdout; // exit code = number of errors; the JSON is still on stdout
  }
  return (JSON.parse(out) as { summary: { violations: Violation[] } }).summary.violations;
}

describe.skipIf(!installed)('import layers', () => {
  it('src/ breaks no rule', () => {
    const v = cruise(resolve('.'));
    expect(v.map((x) => `${x.rule.name}: ${x.from} → ${x.to}`)).toEqual([]);
  });

  it('a deliberate violation is reported (test/fixtures/layers)', () => {
    const v = cruise(resolve('test/fixtures/layers'));
    expect(v.map((x) => `${x.rule.name}: ${x.from}`).sort()).toEqual([
      'limits-imports-above: src/limits/limitsImportsAbove.ts',
      'spec-vocabulary-types-only: src/finite/specVocabularyTypesOnly.ts',
    ]);
  });
});
