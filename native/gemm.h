// The native engine's general matrix product with fused epilogues (see gemm.cc).
#pragma once
#include <cstdint>

namespace widelimit {

// What is applied to each finished entry c of C (row i, column j), after alpha·op(A)op(B) + beta·C:
enum EpilogueKind : int {
  kNone = 0,
  kAbrelu = 1,     // z = c (+ bs·vec[j] when vec), p = [z > 0], mask[i·n + j] = p (when mask), c = (a + ba·p)·z
  kSlopeAct = 2,   // c = c·(a + ba·[vec[i·n + j] > 0])
  kSlopeMask = 3,  // c = c·(a + ba·mask[i·n + j])
  kSlopeTable = 4, // c = c·vec[i·n + j]
};

struct Epilogue {
  int kind = kNone;
  double a = 0, ba = 0, bs = 0;
  const double* vec = nullptr;
  uint8_t* mask = nullptr;
};

struct GemmCall {
  bool tA = false, tB = false;
  long m = 0, n = 0, k = 0;
  double alpha = 1, beta = 0;
  const double* A = nullptr;
  const double* B = nullptr;
  double* C = nullptr;
  Epilogue epi;
  // Only the tiles holding an entry on or above the diagonal (j ≥ i): the upper triangle of a
  // square product (entries below it inside those tiles are written too, the others not at all).
  bool upper = false;
};

// Which kernel runs ("avx512", "avx2"), or nullptr when the CPU has neither AVX2 with FMA nor AVX-512.
const char* gemmIsa();

// C ← alpha·op(A)op(B) + beta·C (beta = 0: C is not read), then the epilogue; `threads` ≥ 1.
// The bits do not depend on `threads`.
void gemm(const GemmCall& call, int threads);

}  // namespace widelimit
