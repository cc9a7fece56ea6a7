/**
 * Expressions of targets and activations as a small language (README, "Data"; theory/data.md#targets):
 * numbers, the caller's variables, the constants pi, e, tau, phi, the arithmetic operators
 * + − * / ^ mod, comparisons, and / or / not, `c ? a : b`, and the elementary functions of
 * {@link FUNCTIONS}. Nothing else of mathjs is reachable: no strings, matrices, property access,
 * assignments, user functions or `evaluate`. Text length and nesting are bounded, every check is
 * an {@link InputError} at the caller's field, and evaluation is plain JavaScript generated from
 * the checked tree (no mathjs evaluator at run time).
 */
import type { MathNode } from 'mathjs';
import { InputError, excerpt, show } from './errors.js';
import { mathjs } from './mathjs.js';
import { erf } from './special.js';

/** The longest expression text accepted (characters). */
export const MAX_EXPRESSION_LENGTH = 500;
/** The deepest nesting of an expression tree (operators, calls, parentheses). */
export const MAX_EXPRESSION_DEPTH = 40;

/** Functions: JavaScript template (`#0`, `#1` the arguments, `#*` all) and the numbers of arguments. */
const FUNCTIONS: Record<string, { js: string; arity: number[] | 'many' }> = {
  abs: { js: 'Math.abs(#0)', arity: [1] }, sign: { js: 'Math.sign(#0)', arity: [1] },
  sqrt: { js: 'Math.sqrt(#0)', arity: [1] }, cbrt: { js: 'Math.cbrt(#0)', arity: [1] },
  exp: { js: 'Math.exp(#0)', arity: [1] }, expm1: { js: 'Math.expm1(#0)', arity: [1] },
  log: { js: 'Math.log(#0)', arity: [1] }, log1p: { js: 'Math.log1p(#0)', arity: [1] },
  log2: { js: 'Math.log2(#0)', arity: [1] }, log10: { js: 'Math.log10(#0)', arity: [1] },
  sin: { js: 'Math.sin(#0)', arity: [1] }, cos: { js: 'Math.cos(#0)', arity: [1] }, tan: { js: 'Math.tan(#0)', arity: [1] },
  sec: { js: '(1 / Math.cos(#0))', arity: [1] }, csc: { js: '(1 / Math.sin(#0))', arity: [1] }, cot: { js: '(1 / Math.tan(#0))', arity: [1] },
  asin: { js: 'Math.asin(#0)', arity: [1] }, acos: { js: 'Math.acos(#0)', arity: [1] }, atan: { js: 'Math.atan(#0)', arity: [1] },
  atan2: { js: 'Math.atan2(#0, #1)', arity: [2] },
  sinh: { js: 'Math.sinh(#0)', arity: [1] }, cosh: { js: 'Math.cosh(#0)', arity: [1] }, tanh: { js: 'Math.tanh(#0)', arity: [1] },
  sech: { js: '(1 / Math.cosh(#0))', arity: [1] }, csch: { js: '(1 / Math.sinh(#0))', arity: [1] }, coth: { js: '(1 / Math.tanh(#0))', arity: [1] },
  asinh: { js: 'Math.asinh(#0)', arity: [1] }, acosh: { js: 'Math.acosh(#0)', arity: [1] }, atanh: { js: 'Math.atanh(#0)', arity: [1] },
  erf: { js: 'erf(#0)', arity: [1] },
  floor: { js: 'Math.floor(#0)', arity: [1] }, ceil: { js: 'Math.ceil(#0)', arity: [1] }, round: { js: 'Math.round(#0)', arity: [1] },
  max: { js: 'Math.max(#*)', arity: 'many' }, min: { js: 'Math.min(#*)', arity: 'many' },
  hypot: { js: 'Math.hypot(#*)', arity: 'many' },
  pow: { js: 'Math.pow(#0, #1)', arity: [2] }, mod: { js: 'mod(#0, #1)', arity: [2] },
  square: { js: '((#0) * (#0))', arity: [1] }, cube: { js: '((#0) * (#0) * (#0))', arity: [1] },
};

