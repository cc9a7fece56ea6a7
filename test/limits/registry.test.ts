import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { inferLimit } from '../../src/limits/builtin.js';
import { parseSpec } from '../../src/spec/validate.js';

const spec = (model: object, extra: object = {}) => parseSpec({ model, ...extra });

describe('inferLimit', () => {
  it('refuses an unregistered name at limit, listing the registered ones', () => {
    try {
      inferLimit(spec({}, { limit: 'nngp' }));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).where).toBe('limit');
      expect((e as InputError).what).toMatch(/unknown limit "nngp"; registered: deeplinear, meanfield, ntk/);
    }
  });

  it('uses the named limit', () => {
    expect(inferLimit(spec({ parameterization: 'meanfield', depth: 3 }, { limit: 'ntk' }))).toEqual({ limit: 'ntk', reason: 'ntk: named in the spec' });
  });

  it('identity + meanfield → deeplinear (any depth)', () => {
    for (const depth of [1, 3]) expect(inferLimit(spec({ parameterization: 'meanfield', activation: 'identity', depth })).limit).toBe('deeplinear');
  });

  it('meanfield with depth 1 → meanfield', () => {
    expect(inferLimit(spec({ parameterization: 'meanfield', depth: 1 })).limit).toBe('meanfield');
  });

  it('presets with width-independent kernel scales → ntk, with the reason naming the parameterization', () => {
    for (const p of ['ntk', 'geiger']) {
      expect(inferLimit(spec({ parameterization: p }))).toEqual({ limit: 'ntk', reason: `ntk: frozen-kernel limit of the ${p} parameterization` });
    }
    expect(inferLimit(spec({ parameterization: 'theta', depth: 1 })).limit).toBe('ntk');
    expect(inferLimit(spec({ parameterization: { a: [0, 0.5, 0.5], b: 0, c: 0 } })).reason).toBe('ntk: frozen-kernel limit of the abc parameterization');
  });

  it('width-dependent presets are refused by the ntk limit with the scale that moves (read off the layers, not the name)', () => {
    const cases: [object, RegExp][] = [
      [{ parameterization: 'standard' }, /ntk: the kernel scales of the standard parameterization depend on the width \(layer 2 weightTangent: 256\.0 at h = 256, 512\.0 at h = 512\)/],
      [{ parameterization: 'ip' }, /ntk: ip \(integrable parameterization\) has no NTK limit/],
      [{ parameterization: 'ip-llr' }, /ntk: ip-llr \(integrable parameterization\) has no NTK limit/],
      [{ parameterization: { a: 0.5, b: 0, c: 0 } }, /ntk: the kernel scales of the abc parameterization depend on the width \(layer 1 weightVar/],
      [{ parameterization: 'meanfield', depth: 2, activation: 'relu' }, /ntk: the kernel scales of the meanfield parameterization depend on the width \(layer 1 weightTangent/],
    ];
    for (const [model, why] of cases) {
      expect(() => inferLimit(spec(model))).toThrow(why);
    }
    expect(inferLimit(spec({ parameterization: 'standard' }, { limit: 'ntk' })).limit).toBe('ntk');
  });

  it('meanfield, depth > 1, nonlinear: InputError at limit asking to name one', () => {
    try {
      inferLimit(spec({ parameterization: 'meanfield', depth: 2, activation: 'relu' }));
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InputError);
      expect((e as InputError).where).toBe('limit');
      expect((e as InputError).what).toMatch(/no limit is implemented.*name one/);
    }
  });
});
