// The ABReLU kernel recursion around the arc cosine (arccos.h). Compiled with -ffp-contract=off:
// every expression is the JavaScript one of src/limits/ntk/abreluRecursion.ts and core/arccos.ts,
// evaluated left to right with one rounding per operation (division and square root are IEEE
// correctly rounded, as JavaScript's), so the bits are those of the JavaScript loop; and with
// -fno-math-errno -fno-trapping-math (no errno from sqrt, no floating-point traps assumed: values
// unchanged), so that the loops vectorize.
#include "arccos.h"

#include <algorithm>
#include <cmath>

namespace widelimit {

namespace {

// core/arccos.ts: RHO_SNAP and the clipping bounds, INV_2PI
constexpr double RHO_SNAP = 4e-15;
const double HI = 1 - RHO_SNAP;
const double LO = RHO_SNAP - 1;
const double INV_2PI = 1 / (2 * 3.141592653589793);

inline double clipRho(double r) { return r > HI ? 1 : r < LO ? -1 : r; }

}  // namespace

// The loops below are branch-free (both sides of each choice computed, then selected: the same
// values), so that the compiler vectorizes them; AVX2 where the CPU has it (target_clones).
__attribute__((target_clones("avx2", "default")))
void arcBefore(const ArcShape& a, bool first, const ArcLayer& f, double* rho) {
  const long n = a.n;
  long e = 0;
  for (long i = a.i0; i < a.i1; i++) {
    double* __restrict S = a.S + i * n;
    double* __restrict T = a.T + i * n;
    const double* __restrict q = a.q;
    double* __restrict out = rho + e - (i + 1);  // out[j] for j > i
    const double qi = q[i];
    if (first) {
      for (long j = i + 1; j < n; j++) {
        const double k0 = S[j];
        S[j] = f.w * k0 + f.bb;
        T[j] = f.u * k0 + f.c;
      }
    }
    for (long j = i + 1; j < n; j++) {
      const double s = qi * q[j];
      const bool pos = s > 0;
      const double r = clipRho(S[j] / (pos ? s : 1.0));
      out[j] = pos ? r : 0.0;
    }
    e += n - 1 - i;
  }
}

__attribute__((target_clones("avx2", "default")))
void arcAfter(const ArcShape& a, const double* rho, const double* pt, bool relu, double ab, double c2, double degOne,
              double degBoth, const ArcLayer& l) {
  const long n = a.n;
  const double w = l.w, bb = l.bb, u = l.u, c = l.c;
  long e = 0;
  for (long i = a.i0; i < a.i1; i++) {
    double* __restrict S = a.S + i * n;
    double* __restrict T = a.T + i * n;
    const double* __restrict q = a.q;
    const double* __restrict r0 = rho + e - (i + 1);
    const double* __restrict p0 = pt + e - (i + 1);
    const double qi = q[i];
    if (relu) {
      for (long j = i + 1; j < n; j++) {
        const double s = qi * q[j];
        const double r = r0[j], p = p0[j];
        const bool pos = s > 0;
        const double e0 = pos ? s * (std::sqrt(1 - r * r) + p * r) * INV_2PI : 0.0;
        const double e1 = pos ? p * INV_2PI : 0.0;
        S[j] = w * e0 + bb;
        T[j] = u * e0 + c + T[j] * w * e1;
      }
    } else {
      for (long j = i + 1; j < n; j++) {
        const double qj = q[j];
        const double s = qi * qj;
        const double r = r0[j], p = p0[j];
        const bool pos = s > 0;
        const double deg = qi > 0 || qj > 0 ? degOne : degBoth;
        const double e0 = pos ? ab * r * s + c2 * (s * (std::sqrt(1 - r * r) + p * r) * INV_2PI) : 0.0;
        const double e1 = pos ? ab + c2 * (p * INV_2PI) : deg;
        S[j] = w * e0 + bb;
        T[j] = u * e0 + c + T[j] * w * e1;
      }
    }
    e += n - 1 - i;
  }
}

void arcMirror(const ArcShape& a) {
  const long n = a.n;
  // column strips of the block's rows, row j by row j: each row's entries of the strip are adjacent
  for (long j = a.i0 + 1; j < n; j++) {
    const long i1 = std::min(a.i1, j);
    for (long i = a.i0; i < i1; i++) {
      a.S[j * n + i] = a.S[i * n + j];
      a.T[j * n + i] = a.T[i * n + j];
    }
  }
}

}  // namespace widelimit