/** Operators by mathjs function name: JavaScript template. Comparisons and logic give 1 or 0. */
const OPERATORS: Record<string, string> = {
  add: '(#0 + #1)', subtract: '(#0 - #1)', multiply: '(#0 * #1)', divide: '(#0 / #1)',
  dotMultiply: '(#0 * #1)', dotDivide: '(#0 / #1)', pow: 'Math.pow(#0, #1)', dotPow: 'Math.pow(#0, #1)',
  mod: 'mod(#0, #1)', unaryMinus: '(-#0)', unaryPlus: '(+#0)',
  smaller: '(#0 < #1 ? 1 : 0)', larger: '(#0 > #1 ? 1 : 0)', smallerEq: '(#0 <= #1 ? 1 : 0)',
  largerEq: '(#0 >= #1 ? 1 : 0)', equal: '(#0 === #1 ? 1 : 0)', unequal: '(#0 !== #1 ? 1 : 0)',
  and: '(#0 && #1 ? 1 : 0)', or: '(#0 || #1 ? 1 : 0)', xor: '(!#0 !== !#1 ? 1 : 0)', not: '(#0 ? 0 : 1)',
};

const CONSTANTS: Record<string, string> = {
  pi: 'Math.PI', PI: 'Math.PI', e: 'Math.E', E: 'Math.E', tau: '(2 * Math.PI)', phi: '((1 + Math.sqrt(5)) / 2)',
};

/** The constants an expression may use besides its variables. */
export const EXPRESSION_CONSTANTS = Object.keys(CONSTANTS);
/** The functions an expression may call. */
export const EXPRESSION_FUNCTIONS = Object.keys(FUNCTIONS);

/** A symbol that is neither a variable nor a constant (its name kept for the caller's message). */
class UnknownSymbol extends InputError {
  constructor(where: string, readonly symbol: string) {
    super(where, `unknown variable ${show(symbol)}`);
  }
}

/** mathjs' mod: x − y·floor(x/y) (the sign of y), x when y = 0. */
function mod(x: number, y: number): number {
  return y === 0 ? x : x - y * Math.floor(x / y);
}

/** Deepest `(` nesting of the text: checked before parsing, which recurses on it. */
function parenDepth(text: string): number {
  let d = 0;
  let max = 0;
  for (const c of text) {
    if (c === '(') max = Math.max(max, ++d);
    else if (c === ')') d--;
  }
  return max;
}

/** What a node is, for "… is not allowed" messages. */
function describeNode(n: any): string {
  switch (n.type) {
    case 'ConstantNode': return typeof n.value === 'string' ? 'a string' : `the constant ${show(n.value)}`;
    case 'AccessorNode': return 'property or index access';
    case 'IndexNode': return 'indexing';
    case 'ArrayNode': return 'a matrix or list';
    case 'ObjectNode': return 'an object';
    case 'AssignmentNode': case 'FunctionAssignmentNode': return 'an assignment';
    case 'BlockNode': return 'several statements';
    case 'RangeNode': return 'a range';
    case 'OperatorNode': return `the operator ${show(n.op)}`;
    default: return `${n.type ?? 'this construct'}`;
  }
}

/**
 * Check `node` (and below) against the language and return its JavaScript text. `variable(name)`
 * gives the JavaScript of a variable or undefined when the name is not one.
 */
