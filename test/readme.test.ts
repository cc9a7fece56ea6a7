/**
 * The README's library example, run as written: the ```ts block of "Use it as a library", with
 * the package name pointed at src/index.ts and its output folder in a temporary directory.
 */
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

describe('README', () => {
  it('the library example runs as written and writes its report', async () => {
    const readme = readFileSync(resolve('README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Use it as a library'));
    const m = /```ts\n([\s\S]*?)```/.exec(section);
    expect(m).not.toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'widelimit-readme-'));
    const out = join(dir, 'runs', 'library');
    const code = m![1]
      .replace("from 'widelimit'", `from ${JSON.stringify(pathToFileURL(resolve('src/index.ts')).href)}`)
      .replaceAll("'runs/library'", JSON.stringify(out));
    expect(code).not.toContain("'widelimit'");
    const file = join(dir, 'example.ts');
    writeFileSync(file, code);
    const logs: unknown[][] = [];
    const spy = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { logs.push(a); });
    try {
      await import(pathToFileURL(file).href);
    } finally {
      spy.mockRestore();
    }
    // first line: finite status and loss, the inferred limit and its loss
    expect(logs[0][0]).toBe('ok');
    expect(logs[0][2]).toBe('ntk');
    expect(Number(logs[0][1])).toBeLessThan(0.5);
    // the fitted exponent of the function distance (about −0.5; 4 seeds: within ±0.25) and the report
    expect(logs[1][0]).toBe('fTrainSup');
    expect(Math.abs(Number(logs[1][1]) + 0.5)).toBeLessThan(0.25);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
  });
});
