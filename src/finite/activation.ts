/**
 * Activation functions: one description read two ways.
 *
 * An {@link Activation} carries the pointwise function and its derivative (read by the finite
 * network) and a {@link ActivationFamily} (read by the kernel maps of `src/limits/ntk`, which pick
 * the closed-form dual activation of the family, or Gauss–Hermite quadrature for `smooth`).
 * Special cases are instances of general ones: `relu` is ABReLU(0, 1), `leaky_relu:s` is
 * ABReLU(s, 1), `abs` is ABReLU(−1, 1) (theory/ntk.md#dual-activations).
 *
 * Spec strings (docs/interface.md#spec-file): `relu`, `leaky_relu:<slope>`, `abs`, `erf`, `tanh`, `gelu`, `elu`,
 * `identity`, `softplus:<beta>`, or any mathjs expression in `x` (derivative by mathjs' symbolic
 * differentiation, compiled once to a plain JavaScript function).
 */
import type { MathNode } from 'mathjs';
import { mathjs } from '../core/mathjs.js';
import { InputError, excerpt, show } from '../core/errors.js';
import { MAX_EXPRESSION_DEPTH, compileScalarNode, parseExpression } from '../core/expression.js';
import { erf, normalCdf, normalPdf } from '../core/special.js';


/** The spec strings an activation may be (help texts and the schema read this one line). */
export const ACTIVATION_SYNTAX = 'relu, leaky_relu:<slope>, abs, erf, tanh, gelu, elu, identity, softplus:<beta>, or a mathjs expression in x';

/** What the kernel maps need to know about φ. */
export type ActivationFamily =
  /** φ(u) = a·min(u,0) + b·max(u,0). */
  | { kind: 'abrelu'; a: number; b: number }
  /** φ(u) = erf(u). */
  | { kind: 'erf' }
  /** φ(u) = u. */
  | { kind: 'identity' }
  /** φ(u) = Σ_k coeffs[k] u^k (exact kernels by Wick's theorem). */
  | { kind: 'polynomial'; coeffs: number[] }
  /** Anything else: kernels by quadrature. `kinked` marks non-smooth functions (quadrature warns). */
  | { kind: 'smooth'; kinked: boolean };

export interface Activation {
  /** Canonical spec string, e.g. `relu`, `leaky_relu:0.1`, `x^3 + sin(x)`. */
  readonly name: string;
  readonly family: ActivationFamily;
  readonly f: (x: number) => number;
  readonly df: (x: number) => number;
  /** Degree of positive homogeneity φ(cu) = c^k φ(u) for c > 0, when there is one. */
  readonly homogeneity?: number;
}

