/**
 * Expressions are a small language (src/core/expression.ts): the whitelisted functions give the
 * values of JavaScript's Math (bit for bit, they are the same calls), operators follow mathjs'
 * meaning (mod, comparisons as 1/0, conditionals), and everything else of mathjs is refused as
 * an InputError at the caller's field: the examples of issue 13 and bounded length and nesting.
 */
import { describe, expect, it } from 'vitest';
import { InputError } from '../../src/core/errors.js';
import { MAX_EXPRESSION_DEPTH, MAX_EXPRESSION_LENGTH, parseExpression } from '../../src/core/expression.js';

function refusal(text: string, vars = ['x1', 'x2']): string {
  try {
    parseExpression(text, vars, 'data.target');
  } catch (e) {
    if (e instanceof InputError) return `${e.where}: ${e.what}`;
    throw e;
  }
  throw new Error(`expected ${text} to be refused`);
}

describe('expression language', () => {
  it('evaluates elementary functions as Math does, in the order of the variables', () => {
    const e = parseExpression('sin(x1) * exp(-x2^2 / 2) + log1p(abs(x1)) - atan2(x2, x1) + erf(0)', ['x1', 'x2'], 'f');
    const [a, b] = [0.7, -1.3];
    expect(e.evaluate([a, b])).toBe(Math.sin(a) * Math.exp(-Math.pow(b, 2) / 2) + Math.log1p(Math.abs(a)) - Math.atan2(b, a) + 0);
  });

  it('operators: mod as mathjs (sign of the divisor), comparisons and logic as 1/0, conditionals, constants', () => {
    const v = (t: string, x = [0]) => parseExpression(t, ['x'], 'f').evaluate(x);
    expect(v('mod(-7, 3)')).toBe(2);
    expect(v('-7 % 3')).toBe(2);
    expect(v('x < 1 and x >= 0', [0.5])).toBe(1);
    expect(v('not (x == 0)', [0])).toBe(0);
    expect(v('x > 0 ? x : 0.1 * x', [-2])).toBeCloseTo(-0.2, 15);
    expect(v('0 < x < 1', [2])).toBe(0);
    expect(v('pi + e + tau')).toBe(Math.PI + Math.E + 2 * Math.PI);
    expect(v('max(x, 0, -1)', [-3])).toBe(0);
  });

  it('refuses the examples of issue 13, naming the field', () => {
    expect(refusal('f(x1)')).toMatch(/^data\.target: in "f\(x1\)": function "f" is not allowed/);
    expect(refusal('x1.constructor')).toMatch(/^data\.target: .*property or index access is not allowed/);
    expect(refusal('evaluate("x")')).toMatch(/function "evaluate" is not allowed/);
    expect(refusal('sin(x1) + "a"')).toMatch(/a string is not allowed/);
    expect(refusal('sum(ones(20000,20000))')).toMatch(/function "sum" is not allowed/);
    expect(refusal('[1, 2]')).toMatch(/a matrix or list is not allowed/);
    expect(refusal('x1 = 3')).toMatch(/an assignment is not allowed/);
    expect(refusal('x3 + 1')).toMatch(/unknown variable "x3"/);
    expect(refusal('true + x1')).toMatch(/the constant true is not allowed/);
    expect(refusal('sin(x1, x2)')).toMatch(/sin takes 1 argument\(s\), got 2/);
    expect(refusal('x1 +')).toMatch(/^data\.target: cannot parse expression/);
  });

  it('bounds length and nesting before parsing (no stack overflow, no echo of the whole text)', () => {
    const long = refusal('x1+'.repeat(400) + 'x1');
    expect(long).toMatch(new RegExp(`at most ${MAX_EXPRESSION_LENGTH} are accepted`));
    expect(long.length).toBeLessThan(300);
    const deep = `${'('.repeat(MAX_EXPRESSION_DEPTH + 1)}x1${')'.repeat(MAX_EXPRESSION_DEPTH + 1)}`;
    expect(refusal(deep)).toMatch(/nested more than 40 levels deep/);
    expect(refusal(`${'sin('.repeat(MAX_EXPRESSION_DEPTH + 1)}x1${')'.repeat(MAX_EXPRESSION_DEPTH + 1)}`)).toMatch(/nested more than/);
    expect(refusal(`${'-'.repeat(300)}x1`)).toMatch(/^data\.target: /);
  });
});
