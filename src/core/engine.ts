/**
 * Which engine computes the dense products (gemm.ts): 'native' (the addon of gemmNative.ts),
 * 'wasm' (the WebAssembly SIMD kernels of gemmWasm.ts) or 'js' (plain loops, when WebAssembly
 * SIMD is missing or WIDELIMIT_NO_WASM=1). Chosen once from WIDELIMIT_ENGINE (native | wasm;
 * default native when the addon loads); {@link setEngine} switches it for tests.
 */
import { nativeIsa, nativeThreads, nativeUnavailableReason } from './gemmNative.js';
import { wasmGemmAvailable } from './gemmWasm.js';

export type EngineKind = 'native' | 'wasm' | 'js';

let current: EngineKind | undefined;

function choose(): EngineKind {
  const want = process.env.WIDELIMIT_ENGINE;
  const fallback: EngineKind = wasmGemmAvailable() ? 'wasm' : 'js';
  if (want === 'wasm') return fallback;
  if (want !== undefined && want !== '' && want !== 'native') {
    process.stderr.write(`widelimit: WIDELIMIT_ENGINE=${want} is not an engine (native, wasm); using the default\n`);
  }
  const why = nativeUnavailableReason();
  if (why === '') return 'native';
  if (want === 'native') process.stderr.write(`widelimit: WIDELIMIT_ENGINE=native but the native engine is ${why}; using ${fallback}\n`);
  return fallback;
}

/** The engine in use. */
export function engine(): EngineKind {
  current ??= choose();
  return current;
}

/** For tests and measurements: use `e` ('native' only when the addon loads). Returns the previous engine. */
export function setEngine(e: EngineKind): EngineKind {
  const old = engine();
  if (e === 'native' && nativeUnavailableReason() !== '') throw new Error(`setEngine: the native engine is ${nativeUnavailableReason()}`);
  if (e === 'wasm' && !wasmGemmAvailable()) throw new Error('setEngine: WebAssembly SIMD is not available');
  current = e;
  return old;
}

/** Whether the native addon can be used here. */
export function nativeAvailable(): boolean {
  return nativeUnavailableReason() === '';
}

/**
 * The engine as recorded in results ("native-avx512", "wasm", "js": the thread count does not
 * change the bits, so it is left out) and, with `threads`, as printed by `widelimit --version`.
 */
export function engineLabel(threads = false): string {
  const e = engine();
  if (e !== 'native') return e;
  const t = nativeThreads();
  return `native-${nativeIsa()}${threads ? ` (${t} thread${t === 1 ? '' : 's'} per product)` : ''}`;
}
