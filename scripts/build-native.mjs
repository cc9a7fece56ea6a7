// `npm ci` / `npm install` step: build the native engine (binding.gyp, native/*.cc) with node-gyp.
// Never fails the install: without a compiler, Python or Node's headers, widelimit keeps its
// WebAssembly engine (src/core/engine.ts) and this prints why. WIDELIMIT_SKIP_NATIVE=1 skips it.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const say = (msg) => process.stderr.write(`widelimit: ${msg}\n`);

function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    join(dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    join(root, 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  ];
  return candidates.find((p) => p && existsSync(p)) ?? null;
}

function main() {
  if (process.env.WIDELIMIT_SKIP_NATIVE === '1') return say('native engine not built (WIDELIMIT_SKIP_NATIVE=1); the WebAssembly engine will be used');
  const gyp = nodeGyp();
  if (!gyp) return say('native engine not built (node-gyp not found); the WebAssembly engine will be used');
  const args = [gyp, 'rebuild'];
  // Node's own headers when they are installed beside it (no download needed)
  const prefix = join(dirname(process.execPath), '..');
  if (existsSync(join(prefix, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${prefix}`);
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status === 0) return say('native engine built (build/Release/widelimit_native.node)');
  const tail = (r.stderr ?? String(r.error ?? '')).trim().split('\n').slice(-4).join('\n  ');
  say(`native engine not built; the WebAssembly engine will be used. node-gyp said:\n  ${tail}`);
}

main();
