// AVX2 micro-kernel (compiled with -mavx2 -mfma): a 4×12 tile in 12 ymm accumulators; per p,
// three vector loads of B and four broadcasts of A feed 12 fused multiply-adds.
#include <immintrin.h>

#include "kernels.h"

namespace widelimit {

static void kernel4x12(long kc, const double* ap, const double* bp, double* c, long ldc, int mode, double alpha, double beta) {
  __m256d acc[4][3];
#pragma GCC unroll 4
  for (int r = 0; r < 4; r++) {
    acc[r][0] = _mm256_setzero_pd();
    acc[r][1] = _mm256_setzero_pd();
    acc[r][2] = _mm256_setzero_pd();
  }
  for (long p = 0; p < kc; p++) {
    const __m256d b0 = _mm256_loadu_pd(bp);
    const __m256d b1 = _mm256_loadu_pd(bp + 4);
    const __m256d b2 = _mm256_loadu_pd(bp + 8);
#pragma GCC unroll 4
    for (int r = 0; r < 4; r++) {
      const __m256d a = _mm256_broadcast_sd(ap + r);
      acc[r][0] = _mm256_fmadd_pd(a, b0, acc[r][0]);
      acc[r][1] = _mm256_fmadd_pd(a, b1, acc[r][1]);
      acc[r][2] = _mm256_fmadd_pd(a, b2, acc[r][2]);
    }
    ap += 4;
    bp += 12;
  }
  const __m256d va = _mm256_set1_pd(alpha), vb = _mm256_set1_pd(beta);
#pragma GCC unroll 4
  for (int r = 0; r < 4; r++) {
#pragma GCC unroll 3
    for (int v = 0; v < 3; v++) {
      double* q = c + r * ldc + v * 4;
      const __m256d t = _mm256_mul_pd(va, acc[r][v]);
      if (mode == 0) _mm256_storeu_pd(q, t);
      else if (mode == 1) _mm256_storeu_pd(q, _mm256_add_pd(_mm256_loadu_pd(q), t));
      else _mm256_storeu_pd(q, _mm256_add_pd(_mm256_mul_pd(vb, _mm256_loadu_pd(q)), t));
    }
  }
}

KernelInfo avx2Kernel() { return {"avx2", 4, 12, kernel4x12}; }

}  // namespace widelimit
