// Register-blocked FMA micro-kernels of the native gemm engine (one translation unit per ISA,
// each compiled with its own -m flags; gemm.cc picks one at run time by CPU detection).
//
// A kernel computes one MR×NR tile T = Σ_{p<kc} Ap[p] ⊗ Bp[p] from packed panels
// (Ap[p·MR + r] = a(i0 + r, p), Bp[p·NR + c] = b(p, j0 + c)) and stores it row-major (stride NR).
// Each entry is one chain of fused multiply-adds, p ascending from +0, so its bits depend only on
// the operands' values, never on the tile's position or on which thread computes it.
#pragma once

namespace widelimit {

using Kernel = void (*)(long kc, const double* ap, const double* bp, double* t);

struct KernelInfo {
  const char* isa;
  int mr;
  int nr;
  Kernel kernel;
};

KernelInfo avx512Kernel();
KernelInfo avx2Kernel();

}  // namespace widelimit
