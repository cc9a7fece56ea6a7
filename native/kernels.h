// Register-blocked FMA micro-kernels of the native gemm engine (one translation unit per ISA,
// each compiled with its own -m flags; gemm.cc picks one at run time by CPU detection).
//
// A kernel computes one MR×NR tile T = Σ_{p<kc} Ap[p] ⊗ Bp[p] from packed panels
// (Ap[p·MR + r] = a(i0 + r, p), Bp[p·NR + c] = b(p, j0 + c)) and writes it into C (row stride ldc):
// mode 0: c = alpha·t; mode 1: c = c + alpha·t; mode 2: c = beta·c + alpha·t (each a separate
// multiply and add, never fused, so the same bits as the scalar edge path of gemm.cc).
// Each entry of T is one chain of fused multiply-adds, p ascending from +0, so its bits depend only
// on the operands' values, never on the tile's position or on which thread computes it.
#pragma once

namespace widelimit {

using Kernel = void (*)(long kc, const double* ap, const double* bp, double* c, long ldc, int mode, double alpha, double beta);

struct KernelInfo {
  const char* isa;
  int mr;
  int nr;
  Kernel kernel;
};

KernelInfo avx512Kernel();
KernelInfo avx2Kernel();

}  // namespace widelimit
