/**
 * The package version, read from the nearest `package.json` named `widelimit` above this file
 * (works from `src/cli` under vitest and from `dist/src/cli` after the build).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cached: string | undefined;

export function packageVersion(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      try {
        const pkg = JSON.parse(readFileSync(p, 'utf8')) as { name?: string; version?: string };
        if (pkg.name === 'widelimit' && typeof pkg.version === 'string') return (cached = pkg.version);
      } catch {
        /* not ours; keep looking */
      }
    }
    dir = dirname(dir);
  }
  return (cached = '0.0.0-unknown');
}
