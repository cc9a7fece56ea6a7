/**
 * package.json's engines and the engines of every installed package agree (issue 13): each
 * dependency's `engines.node` (package-lock.json) admits the lowest version of every range the
 * project declares, and the Node running the tests. Raising a dependency that needs a newer Node
 * fails here instead of warning EBADENGINE at `npm ci`.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const semver = require('semver') as { minVersion(r: string): { version: string }; satisfies(v: string, r: string): boolean; validRange(r: string): string | null };
const root = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));
const lock = JSON.parse(readFileSync(resolve(root, 'package-lock.json'), 'utf8'));

/** The lowest version of each `||` alternative of a range: `^20.19.0 || >=22.12.0` → 20.19.0, 22.12.0. */
function floors(range: string): string[] {
  return range.split('||').map((r) => semver.minVersion(r.trim()).version);
}

describe('engines', () => {
  const declared: string = pkg.engines.node;
  const versions = [...floors(declared), process.versions.node];

  it(`every installed package admits Node ${versions.join(', ')} (package.json: ${declared})`, () => {
    expect(semver.satisfies(process.versions.node, declared)).toBe(true);
    const clashes: string[] = [];
    for (const [name, p] of Object.entries(lock.packages as Record<string, { engines?: { node?: string } | string[]; optional?: boolean; os?: string[] }>)) {
      const range = !Array.isArray(p.engines) ? p.engines?.node : undefined;
      if (!range || name === '' || p.optional || p.os) continue; // platform-specific optional binaries are not installed here
      if (!semver.validRange(range)) continue;
      for (const v of versions) if (!semver.satisfies(v, range)) clashes.push(`${name.replace(/^node_modules\//, '')} needs ${range}, not ${v}`);
    }
    expect(clashes).toEqual([]);
  });
});