/** ABReLU(a, b) (theory/ntk.md#dual-activations); relu = abrelu(0, 1). */
export function abrelu(a: number, b: number, name = `abrelu:${a},${b}`): Activation {
  return {
    name,
    family: { kind: 'abrelu', a, b },
    f: (x) => (x > 0 ? b * x : a * x),
    df: (x) => (x > 0 ? b : a),
    homogeneity: 1,
  };
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

function builtin(name: string, param: number | undefined): Activation | undefined {
  switch (name) {
    case 'relu':
      return abrelu(0, 1, 'relu');
    case 'leaky_relu': {
      const s = param ?? 0.01;
      return abrelu(s, 1, `leaky_relu:${s}`);
    }
    case 'abs':
      return abrelu(-1, 1, 'abs');
    case 'identity':
    case 'linear':
      return { name: 'identity', family: { kind: 'identity' }, f: (x) => x, df: () => 1, homogeneity: 1 };
    case 'erf':
      return {
        name: 'erf',
        family: { kind: 'erf' },
        f: erf,
        df: (x) => TWO_OVER_SQRT_PI * Math.exp(-x * x),
      };
    case 'tanh':
      return {
        name: 'tanh',
        family: { kind: 'smooth', kinked: false },
        f: Math.tanh,
        df: (x) => {
          const t = Math.tanh(x);
          return 1 - t * t;
        },
      };
    case 'gelu':
      return {
        name: 'gelu',
        family: { kind: 'smooth', kinked: false },
        f: (x) => x * normalCdf(x),
        df: (x) => normalCdf(x) + x * normalPdf(x),
      };
    case 'elu':
      // ELU with scale 1 (Clevert et al. 2015): x for x > 0, e^x − 1 otherwise; C¹ at 0
      return {
        name: 'elu',
        family: { kind: 'smooth', kinked: false },
        f: (x) => (x > 0 ? x : Math.expm1(x)),
        df: (x) => (x > 0 ? 1 : Math.exp(x)),
      };
    case 'softplus': {
      const beta = param ?? 1;
      return {
        name: `softplus:${beta}`,
        family: { kind: 'smooth', kinked: false },
        // log(1 + e^{βx})/β, written to avoid overflow
        f: (x) => {
          const z = beta * x;
          return (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) / beta;
        },
        df: (x) => {
          const z = beta * x;
          return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
        },
      };
    }
    default:
      return undefined;
  }
}

/**
 * Parse an activation spec string. Throws {@link InputError} at `where` for an unknown name or an
 * expression that does not parse, uses variables other than `x`, or is not differentiable by mathjs.
 */
export function parseActivation(spec: unknown, where = 'model.activation'): Activation {
  if (typeof spec !== 'string' || spec.trim() === '') {
    throw new InputError(where, `must be an activation name or an expression in x, got ${show(spec)}`);
  }
  const s = spec.trim();
  const m = /^([a-z_]+)(?::\s*(.+))?$/.exec(s);
  if (m) {
    let param: number | undefined;
    if (m[2] !== undefined) {
      param = Number(m[2]);
      if (!Number.isFinite(param)) throw new InputError(where, `parameter of ${m[1]} must be a number, got ${show(m[2])}`);
      if (m[1] === 'softplus' && param <= 0) throw new InputError(where, `softplus beta must be > 0, got ${param}`);
    }
    const b = builtin(m[1], param);
    if (b) {
      if (m[2] !== undefined && !['leaky_relu', 'softplus'].includes(m[1])) {
        throw new InputError(where, `${m[1]} takes no parameter, got ${show(s)}`);
      }
      return b;
    }
    if (m[2] !== undefined || m[1] !== 'x') {
      // a bare word that is not a known activation and not an expression in x
      if (!/[x]/.test(m[1]) || m[2] !== undefined) {
        throw new InputError(
          where,
          `unknown activation ${show(s)} (known: ${ACTIVATION_SYNTAX})`,
        );
      }
    }
  }
  return expressionActivation(s, where);
}

/** An activation given as a mathjs expression in x (the small language of src/core/expression.ts). */
export function expressionActivation(expr: string, where = 'model.activation'): Activation {
  const math = mathjs();
  const parsed = parseExpression(expr, ['x'], where, (s) => `unknown activation or variable ${show(s)} in ${show(expr)} (expressions may use only x)`);
  const node = parsed.node;
  checkDifferentiable(node, expr, where);
  let df: (x: number) => number;
  try {
    // unsimplified: simplify can take minutes on a large derivative, and the value is the same
    df = compileScalarNode(math.derivative(node, 'x', { simplify: false }), 'x', where, 8 * MAX_EXPRESSION_DEPTH);
  } catch (e) {
    throw new InputError(where, `mathjs cannot differentiate ${show(expr)}: ${excerpt((e as Error).message, 160)}`);
  }
  const f = compileScalarNode(node, 'x', where);
  for (const probe of [-1.3, 0.2, 0.7]) {
    if (!Number.isFinite(f(probe)) || !Number.isFinite(df(probe))) {
      throw new InputError(where, `expression ${show(expr)} is not finite at x = ${probe}`);
    }
  }
  const coeffs = polynomialCoefficients(node);
  const kinked = /\b(abs|sign|max|min|floor|ceil|round)\b/.test(expr);
  const family: ActivationFamily = coeffs ? { kind: 'polynomial', coeffs } : { kind: 'smooth', kinked };
  return { name: expr, family, f, df };
}

/** Powers with a variable exponent an activation may hold: each one multiplies its derivative's size. */
const MAX_VARIABLE_POWERS = 3;

/** Refuse expressions whose symbolic derivative grows too fast to build (x^x^x^…). */
function checkDifferentiable(node: MathNode, expr: string, where: string): void {
  let powers = 0;
  node.traverse((n: any) => {
    if (n.type === 'OperatorNode' && (n.fn === 'pow' || n.fn === 'dotPow') && n.args[1]?.type !== 'ConstantNode') powers++;
  });
  if (powers > MAX_VARIABLE_POWERS) {
    throw new InputError(where, `${show(expr)} has ${powers} powers with a variable exponent, at most ${MAX_VARIABLE_POWERS} (its derivative would grow too large)`);
  }
}

/** The highest power mathjs is asked to expand (rationalize expands (x+1)^k term by term). */
const MAX_POLY_DEGREE = 16;

/**
 * True when `node` is built from x, numbers, + − * / and powers with a constant integer exponent,
 * of degree at most MAX_POLY_DEGREE: only such trees are handed to rationalize, which otherwise
 * can run for minutes ((x+1)^1000, x·x·…·x) on an expression that is not a small polynomial anyway.
 */
function smallPolynomialShape(node: MathNode): boolean {
  const deg = degreeBound(node, 0);
  return deg !== undefined && deg <= MAX_POLY_DEGREE;
}

/** An upper bound of the polynomial degree of `n` in x, or undefined when it is not a polynomial form. */
function degreeBound(n: any, depth: number): number | undefined {
  if (depth > 200) return undefined;
  const sub = (c: any) => degreeBound(c, depth + 1);
  switch (n.type) {
    case 'ConstantNode': return typeof n.value === 'number' ? 0 : undefined;
    case 'SymbolNode': return n.name === 'x' ? 1 : 0;
    case 'ParenthesisNode': return sub(n.content);
    case 'OperatorNode': {
      const d: (number | undefined)[] = n.args.map(sub);
      if (d.some((v) => v === undefined)) return undefined;
      const [a, b] = d as number[];
      switch (n.fn) {
        case 'add': case 'subtract': return Math.max(a, b);
        case 'unaryMinus': case 'unaryPlus': return a;
        case 'multiply': case 'dotMultiply': return a + b;
        case 'divide': case 'dotDivide': return b === 0 ? a : undefined;
        case 'pow': case 'dotPow': {
          const k = n.args[1]?.type === 'ConstantNode' ? n.args[1].value : undefined;
          return typeof k === 'number' && Number.isInteger(k) && k >= 0 && k <= MAX_POLY_DEGREE ? a * k : undefined;
        }
        default: return undefined;
      }
    }
    default: return undefined;
  }
}

/** Coefficients c_0..c_k if the expression is a polynomial in x with numeric coefficients. */
function polynomialCoefficients(node: MathNode): number[] | undefined {
  if (!smallPolynomialShape(node)) return undefined;
  const math = mathjs();
  try {
    const r = math.rationalize(node, {}, true) as unknown as { coefficients: unknown[]; denominator: unknown };
    if (r.denominator !== null && r.denominator !== undefined) return undefined;
    const c = r.coefficients.map((v) => Number(v));
    if (c.length === 0 || c.some((v) => !Number.isFinite(v))) return undefined;
    return c;
  } catch {
    return undefined;
  }
}
