// The arithmetic of the ABReLU kernel recursion of src/limits/ntk/abreluRecursion.ts on the upper
// triangle of a symmetric n × n block (arccos.cc), split around the arc cosine: JavaScript computes
// π − arccos ρ in between (Math.acos, so that the bits are those of the JavaScript loop), the engine
// does the rest, in the same operations and order, for rows [i0, i1), entries j > i, in row order.
#pragma once

namespace widelimit {

struct ArcLayer {
  double w = 0, bb = 0, u = 0, c = 0;  // Σ ← w·e0 + bb,  Θ ← u·e0 + c + Θ·w·e1
};

struct ArcShape {
  double* S = nullptr;
  double* T = nullptr;
  long n = 0, i0 = 0, i1 = 0;
  const double* q = nullptr;  // √Σ^l_ii of this layer, n entries
};

// With `first`, S ← f.w·S + f.bb and T ← f.u·S + f.c (the first layer, from K⁰) before; then
// rho[e] = clip(S/s) where s = q_i·q_j > 0, else 0 (unused), e over the entries in row order.
void arcBefore(const ArcShape& a, bool first, const ArcLayer& f, double* rho);

// E[φφ], E[φ'φ'] of ABReLU(a, b) from rho and pt = π − arccos ρ, then the layer's update of S and T.
// relu: a = 0, b = 1 (ab = 0 and c2 = 1 dropped: the JavaScript loop's shorter form).
void arcAfter(const ArcShape& a, const double* rho, const double* pt, bool relu, double ab, double c2, double degOne,
              double degBoth, const ArcLayer& l);

// S[j·n + i] = S[i·n + j] and the same for T, for i in [i0, i1), j > i.
void arcMirror(const ArcShape& a);

}  // namespace widelimit
