// Packing of the native gemm's operands (pack.cc): op(A) into panels of MR rows, op(B) into
// panels of NR columns, K-block [pc, pc + kc), in the layouts the kernels read (kernels.h), padding
// zeros. A pure copy: no value changes.
#pragma once

#include "gemm.h"

namespace widelimit {

// Panels of MR rows of op(A), rows [i0, i1): panel ib at out + ib·kc·MR, out[p·MR + r] = a(i0 + ib·MR + r, pc + p).
void packA(const GemmCall& c, long i0, long i1, long pc, long kc, int MR, double* out);

// Panels of NR columns of op(B), columns [j0, j1): out[(jb·kc + p)·NR + q] = b(pc + p, j0 + jb·NR + q).
void packB(const GemmCall& c, long j0, long j1, long pc, long kc, int NR, double* out);

}  // namespace widelimit
