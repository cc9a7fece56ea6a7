/**
 * Content hash of a sweep's spec: what decides whether a saved cell can be reused on resume.
 * Canonical JSON (object keys sorted, non-finite numbers as null) hashed with SHA-256.
 */
import { createHash } from 'node:crypto';

/**
 * Bump when the content of a cell changes for the same spec (new metric, different definition):
 * old folders then refuse to resume instead of mixing two definitions.
 */
export const CELL_FORMAT_VERSION = 1;

/** JSON with object keys in sorted order at every level (arrays keep their order). */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v instanceof Float64Array) return Array.from(v);
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  if (v !== null && typeof v === 'object') {
    const o = v as Record<string, unknown>;
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(o).sort()) if (o[k] !== undefined) out[k] = sortKeys(o[k]);
    return out;
  }
  return v;
}

/** Hex SHA-256 (first 16 hex digits) of the spec and the cell format version. */
export function specHash(spec: unknown): string {
  return createHash('sha256')
    .update(canonicalJson({ spec, cellFormat: CELL_FORMAT_VERSION }))
    .digest('hex')
    .slice(0, 16);
}
