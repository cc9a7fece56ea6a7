/**
 * The parameterization presets (theory/conventions.md#presets), by name. A new preset is one file in this
 * folder and one line here; the trainer, the spec's validation and schema, the kernel readings and
 * the limits' inference read it through this table.
 *
 * | preset    | source |
 * |-----------|--------|
 * | ntk       | Jacot, Gabriel, Hongler 2018 (arXiv 1806.07572), Eq. (1) |
 * | standard  | usual PyTorch-style init; its NTK grows with width |
 * | meanfield | Bordelon–Pehlevan 2022 (arXiv 2205.09653) §2; = μP of Yang–Hu 2021 |
 * | ip, ip-llr| Hajjar, Chizat, Giraud 2021 (arXiv 2110.15596) §3 and their code |
 * | geiger    | Geiger, Spigler, Jacot, Wyart 2020 (arXiv 1906.08034) §2 |
 * | theta     | Luo, Xu, Ma, Zhang 2021 (JMLR 22:71) Eq. (2); Li, Luo, Zhou 2024 (arXiv 2404.04859) |
 * | abc       | explicit width exponents, Yang–Hu 2021 (arXiv 2011.14522) §3 (an object, not a name) |
 */
import { abcPreset } from './abc.js';
import { geigerPreset } from './geiger.js';
import { ipLlrPreset, ipPreset } from './ip.js';
import { meanfieldPreset } from './meanfield.js';
import { ntkPreset } from './ntk.js';
import type { AbcParameterization, PresetDefinition } from './options.js';
import { standardPreset } from './standard.js';
import { thetaPreset } from './theta.js';

const NAMED: readonly PresetDefinition[] = [ntkPreset, standardPreset, meanfieldPreset, ipPreset, ipLlrPreset, geigerPreset, thetaPreset];

const table = new Map(NAMED.map((p) => [p.name, p]));

/** Names a spec may give as model.parameterization, in table order. */
export function presetNames(): string[] {
  return [...table.keys()];
}

/** The preset a parameterization names (abc for an object), or undefined for an unknown name. */
export function findPreset(p: string | AbcParameterization): PresetDefinition | undefined {
  return typeof p === 'string' ? table.get(p) : abcPreset;
}

/** The preset a built network names ({@link Serial.preset}: a table name or `abc`). */
export function presetNamed(name: string): PresetDefinition | undefined {
  return name === abcPreset.name ? abcPreset : table.get(name);
}

export type { AbcParameterization, ArchitectureOptions, ConvOptions, PresetDefinition, ThetaExponents } from './options.js';
export { ipSigma } from './ip.js';
