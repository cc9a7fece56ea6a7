/**
 * Parameterizations (theory/conventions.md#presets): every preset is a function that returns layers
 * (src/finite/layers/presets/, one file each: ntk, standard, meanfield, ip and ip-llr, geiger,
 * theta, and the explicit width-exponent form "abc", Yang–Hu 2021, arXiv 2011.14522 §3
 * `m_l = c^m_l h^{−a_l}`, `s_l = c^s_l h^{−b_l}`, `r_l = h^{−c_l}`). This module reads them into
 * the trainer's flat {@link Architecture} and parses `model.parameterization`.
 */
import { InputError, show } from '../core/errors.js';
import type { Architecture } from './architecture.js';
import { buildNetwork, toArchitecture } from './layers/build.js';
import { type AbcParameterization, type ArchitectureOptions, presetNames } from './layers/presets/index.js';

export type { AbcParameterization, ArchitectureOptions, ConvOptions, ThetaExponents } from './layers/presets/index.js';
export { ipSigma } from './layers/presets/index.js';

/** The built-in preset names (model.parameterization), in table order. */
export const PRESETS: readonly string[] = presetNames();
/** A preset's name (see {@link PRESETS}). */
export type Preset = string;

/** Resolve a preset or an abc object into per-layer numbers (the layers of {@link buildNetwork}, flattened). */
export function buildArchitecture(o: ArchitectureOptions): Architecture {
  return toArchitecture(buildNetwork(o), o.activation);
}

/** Parse `model.parameterization` (a preset name or an abc object). */
export function parseParameterization(v: unknown, where = 'model.parameterization'): Preset | AbcParameterization {
  if (typeof v === 'string') {
    if (presetNames().includes(v)) return v;
    throw new InputError(where, `unknown parameterization ${show(v)} (known: ${presetNames().join(', ')}, or an object {a, b, c})`);
  }
  if (typeof v === 'object' && v !== null && !Array.isArray(v)) {
    const o = v as Record<string, unknown>;
    for (const key of Object.keys(o)) {
      if (!['a', 'b', 'c', 'cm', 'cs'].includes(key)) throw new InputError(`${where}.${key}`, 'unknown field (allowed: a, b, c, cm, cs)');
    }
    for (const key of ['a', 'b', 'c']) if (!(key in o)) throw new InputError(`${where}.${key}`, 'is required for an explicit abc parameterization');
    return o as unknown as AbcParameterization;
  }
  throw new InputError(where, `must be a preset name or an object {a, b, c}, got ${show(v)}`);
}
