// AVX2 micro-kernel (compiled with -mavx2 -mfma): a 4×12 tile in 12 ymm accumulators; per p,
// three vector loads of B and four broadcasts of A feed 12 fused multiply-adds.
#include <immintrin.h>

#include "kernels.h"

namespace widelimit {

static void kernel4x12(long kc, const double* ap, const double* bp, double* t) {
  __m256d c[4][3];
#pragma GCC unroll 4
  for (int r = 0; r < 4; r++) {
    c[r][0] = _mm256_setzero_pd();
    c[r][1] = _mm256_setzero_pd();
    c[r][2] = _mm256_setzero_pd();
  }
  for (long p = 0; p < kc; p++) {
    const __m256d b0 = _mm256_loadu_pd(bp);
    const __m256d b1 = _mm256_loadu_pd(bp + 4);
    const __m256d b2 = _mm256_loadu_pd(bp + 8);
#pragma GCC unroll 4
    for (int r = 0; r < 4; r++) {
      const __m256d a = _mm256_broadcast_sd(ap + r);
      c[r][0] = _mm256_fmadd_pd(a, b0, c[r][0]);
      c[r][1] = _mm256_fmadd_pd(a, b1, c[r][1]);
      c[r][2] = _mm256_fmadd_pd(a, b2, c[r][2]);
    }
    ap += 4;
    bp += 12;
  }
#pragma GCC unroll 4
  for (int r = 0; r < 4; r++) {
    _mm256_storeu_pd(t + r * 12, c[r][0]);
    _mm256_storeu_pd(t + r * 12 + 4, c[r][1]);
    _mm256_storeu_pd(t + r * 12 + 8, c[r][2]);
  }
}

KernelInfo avx2Kernel() { return {"avx2", 4, 12, kernel4x12}; }

}  // namespace widelimit
