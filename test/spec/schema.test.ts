import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { SPEC_FIELDS } from '../../src/spec/defaults.js';
import { specSchema } from '../../src/spec/schema.js';
import { parseSpec } from '../../src/spec/validate.js';

type Node = Record<string, any>;

/** Every object node of the schema that lists properties, by spec path ('' = top level). */
function objectNodes(node: Node, path = '', out = new Map<string, Node>()): Map<string, Node> {
  if (node.properties) {
    out.set(path, node);
    for (const [k, child] of Object.entries(node.properties as Record<string, Node>)) objectNodes(child, path === '' ? k : `${path}.${k}`, out);
  }
  for (const alt of (node.oneOf ?? []) as Node[]) objectNodes(alt, path, out);
  return out;
}

/** Specs in which a field is meaningful (fields used only by one source, preset or method). */
const CONTEXT: Record<string, object> = {
  'data.labels': { data: { source: 'mnist' } },
  'data.path': { data: { source: 'file', path: 'd.json' } },
  'model.theta': { model: { parameterization: 'theta', depth: 2 } },
  'model.initMean': { model: { parameterization: 'ip' } },
  'model.ipUnscaledBiases': { model: { parameterization: 'ip' } },
  'model.conv': { model: { conv: {} } },
  'training.batchSize': { training: { method: 'sgd' } },
  'training.epochs': { training: { method: 'sgd' } },
  'training.replace': { training: { method: 'sgd' } },
  'training.tolerance': { training: { method: 'flow' } },
  'model.parameterization.*': { model: { parameterization: { a: 0, b: 0, c: 0 } } },
};
function contextOf(path: string): Record<string, any> {
  const key = Object.keys(CONTEXT).find((k) =>
    k.endsWith('.*') ? path.startsWith(k.slice(0, -1)) : path === k || path.startsWith(`${k}.`));
  return structuredClone(key ? CONTEXT[key] : {}) as Record<string, any>;
}

/** A value the schema allows for a field. */
function sample(node: Node): unknown {
  if (node.default !== undefined) return node.default;
  if (node.examples) return node.examples[0];
  if (node.enum) return node.enum[0];
  if (node.oneOf) return sample(node.oneOf[0]);
  switch (node.type) {
    case 'integer': return Math.max(1, node.minimum ?? 1);
    case 'number': return 1;
    case 'boolean': return true;
    case 'string': return 'd.json';
    case 'object': return {};
  }
  throw new Error(`no sample for ${JSON.stringify(node)}`);
}

function setPath(obj: Record<string, any>, path: string, value: unknown): void {
  const parts = path.split('.');
  let o = obj;
  for (const p of parts.slice(0, -1)) o = o[p] ??= {};
  o[parts[parts.length - 1]] = value;
}
function getPath(obj: any, path: string): unknown {
  return path.split('.').reduce((o, p) => o?.[p], obj);
}

describe('specSchema', () => {
  const schema = specSchema() as Node;
  const nodes = objectNodes(schema);

  it('is a draft 2020-12 schema that survives a JSON round trip', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });

  it('describes the same objects and fields as the validator', () => {
    expect([...nodes.keys()].sort()).toEqual(Object.keys(SPEC_FIELDS).sort());
    for (const [path, node] of nodes) {
      expect(Object.keys(node.properties).sort(), path).toEqual([...SPEC_FIELDS[path as keyof typeof SPEC_FIELDS]].sort());
      expect(node.additionalProperties, path).toBe(false);
      for (const [k, child] of Object.entries(node.properties as Record<string, Node>)) {
        expect(typeof child.description, `${path}.${k} has a description`).toBe('string');
      }
    }
  });

  it('every field the schema lists is accepted by the validator with a schema-allowed value', () => {
    for (const [path, node] of nodes) {
      for (const [k, child] of Object.entries(node.properties as Record<string, Node>)) {
        const field = path === '' ? k : `${path}.${k}`;
        const spec = contextOf(field);
        setPath(spec, field, sample(child));
        expect(() => parseSpec(spec), field).not.toThrow();
      }
    }
  });

  it('every object the schema closes is closed in the validator too', () => {
    for (const path of nodes.keys()) {
      const spec = contextOf(path);
      const field = path === '' ? 'zzUnknown' : `${path}.zzUnknown`;
      setPath(spec, field, 1);
      try {
        parseSpec(spec);
        expect.unreachable(field);
      } catch (e) {
        expect(e, field).toBeInstanceOf(InputError);
        expect((e as InputError).where, field).toBe(field);
      }
    }
  });

  it('the schema defaults are the validator defaults', () => {
    let checked = 0;
    for (const [path, node] of nodes) {
      for (const [k, child] of Object.entries(node.properties as Record<string, Node>)) {
        if (child.default === undefined) continue;
        const field = path === '' ? k : `${path}.${k}`;
        expect(getPath(parseSpec(contextOf(field)), field), field).toEqual(child.default);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(25);
  });
});
