/**
 * Explicit Runge–Kutta methods as data (Butcher tableaux): the solvers of {@link solve} other than
 * odex. Each tableau is defined here once (theory/numerics.md#ode-interface).
 *
 * Convention: stages 1…S with nodes c (c[0] = 0) and rows a[s] (s entries for stage s + 1, a[0]
 * empty); y₁ = y + h·Σ b_j k_j. Every step ends with one evaluation k_end = f(t + h, y₁) (the next
 * step's k₁, and the value the caller monitors); for a FSAL pair such as Dormand–Prince this is
 * its seventh stage. `e` (embedded pairs only) has S + 1 weights: err = h·(Σ_{j≤S} e_j k_j +
 * e_{S+1} k_end) is y₁ − ŷ₁, ŷ₁ the embedded lower-order solution.
 */
export interface ButcherTableau {
  readonly name: string;
  /** Order of y₁. */
  readonly order: number;
  readonly c: readonly number[];
  readonly a: readonly (readonly number[])[];
  readonly b: readonly number[];
  /** b − b̂ (and the weight of k_end), for embedded pairs; absent for fixed-step methods. */
  readonly e?: readonly number[];
}

/** Explicit Euler: y₁ = y + h f(t, y). Order 1. */
export const EULER: ButcherTableau = Object.freeze({ name: 'euler', order: 1, c: [0], a: [[]], b: [1] });

/** The classical fourth-order Runge–Kutta method (Hairer, Nørsett, Wanner I, Table II.1.2). */
export const RK4: ButcherTableau = Object.freeze({
  name: 'rk4', order: 4, c: [0, 1 / 2, 1 / 2, 1], a: [[], [1 / 2], [0, 1 / 2], [0, 0, 1]], b: [1 / 6, 1 / 3, 1 / 3, 1 / 6],
});

/**
 * Dormand–Prince 5(4) (Dormand & Prince 1980, J. Comp. Appl. Math. 6:19; Hairer, Nørsett, Wanner I,
 * Table II.5.2): six stages, the seventh (FSAL) is k_end; e = b − b̂ with b̂ the 4th-order weights.
 */
export const DOPRI5: ButcherTableau = Object.freeze({
  name: 'dopri5',
  order: 5,
  c: [0, 1 / 5, 3 / 10, 4 / 5, 8 / 9, 1],
  a: [
    [],
    [1 / 5],
    [3 / 40, 9 / 40],
    [44 / 45, -56 / 15, 32 / 9],
    [19372 / 6561, -25360 / 2187, 64448 / 6561, -212 / 729],
    [9017 / 3168, -355 / 33, 46732 / 5247, 49 / 176, -5103 / 18656],
  ],
  b: [35 / 384, 0, 500 / 1113, 125 / 192, -2187 / 6784, 11 / 84],
  e: [71 / 57600, 0, -71 / 16695, 71 / 1920, -17253 / 339200, 22 / 525, -1 / 40],
});
