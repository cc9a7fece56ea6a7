/**
 * Where the package lives (its root holds package.json and experiments/), found from this
 * module's URL so that it works from TypeScript sources (src/run) and from dist (dist/src/run)
 * alike; and the version, read from that package.json (the one source of the version).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { engineLabel } from '../core/engine.js';

let root: string | undefined;

/** The folder of widelimit's package.json. */
export function packageRoot(): string {
  if (root) return root;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const p = join(dir, 'package.json');
    if (existsSync(p)) {
      try {
        if (JSON.parse(readFileSync(p, 'utf8')).name === 'widelimit') return (root = dir);
      } catch { /* not ours */ }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error('widelimit: cannot find the package root (package.json) above ' + fileURLToPath(import.meta.url));
    dir = up;
  }
}

let version: string | undefined;

/** widelimit's version from package.json. */
export function packageVersion(): string {
  version ??= String(JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version);
  return version;
}

/**
 * Versions recorded in results (deterministic for one installation: no dates), with the engine of
 * the dense products ("native-avx512", "wasm", …: results differ in rounding between engines).
 */
export function versions(): Record<string, string> {
  return { widelimit: packageVersion(), node: process.version, engine: engineLabel() };
}
