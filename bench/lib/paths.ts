/**
 * Where the benchmark's files are, wherever it runs from: the compiled runner lives in
 * `dist/bench/lib/`, the peer scripts in `bench/peers/` of the repository.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

/** The nearest ancestor folder holding widelimit's package.json. */
function findRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'widelimit') return dir;
    const up = dirname(dir);
    if (up === dir) throw new Error('bench: cannot find the widelimit repository root');
    dir = up;
  }
}

/** Repository root. */
export const ROOT = findRoot();

/** The Python peer scripts. */
export const PEERS_DIR = join(ROOT, 'bench', 'peers');

/** The compiled CLI. */
export const CLI = join(ROOT, 'dist', 'src', 'cli', 'main.js');
