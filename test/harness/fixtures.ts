/** Shared tiny configurations of the harness tests (a sweep of a few cells runs in well under a second). */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseSpec } from '../../src/spec/validate.js';
import type { Spec } from '../../src/spec/types.js';

/** A one-hidden-layer ReLU NTK net on 8 Gaussian points, 20 GD steps. */
export const TINY_SPEC_JSON = {
  data: { source: 'gaussian', n: 8, nTest: 8, dim: 4, target: 'teacher-relu', seed: 3 },
  model: { depth: 1, width: 32, activation: 'relu', parameterization: 'ntk', weightStd: 1.4142 },
  training: { loss: 'mse', method: 'gd', lr: 1, steps: 20, recordEvery: 5 },
  seed: 0,
};

export function tinySpec(over: Partial<Record<string, unknown>> = {}): Spec {
  return parseSpec({ ...TINY_SPEC_JSON, ...over });
}

export function tempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), `widelimit-${prefix}-`));
}