function toJs(n: any, variable: (name: string) => string | undefined, where: string, depth: number, maxDepth = MAX_EXPRESSION_DEPTH): string {
  if (depth > maxDepth) throw new InputError(where, `expression is nested more than ${maxDepth} levels deep`);
  const sub = (c: any) => toJs(c, variable, where, depth + 1, maxDepth);
  const fill = (tpl: string, args: string[]) => tpl.replace('#*', args.join(', ')).replace(/#(\d)/g, (_, i) => args[Number(i)]);
  switch (n.type) {
    case 'ParenthesisNode':
      return sub(n.content);
    case 'ConstantNode':
      if (typeof n.value !== 'number') throw new InputError(where, `${describeNode(n)} is not allowed (expressions hold numbers only)`);
      return `(${String(n.value)})`;
    case 'SymbolNode': {
      const v = variable(n.name);
      if (v !== undefined) return v;
      if (n.name in CONSTANTS) return CONSTANTS[n.name];
      throw new UnknownSymbol(where, n.name);
    }
    case 'OperatorNode': {
      const tpl = OPERATORS[n.fn];
      if (tpl === undefined) throw new InputError(where, `${describeNode(n)} is not allowed`);
      return fill(tpl, n.args.map(sub));
    }
    case 'ConditionalNode':
      return `(${sub(n.condition)} ? ${sub(n.trueExpr)} : ${sub(n.falseExpr)})`;
    case 'RelationalNode': {
      const params: string[] = n.params.map(sub);
      const parts = (n.conditionals as string[]).map((c, i) => fill(OPERATORS[c] ?? '0', [params[i], params[i + 1]]));
      return `(${parts.join(' && ')} ? 1 : 0)`;
    }
    case 'FunctionNode': {
      const name = n.fn?.type === 'SymbolNode' ? (n.fn.name as string) : undefined;
      const f = name !== undefined && Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
      if (f === undefined) {
        const what = name !== undefined ? `function ${show(name)}` : 'calling the result of an expression';
        throw new InputError(where, `${what} is not allowed (functions: ${EXPRESSION_FUNCTIONS.join(', ')})`);
      }
      const ok = f.arity === 'many' ? n.args.length >= 1 : f.arity.includes(n.args.length);
      if (!ok) throw new InputError(where, `${name} takes ${f.arity === 'many' ? 'at least 1' : f.arity.join(' or ')} argument(s), got ${n.args.length}`);
      return fill(f.js, n.args.map(sub));
    }
    default:
      throw new InputError(where, `${describeNode(n)} is not allowed in an expression`);
  }
}

/** A checked expression: the mathjs tree (for symbolic work) and its evaluator. */
export interface Expression {
  text: string;
  node: MathNode;
  /** Value at the variables' values, in the order of `variables`. */
  evaluate: (values: ArrayLike<number>) => number;
}

/** Parse `text` into a mathjs tree, with its length and parenthesis depth bounded first. */
export function parseExpressionText(text: string, where: string): MathNode {
  if (text.length > MAX_EXPRESSION_LENGTH) {
    throw new InputError(where, `expression is ${text.length} characters long, at most ${MAX_EXPRESSION_LENGTH} are accepted: ${show(text)}`);
  }
  if (parenDepth(text) > MAX_EXPRESSION_DEPTH) throw new InputError(where, `expression is nested more than ${MAX_EXPRESSION_DEPTH} levels deep`);
  try {
    return mathjs().parse(text);
  } catch (e) {
    const why = e instanceof RangeError ? 'nested too deeply' : excerpt((e as Error).message, 120);
    throw new InputError(where, `cannot parse expression ${show(text)}: ${why}`);
  }
}

/** Compile a checked tree over `variables` (names; the evaluator takes their values in this order). */
export function compileNode(node: MathNode, variables: readonly string[], where: string): (values: ArrayLike<number>) => number {
  const index = new Map(variables.map((v, i) => [v, i]));
  const body = toJs(node, (name) => (index.has(name) ? `v[${index.get(name)}]` : undefined), where, 0);
  // the body is built only from the tables above, numbers and v[i]: no user text reaches it
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const fn = new Function('erf', 'mod', 'v', `return ${body};`) as (e: typeof erf, m: typeof mod, v: ArrayLike<number>) => number;
  return (values) => Number(fn(erf, mod, values));
}

/**
 * Compile a checked tree in one variable `name` to a scalar function (for hot loops). `maxDepth`
 * is larger for trees made by mathjs from a checked one (a derivative is deeper than its function).
 */
export function compileScalarNode(node: MathNode, name: string, where: string, maxDepth = MAX_EXPRESSION_DEPTH): (x: number) => number {
  const body = toJs(node, (s) => (s === name ? 'x' : undefined), where, 0, maxDepth);
  // built only from the tables above, numbers and x (see compileNode)
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const fn = new Function('erf', 'mod', 'x', `return ${body};`) as (e: typeof erf, m: typeof mod, x: number) => number;
  return fn.bind(null, erf, mod) as (x: number) => number;
}

/**
 * Parse and check an expression over `variables`. `unknown(name)` words the error for a symbol
 * that is neither a variable nor a constant (for example "variable x7, but data.dim is 5").
 */
export function parseExpression(text: string, variables: readonly string[], where: string, unknown?: (name: string) => string): Expression {
  const node = parseExpressionText(text, where);
  let evaluate: Expression['evaluate'];
  try {
    evaluate = compileNode(node, variables, where);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    if (e instanceof UnknownSymbol && unknown) throw new InputError(where, unknown(e.symbol));
    throw new InputError(where, `in ${show(text)}: ${e.what}`);
  }
  return { text, node, evaluate };
}
