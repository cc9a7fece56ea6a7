/**
 * Targets of the `gaussian` source (theory/data.md#targets):
 * - `teacher-relu` / `teacher-relu:<m>`: a random two-layer ReLU teacher (`teacher.ts`), mean 0,
 *   variance 1 under N(0, I_d);
 * - `linear`: β·x/√d with β ~ N(0, I_d);
 * - `sign`: sign(β·x/√d) (same β; sign(0) = +1);
 * - a mathjs expression in x1..xd (one output), e.g. `"x1 * x2 + sin(x3)"`.
 * With k > 1 outputs, output j has its own teacher / β drawn from `rng.child(j)`.
 */
import { parseExpression as parseChecked } from '../core/expression.js';
import { InputError, show } from '../core/errors.js';
import { mat, type Mat } from '../core/matrix.js';
import type { Rng } from '../core/rng.js';
import { applyReluTeacher, drawReluTeacher, TEACHER_WIDTH, type ReluTeacher } from './teacher.js';

/** A parsed target name, before any random draw. */
export type TargetKind =
  | { kind: 'teacher-relu'; width: number }
  | { kind: 'linear' }
  | { kind: 'sign' }
  | { kind: 'expression'; expr: string; code: (x: ArrayLike<number>) => number };

/** A target ready to evaluate: the kind plus what was drawn for each of the k outputs. */
export type Target =
  | { kind: 'teacher-relu'; teachers: ReluTeacher[] }
  | { kind: 'linear'; beta: Mat }
  | { kind: 'sign'; beta: Mat }
  | { kind: 'expression'; expr: string; code: (x: ArrayLike<number>) => number };

/**
 * Parse `data.target` for inputs of dimension `dim` and `outputs` outputs. Unknown names, bad
 * syntax, variables other than x1..x<dim>, and an expression with outputs > 1 are InputErrors.
 */
export function parseTarget(target: unknown, dim: number, outputs: number, where = 'data.target'): TargetKind {
  if (typeof target !== 'string' || target.trim() === '') {
    throw new InputError(where, `must be teacher-relu, linear, sign or a mathjs expression in x1..x${dim}, got ${show(target)}`);
  }
  const s = target.trim();
  if (s === 'teacher-relu') return { kind: 'teacher-relu', width: TEACHER_WIDTH };
  const m = /^teacher-relu:(.*)$/.exec(s);
  if (m) {
    const w = Number(m[1]);
    if (!Number.isInteger(w) || w <= 0) throw new InputError(where, `teacher width must be a positive integer, got ${show(m[1])}`);
    return { kind: 'teacher-relu', width: w };
  }
  if (s === 'linear') return { kind: 'linear' };
  if (s === 'sign') return { kind: 'sign' };
  return parseExpression(s, dim, outputs, where);
}

function parseExpression(expr: string, dim: number, outputs: number, where: string): TargetKind {
  const variables = Array.from({ length: dim }, (_, i) => `x${i + 1}`);
  const parsed = parseChecked(expr, variables, where, (name) => {
    const xm = /^x([1-9]\d*)$/.exec(name);
    const what = xm ? `variable ${show(name)}, but data.dim is ${dim}` : `unknown target or variable ${show(name)}`;
    return `${what} (known: teacher-relu, linear, sign, or a mathjs expression in x1..x${dim})`;
  });
  if (outputs !== 1) throw new InputError(where, `an expression target has one output, but data.outputs is ${outputs}`);
  return { kind: 'expression', expr, code: parsed.evaluate };
}

/** Draw the random parts: output j uses `rng.child(j)` (teacher or β ~ N(0, I_d)). */
export function drawTarget(kind: TargetKind, dim: number, outputs: number, rng: Rng): Target {
  switch (kind.kind) {
    case 'teacher-relu': {
      const teachers: ReluTeacher[] = [];
      for (let j = 0; j < outputs; j++) teachers.push(drawReluTeacher(dim, kind.width, rng.child(j)));
      return { kind: 'teacher-relu', teachers };
    }
    case 'linear':
    case 'sign': {
      const beta = mat(outputs, dim);
      for (let j = 0; j < outputs; j++) rng.child(j).fillNormal(beta.data.subarray(j * dim, (j + 1) * dim));
      return { kind: kind.kind, beta };
    }
    case 'expression':
      return kind;
    default: {
      const never: never = kind;
      throw new Error(`unknown target ${show(never)}`);
    }
  }
}

/** Targets for each row of X (n×d): an n×k matrix. Non-finite expression values are InputErrors. */
export function evaluateTarget(t: Target, X: Mat, where = 'data.target'): Mat {
  const n = X.rows;
  const d = X.cols;
  switch (t.kind) {
    case 'teacher-relu': {
      const out = mat(n, t.teachers.length);
      t.teachers.forEach((teacher, j) => applyReluTeacher(teacher, X, out, j));
      return out;
    }
    case 'linear':
    case 'sign': {
      const k = t.beta.rows;
      const out = mat(n, k);
      const scale = 1 / Math.sqrt(d);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < k; j++) {
          let s = 0;
          for (let q = 0; q < d; q++) s += t.beta.data[j * d + q] * X.data[i * d + q];
          s *= scale;
          out.data[i * k + j] = t.kind === 'linear' ? s : s >= 0 ? 1 : -1;
        }
      }
      return out;
    }
    case 'expression': {
      const out = mat(n, 1);
      for (let i = 0; i < n; i++) {
        const v = t.code(X.data.subarray(i * d, (i + 1) * d));
        if (!Number.isFinite(v)) throw new InputError(where, `expression ${show(t.expr)} is not a finite number at input ${i}, got ${show(v)}`);
        out.data[i] = v;
      }
      return out;
    }
    default: {
      const never: never = t;
      throw new Error(`unknown target ${show(never)}`);
    }
  }
}
